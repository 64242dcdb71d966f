/** Who may do what on the agent API: 401 / 403, login limits, CSRF for cookie sessions, users, the CSV log. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../helpers/agentClient.js';
import { type FakeConnector, startFakeConnector } from '../helpers/fakeConnector.js';
import { customerActivity, postActivity, startTestServer, type TestServer } from '../helpers/server.js';

const ADMIN = { user: 'admin', password: 'admin-password-1' };
const PASSWORD = 'agent-password-1';
let server: TestServer;
let connector: FakeConnector;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  connector = await startFakeConnector();
  server = await startTestServer({ ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password, LOGIN_MAX_ATTEMPTS: '3' });
  tokens.admin = (await login(server.url, ADMIN.user, ADMIN.password)).token;
  for (const [username, role] of [['alex', 'agent'], ['lee', 'lead'], ['limited', 'agent'], ['blair', 'agent']]) {
    expect((await api(server.url, 'POST', '/api/users', { token: tokens.admin, body: { username, password: PASSWORD, role } })).status).toBe(201);
  }
  tokens.alex = (await login(server.url, 'alex', PASSWORD)).token;
  tokens.lee = (await login(server.url, 'lee', PASSWORD)).token;
});
afterAll(async () => {
  await server.stop();
  await connector.close();
});

describe('authentication', () => {
  it('no credentials → 401 in the JSON error shape, with WWW-Authenticate', async () => {
    for (const [method, route] of [['GET', '/api/handoffs'], ['GET', '/api/handoffs/events'], ['POST', '/api/handoffs/H-000001/accept'], ['GET', '/api/users'], ['GET', '/api/auth/me']]) {
      const res = await api(server.url, method!, route!);
      expect(res.status, `${method} ${route}`).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/^Log in first/) } });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('an unknown or malformed token → 401', async () => {
    expect((await api(server.url, 'GET', '/api/handoffs', { token: 'not-a-session' })).body.error.message).toMatch(/expired or was ended/);
    expect((await api(server.url, 'GET', '/api/handoffs', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('a wrong password and an unknown user get the same 401, which does not say which part was wrong', async () => {
    const wrongPassword = await api(server.url, 'POST', '/api/auth/login', { body: { username: 'alex', password: 'not-the-password' } });
    const unknownUser = await api(server.url, 'POST', '/api/auth/login', { body: { username: 'nobody', password: PASSWORD } });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toEqual({ error: { code: 'invalid_credentials', message: 'Wrong username or password.' } });
    expect(unknownUser.body).toEqual(wrongPassword.body);
    expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'alex' } })).status).toBe(400);
  });

  it('login answers the DESIGN shape and the session works as a bearer token', async () => {
    const res = await api(server.url, 'POST', '/api/auth/login', { body: { username: 'Lee', password: PASSWORD } });
    expect(res.body).toEqual({ token: expect.any(String), user: { username: 'lee', role: 'lead' }, csrfToken: expect.any(String), expiresAt: '2026-11-26T03:00:00.000Z' });
    expect(res.headers.get('set-cookie')).toMatch(/^cxbot_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const me = await api(server.url, 'GET', '/api/auth/me', { token: res.body.token });
    expect(me.body.user).toEqual({ username: 'lee', role: 'lead' });
    // Sessions are stored as hashes only.
    expect(await readFile(path.join(server.dataDir, 'sessions.json'), 'utf8')).not.toContain(res.body.token);
  });

  it('failed logins are limited per username with 429 and Retry-After, even for the right password, until the window passes', async () => {
    for (let i = 0; i < 3; i += 1) expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'limited', password: `guess-${i}-guess` } })).status).toBe(401);
    const blocked = await api(server.url, 'POST', '/api/auth/login', { body: { username: 'limited', password: PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({ error: { code: 'too_many_attempts', message: 'Too many failed logins. Try again in 900 seconds.' } });
    expect(blocked.headers.get('retry-after')).toBe('900');
    // Other users are not locked out by it.
    expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'alex', password: PASSWORD } })).status).toBe(200);
    server.clock.advance(15 * 60_000);
    expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'limited', password: PASSWORD } })).status).toBe(200);
  });

  it('logins sent at once are limited as if sent one by one', async () => {
    // Counted only after the password check, 40 logins at once gave 39 × 401 and a 200 for the right one, sent last.
    const guesses = Array.from({ length: 12 }, (_, i) => `wrong-${i}-guess`);
    const statuses = await Promise.all([...guesses, PASSWORD].map((password) => api(server.url, 'POST', '/api/auth/login', { body: { username: 'blair', password } }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    server.clock.advance(15 * 60_000);
    // Right passwords sent together are no failures: a team signing in at once all get in.
    const together = await Promise.all(Array.from({ length: 8 }, () => api(server.url, 'POST', '/api/auth/login', { body: { username: 'blair', password: PASSWORD } }).then((r) => r.status)));
    expect(together).toEqual(Array(8).fill(200));
  });

  it('failed logins are limited per IP too', async () => {
    const strict = await startTestServer({ ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password, LOGIN_MAX_ATTEMPTS_PER_IP: '2' });
    try {
      expect((await api(strict.url, 'POST', '/api/auth/login', { body: { username: 'a1', password: 'x' } })).status).toBe(401);
      expect((await api(strict.url, 'POST', '/api/auth/login', { body: { username: 'a2', password: 'x' } })).status).toBe(401);
      const third = await api(strict.url, 'POST', '/api/auth/login', { body: { username: ADMIN.user, password: ADMIN.password } });
      expect(third.status).toBe(429);
    } finally {
      await strict.stop();
    }
  });

  it('logout ends the session', async () => {
    const { token } = await login(server.url, 'alex', PASSWORD);
    expect((await api(server.url, 'POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await api(server.url, 'GET', '/api/auth/me', { token })).status).toBe(401);
  });
});

describe('roles', () => {
  it('an agent on lead-only and admin-only routes → 403 naming the role', async () => {
    const csv = await api(server.url, 'GET', '/api/handoffs?format=csv', { token: tokens.alex });
    expect(csv).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: 'The CSV export needs the lead role; you are signed in as agent.' } } });
    const users = await api(server.url, 'GET', '/api/users', { token: tokens.alex });
    expect(users).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: 'This needs the admin role; you are signed in as agent.' } } });
    expect((await api(server.url, 'GET', '/api/users', { token: tokens.lee })).status).toBe(403);
  });
});

describe('cookie sessions and CSRF', () => {
  it('a cookie reads freely, but a change needs X-CSRF-Token and must not come from another site', async () => {
    const { cookie, csrf } = await login(server.url, 'alex', PASSWORD);
    expect((await api(server.url, 'GET', '/api/handoffs', { cookie })).status).toBe(200);
    const noToken = await api(server.url, 'POST', '/api/handoffs/H-000001/accept', { cookie });
    expect(noToken).toMatchObject({ status: 403, body: { error: { code: 'csrf' } } });
    const wrongToken = await api(server.url, 'POST', '/api/handoffs/H-000001/accept', { cookie, csrf: 'guess' });
    expect(wrongToken.status).toBe(403);
    const crossSite = await api(server.url, 'POST', '/api/handoffs/H-000001/accept', { cookie, csrf, headers: { origin: 'https://evil.example' } });
    expect(crossSite).toMatchObject({ status: 403, body: { error: { code: 'cross_origin' } } });
    // With the token the request goes through (to a 404: there is no such handoff).
    expect((await api(server.url, 'POST', '/api/handoffs/H-000001/accept', { cookie, csrf })).status).toBe(404);
    // Bearer calls are exempt: no browser attaches them on its own.
    expect((await api(server.url, 'POST', '/api/handoffs/H-000001/accept', { token: tokens.alex })).status).toBe(404);
  });
});

describe('behind a reverse proxy', () => {
  it('takes the browser\'s own site from X-Forwarded-Host (trusted proxy only) or PUBLIC_URL', async () => {
    // A proxy that passes its upstream address as Host refused every console login with cross_origin.
    const proxied = await startTestServer({ ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password, TRUST_PROXY: 'true', PUBLIC_URL: 'https://bot.example.com' });
    try {
      const loginFrom = (base: string, origin: string, forwardedHost?: string) =>
        api(base, 'POST', '/api/auth/login', { body: { username: ADMIN.user, password: ADMIN.password }, headers: { origin, ...(forwardedHost ? { 'x-forwarded-host': forwardedHost } : {}) } }).then((r) => r.status);
      expect(await loginFrom(proxied.url, 'https://bot.example.com')).toBe(200);
      expect(await loginFrom(proxied.url, 'https://support.example.com', 'support.example.com')).toBe(200);
      expect(await loginFrom(proxied.url, 'https://evil.example', 'support.example.com')).toBe(403);
      // Without a trusted proxy the header is anyone's to send.
      expect(await loginFrom(server.url, 'https://support.example.com', 'support.example.com')).toBe(403);
      // Links in an export point at the public site, not at the address the proxy used.
      await postActivity(proxied.url, customerActivity('I want to talk to a person', 'proxy-handoff'));
      const { token } = await login(proxied.url, ADMIN.user, ADMIN.password);
      const csv = await api(proxied.url, 'GET', '/api/handoffs?format=csv', { token });
      expect(csv.body).toMatch(/,https:\/\/bot\.example\.com\/api\/handoffs\/H-\d+\/transcript,/);
    } finally {
      await proxied.stop();
    }
  });
});

describe('users (admin)', () => {
  it('adds, lists, refuses duplicates and weak passwords, deletes and ends the deleted user\'s sessions', async () => {
    const add = (body: unknown) => api(server.url, 'POST', '/api/users', { token: tokens.admin, body });
    expect((await add({ username: 'sam', password: PASSWORD, role: 'agent' })).body).toEqual({ user: { username: 'sam', role: 'agent', createdAt: expect.any(String) } });
    expect(await add({ username: 'sam', password: PASSWORD, role: 'agent' })).toMatchObject({ status: 409, body: { error: { code: 'user_exists' } } });
    expect((await add({ username: 'kim', password: 'short', role: 'agent' })).body.error.message).toBe('Invalid user: password: must be at least 10 characters');
    expect((await add({ username: 'kim', password: PASSWORD, role: 'boss' })).status).toBe(400);
    const list = await api(server.url, 'GET', '/api/users', { token: tokens.admin });
    expect(list.body.items.map((u: { username: string }) => u.username)).toContain('sam');
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|passwordHash/);
    const sam = await login(server.url, 'sam', PASSWORD);
    expect((await api(server.url, 'DELETE', '/api/users/sam', { token: tokens.admin })).status).toBe(204);
    expect((await api(server.url, 'GET', '/api/auth/me', { token: sam.token })).status).toBe(401);
    expect((await api(server.url, 'DELETE', '/api/users/sam', { token: tokens.admin })).status).toBe(404);
    expect((await api(server.url, 'DELETE', '/api/users/admin', { token: tokens.admin })).body.error.code).toBe('last_admin');
  });
});

describe('passwords and sessions', () => {
  const change = (token: string, body: unknown) => api(server.url, 'POST', '/api/auth/password', { token, body });

  it('a user changes their own password with the current one: every old session ends, a new one starts', async () => {
    const add = await api(server.url, 'POST', '/api/users', { token: tokens.admin, body: { username: 'pat', password: PASSWORD, role: 'agent' } });
    expect(add.status).toBe(201);
    const laptop = (await login(server.url, 'pat', PASSWORD)).token;
    const phone = (await login(server.url, 'pat', PASSWORD)).token;
    expect(await change(laptop, { currentPassword: 'not-the-password', newPassword: 'pats-new-password' })).toMatchObject({ status: 403, body: { error: { code: 'wrong_password', message: 'The current password is wrong.' } } });
    expect((await change(laptop, { currentPassword: PASSWORD, newPassword: 'short' })).body.error.message).toBe('Invalid password change: newPassword: must be at least 10 characters');
    expect((await change(laptop, { currentPassword: PASSWORD, newPassword: PASSWORD })).body.error.message).toBe('The new password must differ from the current one.');
    expect((await change(laptop, { currentPassword: PASSWORD, newPassword: 'pats-new-password', role: 'admin' })).status).toBe(400);
    // Nothing refused above changed anything.
    expect((await api(server.url, 'GET', '/api/auth/me', { token: phone })).status).toBe(200);
    const changed = await change(laptop, { currentPassword: PASSWORD, newPassword: 'pats-new-password' });
    expect(changed.body).toEqual({ token: expect.any(String), user: { username: 'pat', role: 'agent' }, csrfToken: expect.any(String), expiresAt: expect.any(String) });
    expect(changed.headers.get('set-cookie')).toMatch(/^cxbot_session=[^;]+; Path=\/; HttpOnly/);
    for (const old of [laptop, phone]) expect((await api(server.url, 'GET', '/api/auth/me', { token: old })).status).toBe(401);
    expect((await api(server.url, 'GET', '/api/auth/me', { token: changed.body.token })).body.user).toEqual({ username: 'pat', role: 'agent' });
    expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'pat', password: PASSWORD } })).status).toBe(401);
    expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'pat', password: 'pats-new-password' } })).status).toBe(200);
  });

  it('wrong current passwords count as failed logins, so a session left open cannot be used to guess', async () => {
    expect((await api(server.url, 'POST', '/api/users', { token: tokens.admin, body: { username: 'quinn', password: PASSWORD, role: 'agent' } })).status).toBe(201);
    const token = (await login(server.url, 'quinn', PASSWORD)).token;
    for (let i = 0; i < 3; i += 1) expect((await change(token, { currentPassword: `guess-${i}-guess`, newPassword: 'quinns-new-password' })).status).toBe(403);
    const blocked = await change(token, { currentPassword: PASSWORD, newPassword: 'quinns-new-password' });
    expect(blocked).toMatchObject({ status: 429, body: { error: { code: 'too_many_attempts' } } });
    expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'quinn', password: PASSWORD } })).status).toBe(429);
    server.clock.advance(15 * 60_000);
    expect((await change(token, { currentPassword: PASSWORD, newPassword: 'quinns-new-password' })).status).toBe(200);
  });

  it('password changes sent at once are limited as if sent one by one, and only one of two changes wins', async () => {
    expect((await api(server.url, 'POST', '/api/users', { token: tokens.admin, body: { username: 'rowan', password: PASSWORD, role: 'agent' } })).status).toBe(201);
    const token = (await login(server.url, 'rowan', PASSWORD)).token;
    // Checked before the slow password check only, 15 guesses sent at once were all checked, and the right one got in.
    const guesses = Array.from({ length: 12 }, (_, i) => `wrong-${i}-guess`);
    const statuses = await Promise.all([...guesses, PASSWORD].map((currentPassword) => change(token, { currentPassword, newPassword: 'rowans-new-password' }).then((r) => r.status)));
    expect(statuses.filter((x) => x === 403)).toHaveLength(3);
    expect(statuses.at(-1)).toBe(429);
    server.clock.advance(15 * 60_000);
    const other = (await login(server.url, 'rowan', PASSWORD)).token;
    const [a, b] = await Promise.all([change(token, { currentPassword: PASSWORD, newPassword: 'rowans-password-a' }), change(other, { currentPassword: PASSWORD, newPassword: 'rowans-password-b' })]);
    expect([a.status, b.status]).toEqual([200, 401]);
    expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'rowan', password: 'rowans-password-a' } })).status).toBe(200);
  });

  it('a user dated later than the server\'s clock can still log in, and is dated now', async () => {
    const file = path.join(server.dataDir, 'users.json');
    const doc = JSON.parse(await readFile(file, 'utf8')) as { users: Array<{ username: string; passwordChangedAt?: string }> };
    doc.users.find((u) => u.username === 'lee')!.passwordChangedAt = '2099-01-01T00:00:00.000Z';
    await writeFile(file, JSON.stringify(doc));
    tokens.lee = (await login(server.url, 'lee', PASSWORD)).token;
    expect((await api(server.url, 'GET', '/api/auth/me', { token: tokens.lee })).status).toBe(200);
    const after = JSON.parse(await readFile(file, 'utf8')) as { users: Array<{ username: string; passwordChangedAt?: string }> };
    expect(after.users.find((u) => u.username === 'lee')!.passwordChangedAt).toBe(server.clock.now().toISOString());
  });

  it('a users file broken under the running server answers 503, naming nothing, and works again once mended', async () => {
    const file = path.join(server.dataDir, 'users.json');
    const good = await readFile(file, 'utf8');
    const doc = JSON.parse(good) as { users: Array<{ username: string; createdAt: string }> };
    doc.users[0]!.createdAt = 'yesterday';
    await writeFile(file, JSON.stringify(doc));
    const refused = await api(server.url, 'POST', '/api/auth/login', { body: { username: 'alex', password: PASSWORD } });
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'storage_unreadable' } } });
    expect(JSON.stringify(refused.body)).not.toContain('users.json');
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(doc));
    // Monitors see it: /readyz is not ready while it lasts.
    expect(await api(server.url, 'GET', '/readyz')).toMatchObject({ status: 503, body: { checks: { users: { ok: false, detail: 'unreadable' } } } });
    await writeFile(file, good);
    expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'alex', password: PASSWORD } })).status).toBe(200);
    expect((await api(server.url, 'GET', '/readyz')).body.checks.users).toEqual({ ok: true });
  });

  it('a password of control characters only is blank', async () => {
    const res = await api(server.url, 'POST', '/api/users', { token: tokens.admin, body: { username: 'nul', password: '\u0000'.repeat(10), role: 'agent' } });
    expect(res.body.error.message).toBe('Invalid user: password: must not be blank (spaces and invisible characters only)');
  });

  it('logout everywhere ends every session of the user; a body it does not know is refused', async () => {
    const one = (await login(server.url, 'alex', PASSWORD)).token;
    const two = (await login(server.url, 'alex', PASSWORD)).token;
    expect((await api(server.url, 'POST', '/api/auth/logout', { token: one, body: { everywhere: 'yes' } })).status).toBe(400);
    expect((await api(server.url, 'POST', '/api/auth/logout', { token: one, body: { everywhere: true } })).status).toBe(204);
    for (const token of [one, two, tokens.alex!]) expect((await api(server.url, 'GET', '/api/auth/me', { token })).status).toBe(401);
    tokens.alex = (await login(server.url, 'alex', PASSWORD)).token;
  });

  it('an admin resets a password: the user\'s sessions end; unknown users 404, other roles 403', async () => {
    const reset = (token: string, name: string, body: unknown) => api(server.url, 'PUT', `/api/users/${name}/password`, { token, body });
    expect((await reset(tokens.lee!, 'alex', { password: 'whatever-password' })).status).toBe(403);
    expect((await reset(tokens.admin!, 'nobody', { password: 'whatever-password' })).status).toBe(404);
    expect((await reset(tokens.admin!, 'alex', { password: 'short' })).status).toBe(400);
    expect((await reset(tokens.admin!, 'alex', { password: 'alexs-reset-password' })).status).toBe(204);
    expect((await api(server.url, 'GET', '/api/auth/me', { token: tokens.alex })).status).toBe(401);
    tokens.alex = (await login(server.url, 'alex', 'alexs-reset-password')).token;
    expect((await reset(tokens.admin!, 'alex', { password: PASSWORD })).status).toBe(204);
    tokens.alex = (await login(server.url, 'alex', PASSWORD)).token;
  });

  it('a session started before a change made by another process (the CLI, a hand edit) is refused', async () => {
    const token = (await login(server.url, 'lee', PASSWORD)).token;
    server.clock.advance(60_000);
    const file = path.join(server.dataDir, 'users.json');
    const doc = JSON.parse(await readFile(file, 'utf8')) as { users: Array<{ username: string; passwordChangedAt?: string }> };
    doc.users.find((u) => u.username === 'lee')!.passwordChangedAt = server.clock.now().toISOString();
    await writeFile(file, JSON.stringify(doc));
    expect((await api(server.url, 'GET', '/api/auth/me', { token })).status).toBe(401);
    tokens.lee = (await login(server.url, 'lee', PASSWORD)).token;
    expect((await api(server.url, 'GET', '/api/auth/me', { token: tokens.lee })).status).toBe(200);
  });
});

describe('escalation log', () => {
  it('filters by status, reason, channel and dates; exports CSV with quoting and transcript links', async () => {
    await postActivity(server.url, customerActivity('I need to speak to a human, now', 'log-1', { serviceUrl: connector.url }));
    const id = (await api(server.url, 'GET', '/api/handoffs?status=queued&reason=requested', { token: tokens.lee })).body.items[0].id as string;
    await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.lee });
    await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.lee, body: { note: '=SUM(A1), "called back"\nok' } });
    const q = (query: string) => api(server.url, 'GET', `/api/handoffs?${query}`, { token: tokens.lee });
    expect((await q('status=resolved,abandoned')).body.items.map((h: { id: string }) => h.id)).toEqual([id]);
    expect((await q('reason=complaint')).body.items).toEqual([]);
    expect((await q('channel=webchat&from=2026-11-25&to=2026-11-25')).body.items).toHaveLength(1);
    expect((await q('from=2026-11-26')).body.items).toEqual([]);
    expect((await q('status=lost')).body.error.message).toMatch(/^Invalid query: status/);
    expect((await q('from=yesterday')).body.error.message).toBe('Invalid query: from: must be YYYY-MM-DD or an ISO 8601 date-time');
    expect((await q('from=2026-11-27&to=2026-11-26')).body.error.message).toBe('Invalid query: from must be before to.');
    // The day after 9999-12-31 has a five-digit year, whose ISO string sorted before 2026: this was "from must be before to".
    expect((await q('from=2026-01-01&to=9999-12-31')).body.items.map((h: { id: string }) => h.id)).toEqual([id]);
    expect((await q('to=9999-12-31T23:59:59.999Z')).body.items).toHaveLength(1);
    expect((await q('from=0000-01-01T00:30:00%2B01:00')).body.items).toHaveLength(1);
    const beyond = await q('from=9999-12-31T23:30:00-01:00');
    expect(beyond).toMatchObject({ status: 400, body: { error: { message: 'Invalid query: from must fall between 0000-01-01 and 9999-12-31 (UTC).' } } });
    expect((await q('sort=asc')).status).toBe(400);

    const csv = await q('format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="handoffs-2026-11-25.csv"');
    const [header, row] = (csv.body as string).split('\r\n');
    expect(header).toBe('id,status,reason,priority,channel,locale,customerId,conversationId,createdAt,acceptedAt,firstAgentMessageAt,resolvedAt,abandonedAt,endedBy,agent,queueWaitMs,intents,sentimentMean,ticketId,note,transcript,closedBy');
    expect(row).toMatch(new RegExp(`^${id},resolved,requested,`));
    expect(csv.body).toContain(`"'=SUM(A1), ""called back""\nok",${server.url}/api/handoffs/${id}/transcript,lee\r\n`);
  });
});

describe('the /agent page', () => {
  it('is served with a CSP that forbids inline script, and other security headers', async () => {
    const res = await fetch(`${server.url}/agent`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is a file
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
    expect((await fetch(`${server.url}/agent/agent.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${server.url}/agent/agent.css`)).status).toBe(200);
  });

  it('serves nothing else from its folder', async () => {
    for (const p of ['/agent/route.ts', '/agent/..%2F..%2Fconfig.ts', '/agent/%2e%2e%2fapp.ts', '/agent/constructor']) {
      const res = await fetch(`${server.url}${p}`);
      expect(res.status, p).toBe(404);
      expect(await res.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });
});
