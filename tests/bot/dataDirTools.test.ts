/** Tools that work on a server's data refuse a DATA_DIR that does not exist instead of creating an empty one. */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation, createTestCore } from '../helpers/harness.js';
import { placeModel } from '../helpers/process.js';
import { ROOT } from '../helpers/paths.js';

let parent: string;
beforeAll(async () => {
  parent = await mkdtemp(path.join(os.tmpdir(), 'cxbot-tools-'));
});
afterAll(async () => rm(parent, { recursive: true, force: true }));

/** Runs a script as its npm script does, never throwing on a non-zero exit. */
async function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each([
  ['npm run privacy -- retention', 'scripts/privacy.ts', ['retention']],
  ['npm run privacy -- erase', 'scripts/privacy.ts', ['erase', 'c_0123456789abcdef']],
  ['npm run privacy -- export', 'scripts/privacy.ts', ['export', 'c_0123456789abcdef']],
  ['npm run report', 'metrics/report.ts', []],
])('%s', (_, script, args) => {
  it('refuses a DATA_DIR that does not exist in one line naming it, and creates nothing', async () => {
    const missing = path.join(parent, 'no-such-dir');
    const r = await run(script, args, { DATA_DIR: missing });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`DATA_DIR ${missing} does not exist: set DATA_DIR to the bot's data directory (the server creates it on its first start).\n`);
    expect(await readdir(parent)).not.toContain('no-such-dir');
  });

  it('refuses a DATA_DIR that is a file', async () => {
    const file = path.join(parent, 'a-file');
    await writeFile(file, '');
    const r = await run(script, args, { DATA_DIR: file });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe(`DATA_DIR ${file} is not a directory: set DATA_DIR to the bot's data directory.\n`);
  });
});

describe('npm run privacy -- export', () => {
  it('prints everything stored about one customer as JSON on a stopped server\'s data', async () => {
    const env = await createTestCore();
    await new Conversation(env.core, { conversationId: 'cli-export', userId: 'cli-user' }).say('my order 10622 arrived cracked, pangolinword');
    const customerId = env.core.customerIds.of('directline', 'cli-user');
    await env.core.close();
    try {
      // The cached model, so the command loads it instead of training.
      await placeModel(env.dataDir);
      const r = await run('scripts/privacy.ts', ['export', customerId], { DATA_DIR: env.dataDir, LOG_LEVEL: 'silent' });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const found = JSON.parse(r.stdout) as { customerId: string; turns: Array<{ conversationId: string; text?: string }> };
      expect(found.customerId).toBe(customerId);
      expect(found.turns.map((t) => t.conversationId)).toContain('cli-export');
      expect(r.stdout).toContain('pangolinword');
    } finally {
      await rm(env.dataDir, { recursive: true, force: true });
    }
  });
});
