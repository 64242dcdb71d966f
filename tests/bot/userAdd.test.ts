import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LowdbUserStore } from '../../storage/userStore.js';
import { ROOT } from '../helpers/paths.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** Runs a user tool (`npm run user:add -- <args>`) as tsx would, with `stdin` piped in. */
function tool(script: string, args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out: out.replace(/^\(node:\d+\).*\n|^\(Use `node --trace.*\n/gm, '') })));
}

const userAdd = (args: string[], env: Record<string, string>, stdin = '') => tool('scripts/userAdd.ts', args, env, stdin);

describe('npm run user:add', () => {
  it('adds a user with the password from the environment, then refuses the same name', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-useradd-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, USER_PASSWORD: 'script-password-1' };
    const added = await userAdd(['--username', 'Lee', '--role', 'lead'], env);
    expect(added).toEqual({ code: 0, out: `Added lead "lee" to ${path.join(dataDir, 'users.json')}.\n` });
    const store = await LowdbUserStore.open(path.join(dataDir, 'users.json'));
    expect((await store.authenticate('lee', 'script-password-1'))?.role).toBe('lead');
    const again = await userAdd(['--username', 'lee'], env);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/^A user named "lee" already exists/);
    // A mistake in how it was called exits 2, as every tool's does; it exited 1 and 78 for a bad role and a bad PORT.
    expect((await userAdd(['--username', 'kim', '--role', 'boss'], env)).code).toBe(2);
    expect((await userAdd(['--username', 'kim'], { ...env, PORT: 'eighty' })).code).toBe(2);
  });

  it('reads a piped password, and refuses a weak one without writing anything', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-useradd-'));
    dirs.push(dataDir);
    const weak = await userAdd(['--username', 'sam'], { DATA_DIR: dataDir, USER_PASSWORD: '' }, 'short\n');
    expect(weak).toEqual({ code: 1, out: 'The password must be at least 10 characters.\n' });
    await expect(readFile(path.join(dataDir, 'users.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    const blank = await userAdd(['--username', 'sam'], { DATA_DIR: dataDir, USER_PASSWORD: ' '.repeat(10) });
    expect(blank).toEqual({ code: 1, out: 'The password must not be blank (spaces and invisible characters only).\n' });
    const tabs = await userAdd(['--username', 'sam'], { DATA_DIR: dataDir, USER_PASSWORD: '' }, '\t \u200b \u00a0\t\u3000  \u200b\n');
    expect(tabs.out).toBe('The password must not be blank (spaces and invisible characters only).\n');
    await expect(readFile(path.join(dataDir, 'users.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    const ok = await userAdd(['--username', 'sam'], { DATA_DIR: dataDir, USER_PASSWORD: '' }, 'piped-password-1\n');
    expect(ok.code).toBe(0);
  });

  // With no terminal and nothing piped (cron, CI, ssh without -t) it exited 0, silently, having added nobody.
  it('fails, saying how to give one, when no password comes at all', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-useradd-'));
    dirs.push(dataDir);
    const none = await userAdd(['--username', 'frank'], { DATA_DIR: dataDir, USER_PASSWORD: '' }, '');
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/^No password given: set USER_PASSWORD, pipe it on standard input, or run this in a terminal\./);
    await expect(readFile(path.join(dataDir, 'users.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('npm run user:password', () => {
  it('sets a user\'s password; refuses an unknown user, a weak password and a missing name', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-userpw-'));
    dirs.push(dataDir);
    const file = path.join(dataDir, 'users.json');
    const userPassword = (args: string[], env: Record<string, string>, stdin = '') => tool('scripts/userPassword.ts', args, { DATA_DIR: dataDir, ...env }, stdin);
    expect((await userAdd(['--username', 'root', '--role', 'admin'], { DATA_DIR: dataDir, USER_PASSWORD: 'forgotten-password' })).code).toBe(0);
    const changed = await userPassword(['--username', 'Root'], { USER_PASSWORD: '' }, 'remembered-password\n');
    expect(changed).toEqual({ code: 0, out: `Changed the password of "root" in ${file}. Their console sessions have ended: they log in again with it.\n` });
    const store = await LowdbUserStore.open(file);
    expect(await store.authenticate('root', 'forgotten-password')).toBeUndefined();
    const root = await store.authenticate('root', 'remembered-password');
    expect(root?.role).toBe('admin');
    expect(Date.parse(root!.passwordChangedAt!)).toBeGreaterThanOrEqual(Date.parse(root!.createdAt));
    expect(await userPassword(['--username', 'nobody'], { USER_PASSWORD: 'whatever-password' })).toEqual({ code: 1, out: `No user named "nobody" in ${file}.\n` });
    expect(await userPassword(['--username', 'root'], { USER_PASSWORD: 'short' })).toEqual({ code: 1, out: 'The password must be at least 10 characters.\n' });
    expect(await userPassword(['--username', 'root'], { USER_PASSWORD: 'remembered-password' })).toEqual({ code: 1, out: 'That is already the password of "root": choose another.\n' });
    expect((await userPassword([], { USER_PASSWORD: 'whatever-password' })).code).toBe(2);
    expect((await LowdbUserStore.open(file).then((s) => s.authenticate('root', 'remembered-password')))?.username).toBe('root');
  });
});
