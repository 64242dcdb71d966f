import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../helpers/agentClient.js';
import { customerActivity, getJson, postJson, postActivity, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ ADMIN_USER: 'root', ADMIN_PASSWORD: 'metrics-admin-pw-1' });
  token = (await login(server.url, 'root', 'metrics-admin-pw-1')).token;
});
const auth = () => ({ authorization: `Bearer ${token}` });
afterAll(async () => server.stop());

/** Plays a conversation over /api/messages, one customer message at a time, a second apart. */
async function play(conversationId: string, userId: string, messages: string[]): Promise<void> {
  for (const text of messages) {
    const res = await postActivity(server.url, customerActivity(text, conversationId, { from: { id: userId, name: userId } }));
    expect(res.status).toBe(200);
    server.clock.advance(1000);
  }
}

describe('scripted conversations replayed over HTTP are counted right by /api/metrics', () => {
  it('contained + surveyed, abandoned at a prompt, abandoned after fallbacks, greeting only', async () => {
    await play('replay-contained', 'u1', ['how do returns work?', 'yes', 'no', '5', '9', 'skip']);
    await play('replay-prompt', 'u2', ['where is my order?']);
    await play('replay-fallback', 'u3', ['zorbly flimflam', 'wuggle plonk']);
    await play('replay-hello', 'u4', ['hello']);
    const today = server.clock.now().toISOString().slice(0, 10);

    // Still within the idle window: the three engaged conversations are open, not yet judged.
    const early = await getJson(`${server.url}/api/metrics?from=${today}&to=${today}`, auth());
    expect(early.body.overall.conversations).toBe(4);

    server.clock.advance(31 * 60_000);
    const res = await getJson(`${server.url}/api/metrics?from=${today}&to=${today}&groupBy=intent`, auth());
    expect(res.status).toBe(200);
    const { overall: m, groups } = res.body;
    expect(m).toMatchObject({ conversations: 4, open: 0, engaged: 3, contained: 1, escalated: 0, abandoned: 2 });
    expect(m.containmentRate).toBeCloseTo(1 / 3, 12);
    expect(m.confirmedShare).toBe(1); // "yes" to "did that answer"
    expect(m.csat).toMatchObject({ score: 1, mean: 5, count: 1, responseRate: 1 });
    expect(m.nps).toEqual({ score: 100, count: 1 });
    expect(m.fallbackRate).toBeCloseTo(2 / 9, 12); // 9 customer messages of engaged conversations (not the "hello"), 2 not understood
    expect(groups.map((g: { key: string }) => g.key)).toEqual(['(none)', 'faq.returns', 'order.status']);
  });

  it('is for leads and admins only', async () => {
    expect((await getJson(`${server.url}/api/metrics?from=2026-11-01&to=2026-11-30`)).status).toBe(401);
    await postJson(`${server.url}/api/users`, { username: 'ann', password: 'agent-password-1', role: 'agent' }, auth());
    const agent = (await login(server.url, 'ann', 'agent-password-1')).token;
    expect((await getJson(`${server.url}/api/metrics?from=2026-11-01&to=2026-11-30`, { authorization: `Bearer ${agent}` })).status).toBe(403);
  });

  it('rejects a bad query with a precise 400', async () => {
    const res = await getJson(`${server.url}/api/metrics?from=2026-11-30&to=2026-11-01`, auth());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/from: must not be after to/);
    const bad = await getJson(`${server.url}/api/metrics?from=yesterday&to=2026-11-01&groupBy=week`, auth());
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/from: must be a date as YYYY-MM-DD/);
  });
});
