import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashToken, LowdbSessionStore, type SessionStore } from '../../storage/sessionStore.js';
import { hashPassword, hasRole, LowdbUserStore, type UserStore, verifyPassword } from '../../storage/userStore.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'cxbot-users-'));
  dirs.push(d);
  return d;
}
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const NOW = '2026-11-25T10:00:00.000Z';
const PASSWORD = 'correct horse battery';

describe('passwords', () => {
  it('are scrypt hashes with a per-user salt, verified only by the right password', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword('correct horse battery!', a)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'plain:text')).toBe(false);
  });

  it('roles nest: admin ⊇ lead ⊇ agent', () => {
    expect(hasRole('admin', 'lead')).toBe(true);
    expect(hasRole('lead', 'agent')).toBe(true);
    expect(hasRole('agent', 'lead')).toBe(false);
    expect(hasRole('lead', 'admin')).toBe(false);
  });
});

describe.each([
  ['memory', async () => LowdbUserStore.open(null)],
  ['file', async () => LowdbUserStore.open(path.join(await tempDir(), 'users.json'))],
] as Array<[string, () => Promise<UserStore>]>)('UserStore conformance: %s', (_name, open) => {
  it('adds users under a normalised name, refuses a taken name, never shows the hash', async () => {
    const store = await open();
    expect(await store.add('Alex', PASSWORD, 'agent', NOW)).toEqual({ username: 'alex', role: 'agent', createdAt: NOW });
    expect(await store.add('alex', PASSWORD, 'lead', NOW)).toBeUndefined();
    expect(await store.list()).toEqual([{ username: 'alex', role: 'agent', createdAt: NOW }]);
    expect(await store.count()).toBe(1);
  });

  it('refuses weak passwords and odd names', async () => {
    const store = await open();
    await expect(store.add('alex', 'short', 'agent', NOW)).rejects.toThrow(/at least 10/);
    await expect(store.add('a b', PASSWORD, 'agent', NOW)).rejects.toThrow();
    expect(await store.count()).toBe(0);
  });

  it('authenticates the right password only, and unknown users the same way', async () => {
    const store = await open();
    await store.add('alex', PASSWORD, 'agent', NOW);
    expect((await store.authenticate('ALEX', PASSWORD))?.username).toBe('alex');
    expect(await store.authenticate('alex', 'wrong password!')).toBeUndefined();
    expect(await store.authenticate('nobody', PASSWORD)).toBeUndefined();
  });

  it('removes users', async () => {
    const store = await open();
    await store.add('alex', PASSWORD, 'agent', NOW);
    expect(await store.remove('alex')).toBe(true);
    expect(await store.remove('alex')).toBe(false);
    expect(await store.get('alex')).toBeUndefined();
  });
});

describe('users file', () => {
  it('is readable by its owner only, after every write', async () => {
    const dir = await tempDir();
    const users = await LowdbUserStore.open(path.join(dir, 'users.json'));
    await users.add('alex', PASSWORD, 'agent', NOW);
    const sessions = await LowdbSessionStore.open(path.join(dir, 'sessions.json'));
    await sessions.create('alex', new Date(NOW), 60_000);
    expect((await stat(path.join(dir, 'users.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'sessions.json'))).mode & 0o777).toBe(0o600);
  });

  it('sees a user another process added, and keeps it when it writes next', async () => {
    const file = path.join(await tempDir(), 'users.json');
    const server = await LowdbUserStore.open(file);
    await server.add('admin', PASSWORD, 'admin', NOW);
    const script = await LowdbUserStore.open(file); // `npm run user:add` in another process
    await script.add('alex', PASSWORD, 'agent', NOW);
    expect((await server.authenticate('alex', PASSWORD))?.role).toBe('agent');
    await server.add('blair', PASSWORD, 'lead', NOW);
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { users: Array<{ username: string }> };
    expect(onDisk.users.map((u) => u.username)).toEqual(['admin', 'alex', 'blair']);
  });
});

describe.each([
  ['memory', async () => ({ store: await LowdbSessionStore.open(null), file: null })],
  ['file', async () => {
    const file = path.join(await tempDir(), 'sessions.json');
    return { store: await LowdbSessionStore.open(file), file };
  }],
] as Array<[string, () => Promise<{ store: SessionStore; file: string | null }>]>)('SessionStore conformance: %s', (_name, open) => {
  const now = new Date(NOW);
  const later = (ms: number) => new Date(now.getTime() + ms);

  it('finds a session by its token until it expires; stores only the token hash', async () => {
    const { store, file } = await open();
    const { token, session } = await store.create('alex', now, 60_000);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.tokenHash).toBe(hashToken(token));
    expect((await store.find(token, later(59_999)))?.username).toBe('alex');
    expect(await store.find(token, later(60_000))).toBeUndefined();
    expect(await store.find('not-a-token', now)).toBeUndefined();
    if (file) expect(await readFile(file, 'utf8')).not.toContain(token);
  });

  it('revokes one session, or all of a user', async () => {
    const { store } = await open();
    const a = await store.create('alex', now, 60_000);
    const b = await store.create('alex', now, 60_000);
    const c = await store.create('blair', now, 60_000);
    await store.revoke(a.token);
    expect(await store.find(a.token, now)).toBeUndefined();
    expect(await store.find(b.token, now)).toBeDefined();
    expect(await store.revokeUser('alex')).toBe(1);
    expect(await store.find(b.token, now)).toBeUndefined();
    expect(await store.find(c.token, now)).toBeDefined();
  });
});
