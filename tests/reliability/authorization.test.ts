import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../helpers/agentClient.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Who may call each route. Every route the server registers must be listed here, so a new route cannot ship
 * without someone deciding its access: `public` (anyone), `channel` (Bot Framework / Direct Line credentials of
 * their own), or the least console role it needs.
 */
const ACCESS: Record<string, 'public' | 'channel' | 'agent' | 'lead' | 'admin'> = {
  'POST /api/messages': 'channel',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'POST /v3/directline/tokens/generate': 'channel',
  'POST /v3/directline/tokens/refresh': 'channel',
  'POST /v3/directline/conversations': 'channel',
  'GET /v3/directline/conversations/:conversationId': 'channel',
  'GET /v3/directline/conversations/:conversationId/activities': 'channel',
  'POST /v3/directline/conversations/:conversationId/activities': 'channel',
  'POST /v3/directline/conversations/:conversationId/upload': 'channel',
  'POST /api/webchat/token': 'public',
  'POST /v3/conversations/:conversationId/activities': 'channel',
  'POST /v3/conversations/:conversationId/activities/:activityId': 'channel',
  'PUT /v3/conversations/:conversationId/activities/:activityId': 'channel',
  'DELETE /v3/conversations/:conversationId/activities/:activityId': 'channel',
  'GET /': 'public',
  'HEAD /': 'public',
  'GET /webchat/:asset': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'agent',
  'POST /api/auth/password': 'agent',
  'GET /api/auth/me': 'agent',
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'DELETE /api/users/:name': 'admin',
  'PUT /api/users/:name/password': 'admin',
  'GET /api/handoffs/events': 'agent',
  'GET /api/handoffs': 'agent',
  'GET /api/handoffs/:id': 'agent',
  'POST /api/handoffs/:id/accept': 'agent',
  'POST /api/handoffs/:id/messages': 'agent',
  'GET /api/handoffs/:id/transcript': 'agent',
  'POST /api/handoffs/:id/resolve': 'agent',
  'POST /api/handoffs/:id/transfer': 'agent',
  'GET /api/agents': 'agent',
  'GET /api/tickets': 'agent',
  'GET /api/tickets/summary': 'lead',
  'GET /api/tickets/:id': 'agent',
  'GET /api/tickets/:id/transcript': 'agent',
  'POST /api/tickets/:id/close': 'agent',
  'GET /agent': 'public',
  'GET /agent/:file': 'public',
  'GET /api/metrics': 'lead',
  'GET /api/alerts': 'lead',
  'GET /api/escalations': 'lead',
  'GET /api/conversations/:id': 'lead',
  'GET /api/turns/export': 'lead',
  'GET /api/inbox': 'lead',
  'POST /api/inbox/assign': 'lead',
  'POST /api/inbox/ignore': 'lead',
  'GET /dashboard': 'public',
  'GET /dashboard/:file': 'public',
  'GET /dashboard/vendor/chart.umd.js': 'public',
  'POST /api/privacy/export': 'admin',
  'POST /api/privacy/erase': 'admin',
};

let server: TestServer;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  server = await startTestServer({ ADMIN_USER: 'root', ADMIN_PASSWORD: 'sweep-admin-pw-1' });
  tokens.admin = (await login(server.url, 'root', 'sweep-admin-pw-1')).token;
  for (const role of ['agent', 'lead'] as const) {
    await api(server.url, 'POST', '/api/users', { token: tokens.admin, body: { username: `sweep-${role}`, password: `sweep-${role}-pw-1`, role } });
    tokens[role] = (await login(server.url, `sweep-${role}`, `sweep-${role}-pw-1`)).token;
  }
});
afterAll(async () => server.stop());

function registered(): string[] {
  const routes = (server.app.server as unknown as { router: { getRoutes(): Record<string, { method: string; path?: string; spec?: { path: string } }> } }).router.getRoutes();
  return Object.values(routes).map((r) => `${r.method} ${r.path ?? r.spec?.path}`);
}

/** A concrete URL for a route pattern. */
const concrete = (pattern: string) => pattern.replace(/:conversationId/g, 'no-such-conversation').replace(/:activityId/g, 'a1').replace(/:id/g, 'H-999999').replace(/:name/g, 'nobody').replace(/:asset/g, 'x.js').replace(/:file/g, 'x.js');

describe('authorisation sweep of every route', () => {
  it('every registered route has a declared access level', () => {
    expect(registered().filter((r) => !(r in ACCESS))).toEqual([]);
  });

  const guarded = Object.entries(ACCESS).filter(([, role]) => role === 'agent' || role === 'lead' || role === 'admin');

  it.each(guarded)('%s without credentials → 401', async (route) => {
    const [method, pattern] = route.split(' ') as [string, string];
    const res = await api(server.url, method, concrete(pattern), method === 'GET' ? {} : { body: {} });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBeTruthy();
  });

  it.each(guarded)('%s with a forged token → 401', async (route) => {
    const [method, pattern] = route.split(' ') as [string, string];
    const res = await api(server.url, method, concrete(pattern), { token: 'forged-token', ...(method === 'GET' ? {} : { body: {} }) });
    expect(res.status).toBe(401);
  });

  const rank = { agent: 1, lead: 2, admin: 3 } as const;
  const tooLow = guarded.flatMap(([route, need]) => (['agent', 'lead'] as const).filter((r) => rank[r] < rank[need as keyof typeof rank]).map((r) => [route, r] as const));

  it.each(tooLow)('%s as %s → 403', async (route, role) => {
    const [method, pattern] = route.split(' ') as [string, string];
    const res = await api(server.url, method, concrete(pattern), { token: tokens[role], ...(method === 'GET' ? {} : { body: {} }) });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/role/);
  });

  it('the internal connector routes refuse callers other than the in-process adapter', async () => {
    for (const route of Object.keys(ACCESS).filter((r) => r.includes(' /v3/conversations/'))) {
      const [method, pattern] = route.split(' ') as [string, string];
      const res = await api(server.url, method, concrete(pattern), { body: { type: 'message', text: 'spoofed' } });
      expect([401, 403, 404], route).toContain(res.status);
    }
  });
});
