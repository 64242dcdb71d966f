import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, TEST_MODEL_FILE } from '../helpers/paths.js';
import { copyFile, mkdir } from 'node:fs/promises';

/** Runs `bot/index.ts` as `npm start` does, collecting output. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms = 30_000) => {
    const until = Date.now() + ms;
    while (!pattern.test(out)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; output:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, waitFor, output: () => out };
}

describe('the server process', () => {
  it('a bad configuration value stops start-up with one line naming the variable', async () => {
    const p = start({ PORT: 'eighty' });
    expect(await p.exited).toBe(78);
    expect(p.output().trim()).toBe('Invalid configuration: PORT must be a number (got "eighty")');
  });

  it('starts in open local mode, says so, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-proc-'));
    try {
      // Reuse the model trained for this run so start-up does not retrain.
      await mkdir(path.join(dataDir, 'nlu'), { recursive: true });
      await copyFile(TEST_MODEL_FILE, path.join(dataDir, 'nlu', 'model.json'));
      const p = start({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
      await p.waitFor(/listening on http:\/\/localhost:(\d+)/);
      expect(p.output()).toMatch(/accepts unauthenticated requests \(local mode\)/);
      const port = /listening on http:\/\/localhost:(\d+)/.exec(p.output())![1];
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.output()).toMatch(/Stopped cleanly/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
