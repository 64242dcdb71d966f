/**
 * `npm run seed:demo` as a user runs it: a child process that starts the real app on a data directory, runs simulated
 * customers through it, prints a summary and the login, and refuses a directory that a running server holds.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlTurnLog } from '../../storage/turnLog.js';
import { ROOT } from '../helpers/paths.js';
import { dataDirWithModel } from '../helpers/process.js';
import { startTestServer } from '../helpers/server.js';

/** Runs the seeder with `args` and `env`; resolves with its exit code and output. */
function seed(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seedDemo.ts', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run seed:demo', () => {
  it('fills a data directory with real turns and says how to open the dashboard', async () => {
    const dir = await dataDirWithModel();
    try {
      const run = await seed(['--conversations', '12', '--days', '2', '--seed', '3'], { DATA_DIR: dir, DEMO_PASSWORD: 'demo-password-1' });
      expect(run.stderr).not.toMatch(/failed/);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Seeded 12 conversations \(\d+ customer messages, \d+ escalations, \d+ agent messages\) from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d in \d+ s\.$/m);
      expect(run.stdout).toMatch(/^Metrics engine: \d+ engaged · containment /m);
      expect(run.stdout).toContain('Log in as demo-lead / demo-password-1');
      // The server must open the seeded directory: "npm start" alone opened the default one, empty.
      expect(run.stdout).toContain(`Open the dashboard: DATA_DIR=${dir} npm start, then http://localhost:3978/dashboard`);
      const log = new JsonlTurnLog(path.join(dir, 'turns'));
      const conversations = new Set<string>();
      for await (const r of log.read()) conversations.add(r.conversationId);
      expect(conversations.size).toBe(12);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a data directory that a running server holds, and bad arguments', async () => {
    const server = await startTestServer();
    try {
      const held = await seed(['--conversations', '5'], { DATA_DIR: server.dataDir });
      expect(held.code).toBe(2);
      expect(held.stderr).toMatch(new RegExp(`Another bot process \\(pid ${process.pid}\\) is using .*; two writers would corrupt its files`));
    } finally {
      await server.stop();
    }
    const bad = await seed(['--conversations', 'lots'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('Invalid arguments: conversations: must be a number');
  }, 60_000);
});
