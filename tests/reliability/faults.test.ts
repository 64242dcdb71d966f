import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, dataDirError } from '../../bot/config.js';
import { api, login } from '../helpers/agentClient.js';
import { readJournaled } from '../../storage/journaledDb.js';
import { dataDirWithModel, startServerProcess } from '../helpers/process.js';
import { customerActivity, getJson, postActivity, startTestServer } from '../helpers/server.js';

describe('faults at start-up', () => {
  it('a corrupt data file stops start-up with a message naming it, and the file is left as it was', async () => {
    const dataDir = await dataDirWithModel();
    try {
      const file = path.join(dataDir, 'tickets.json');
      await writeFile(file, '{"seq": 4, "tickets": [ {"id": "T-000001"');
      // A directory with tickets also has its customer-id key; without one start-up would stop at the key instead.
      const p = startServerProcess({ DATA_DIR: dataDir, CUSTOMER_ID_KEY: 'k'.repeat(32) });
      expect(await p.exited).toBe(65);
      expect(p.output()).toContain('tickets.json: is not valid JSON');
      expect(p.output()).toMatch(/left untouched/);
      expect(p.output()).not.toMatch(/\n\s+at /); // no stack trace
      expect(await readFile(file, 'utf8')).toBe('{"seq": 4, "tickets": [ {"id": "T-000001"');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a DATA_DIR that is a file stops start-up with one line naming DATA_DIR (exit 78), and the file is left as it was', async () => {
    const dir = await dataDirWithModel();
    const file = path.join(dir, 'not-a-dir');
    try {
      await writeFile(file, 'keep me');
      // Before: "Start-up failed: EEXIST: file already exists, mkdir …" and exit code 1.
      const p = startServerProcess({ DATA_DIR: file });
      expect(await p.exited).toBe(78);
      expect(p.output()).toContain(`DATA_DIR ${file} is not a directory`);
      expect(p.output()).not.toMatch(/EEXIST|\n\s+at /);
      expect(await readFile(file, 'utf8')).toBe('keep me');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a CORPUS_DIR without the languages\' corpora stops start-up as a setting to fix (exit 78), in one line', async () => {
    const dir = await dataDirWithModel();
    const nowhere = path.join(dir, 'no-corpora-here');
    try {
      // Before: the same line, but exit code 1, as for a crash.
      const p = startServerProcess({ DATA_DIR: dir, CORPUS_DIR: nowhere });
      expect(await p.exited).toBe(78);
      expect(p.output()).toMatch(/No corpus for language \\?"en\\?": \S*no-corpora-here\/en\.json does not exist\./);
      expect(p.output()).not.toMatch(/\n\s+at /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Root writes anywhere, so only an ordinary user can see a directory refuse the lock file.
  it.skipIf(process.getuid?.() === 0)('a DATA_DIR this user may not write stops start-up naming DATA_DIR (exit 78)', async () => {
    const dir = await dataDirWithModel();
    try {
      await chmod(dir, 0o555);
      const p = startServerProcess({ DATA_DIR: dir });
      expect(await p.exited).toBe(78);
      expect(p.output()).toContain(`DATA_DIR ${dir} is not writable (EACCES)`);
    } finally {
      await chmod(dir, 0o755);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('errors creating DATA_DIR or its lock file become one line naming DATA_DIR; others pass through', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: …`), { code });
    expect(String(dataDirError('/srv/bot', errno('EACCES')))).toBe(
      "ConfigError: DATA_DIR /srv/bot is not writable (EACCES): let the bot's user write there, or set DATA_DIR to a directory it can write.",
    );
    expect(dataDirError('/srv/bot', errno('EPERM'))).toBeInstanceOf(ConfigError);
    expect(String(dataDirError('/srv/bot', errno('ENOTDIR')))).toMatch(/^ConfigError: DATA_DIR \/srv\/bot is not a directory/);
    const other = errno('EIO');
    expect(dataDirError('/srv/bot', other)).toBe(other);
  });

  it('a missing orders file is named clearly', async () => {
    const dataDir = await dataDirWithModel();
    try {
      const p = startServerProcess({ DATA_DIR: dataDir, ORDERS_FILE: path.join(dataDir, 'nope.json') });
      expect(await p.exited).not.toBe(0);
      expect(p.output()).toMatch(/nope\.json: cannot be read \(ENOENT\)/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('secrets from the environment never appear in the logs', async () => {
    const dataDir = await dataDirWithModel();
    const secrets = { DIRECTLINE_SECRET: 'dl-secret-8f3a1c9e77', ADMIN_USER: 'root', ADMIN_PASSWORD: 'admin-pw-5d2b9e0c41', CUSTOMER_ID_KEY: 'hmac-key-77c1e0a9b3-4e8d2f6a1c9b0e37' };
    try {
      const p = startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...secrets });
      const url = await p.url();
      const { token } = await login(url, 'root', secrets.ADMIN_PASSWORD);
      await postActivity(url, customerActivity('hello', 'secrets-1'));
      await api(url, 'POST', '/api/auth/login', { body: { username: 'root', password: 'wrong-password-1' } });
      await api(url, 'GET', '/api/auth/me', { token });
      p.child.kill('SIGTERM');
      await p.exited;
      for (const value of [secrets.DIRECTLINE_SECRET, secrets.ADMIN_PASSWORD, secrets.CUSTOMER_ID_KEY, token, 'wrong-password-1']) {
        expect(p.output()).not.toContain(value);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('faults while running', () => {
  it('a failing state write shows on /readyz while the bot keeps answering, and the database is reopened', async () => {
    const server = await startTestServer();
    try {
      expect((await postActivity(server.url, customerActivity('hello', 'disk-1'))).status).toBe(200);
      // The state database stops taking writes, as LevelDB does after an I/O error until it is reopened.
      await server.app.core.storage.close();
      const res = await postActivity(server.url, customerActivity('where is my order 10435', 'disk-2'));
      expect(res.status).toBe(200);
      expect(res.body.activities[0].text).toMatch(/I found order 10435/);
      let ready = await getJson(`${server.url}/readyz`);
      for (let i = 0; i < 50 && ready.status === 200; i += 1) {
        await new Promise((r) => setTimeout(r, 10));
        ready = await getJson(`${server.url}/readyz`);
      }
      expect(ready.status).toBe(503);
      expect(ready.body.checks.conversationState.ok).toBe(false);
      // The retry reopens the database and the queued write lands: readiness comes back, the state is there.
      await server.app.core.storage.flush(5000);
      expect((await getJson(`${server.url}/readyz`)).status).toBe(200);
      const next = await postActivity(server.url, customerActivity('02139', 'disk-2'));
      expect(next.body.activities[0].text).toMatch(/on its way with UPS/);
    } finally {
      await server.stop();
    }
  });

  it('kill -9 loses no ticket or handoff, and a restart resumes the queue', async () => {
    const dataDir = await dataDirWithModel();
    const env = { DATA_DIR: dataDir, ADMIN_USER: 'root', ADMIN_PASSWORD: 'kill-admin-pw-1', BUSINESS_HOURS: 'always' };
    try {
      const first = startServerProcess(env);
      const url = await first.url();
      const complaint = await postActivity(url, customerActivity('my order 10231 came with a cracked screen, the box was wet', 'kill-1'));
      const ticket = /T-\d{6}/.exec(complaint.body.activities.map((a: { text?: string }) => a.text).join(' '))?.[0];
      expect(ticket).toBeDefined();
      const escalated = await postActivity(url, customerActivity('I need to speak with a human agent', 'kill-2'));
      expect(escalated.body.activities.map((a: { text?: string }) => a.text).join(' ')).toMatch(/in the queue/);
      first.child.kill('SIGKILL');
      await first.exited;

      const second = startServerProcess(env);
      const url2 = await second.url();
      const tickets = await readJournaled<{ id: string }>(path.join(dataDir, 'tickets.json'), 'tickets');
      expect(tickets?.map((t) => t.id)).toContain(ticket);
      const { token } = await login(url2, 'root', 'kill-admin-pw-1');
      const queue = await api(url2, 'GET', '/api/handoffs?status=queued', { token });
      expect(queue.body.items.map((h: { conversationId: string }) => h.conversationId)).toContain('kill-2');
      // The customer is still with the queue, not back in the dialogs.
      const waiting = await postActivity(url2, customerActivity('hello? anyone there?', 'kill-2'));
      expect(waiting.body.activities.map((a: { text?: string }) => a.text).join(' ')).toMatch(/in the queue/);
      second.child.kill('SIGTERM');
      await second.exited;
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
