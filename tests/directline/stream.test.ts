/** The WebSocket stream: backlog after the watermark, live activities (typing included), refusals, limits, endings. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { api, login } from '../helpers/agentClient.js';
import { dl } from '../helpers/directline.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ DIRECTLINE_SECRET: 'stream-test-secret', DIRECTLINE_MAX_SOCKETS: '2', ADMIN_USER: 'admin', ADMIN_PASSWORD: 'admin-password-1' });
});
afterAll(async () => server.stop());

interface Set {
  activities: Array<{ type: string; text?: string; from: { role?: string } }>;
  watermark?: string;
}

/** An open stream that records every message. */
async function open(url: string) {
  const ws = new WebSocket(url);
  const sets: Set[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    sets.push(JSON.parse(String(data)) as Set);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  /** Resolves once an activity passing `test` has arrived. */
  const until = async (test: (a: Set['activities'][number]) => boolean) => {
    while (!sets.some((s) => s.activities.some(test))) await new Promise<void>((r) => waiters.push(r));
  };
  return { ws, sets, until };
}

/** The HTTP status an upgrade is refused with. */
function refusal(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('error', () => undefined); // terminate() after a refusal reports an error; the status is what matters
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => reject(new Error('the upgrade was accepted')));
  });
}

async function start() {
  const issued = await dl(server.url, '/api/webchat/token', { body: {} });
  const started = await dl(server.url, '/v3/directline/conversations', { bearer: issued.body.token, body: {} });
  return started.body as { conversationId: string; token: string; streamUrl: string };
}

describe('the WebSocket stream', () => {
  it('sends the greeting already in the log, then typing, the echo and the reply live', async () => {
    const conv = await start();
    const { ws, sets, until } = await open(conv.streamUrl);
    try {
      await until((a) => a.from.role === 'bot' && /^Hi, I'm/.test(a.text ?? ''));
      expect(sets[0]?.watermark).toBe('1');
      const sent = await dl(server.url, `/v3/directline/conversations/${conv.conversationId}/activities`, { bearer: conv.token, body: { type: 'message', text: 'track my package' } });
      expect(sent.status).toBe(200);
      await until((a) => a.from.role === 'bot' && /order number/.test(a.text ?? ''));
      const types = sets.flatMap((s) => s.activities.map((a) => `${a.from.role}:${a.type}`));
      expect(types).toEqual(['bot:message', 'user:message', 'bot:typing', 'bot:message']);
      // Typing carries no watermark (it is not in the log); messages do.
      expect(sets.find((s) => s.activities[0]?.type === 'typing')?.watermark).toBeUndefined();
      expect(sets.at(-1)?.watermark).toBe('3');
    } finally {
      ws.close();
    }
  });

  it('shows no typing while a person has the chat: the bot stays quiet then', async () => {
    // Every customer message showed five seconds of "typing…" that nobody was typing.
    const conv = await start();
    const { ws, sets, until } = await open(conv.streamUrl);
    const say = (text: string) => dl(server.url, `/v3/directline/conversations/${conv.conversationId}/activities`, { bearer: conv.token, body: { type: 'message', text } });
    try {
      await say('I want to talk to a person');
      await until((a) => a.from.role === 'bot' && /in the queue/.test(a.text ?? ''));
      const { token } = await login(server.url, 'admin', 'admin-password-1');
      const queued = (await api(server.url, 'GET', '/api/handoffs?status=queued', { token })).body.items as Array<{ id: string; conversationId: string }>;
      const id = queued.find((h) => h.conversationId === conv.conversationId)!.id;
      expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token })).status).toBe(200);
      await until((a) => a.from.role === 'bot' && /has joined/.test(a.text ?? ''));
      const seen = sets.flatMap((set) => set.activities).length;
      await say('hello? are you there');
      expect((await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token, body: { text: 'Yes, reading your order now.' } })).status).toBe(201);
      await until((a) => a.text === 'Yes, reading your order now.');
      const after = sets.flatMap((set) => set.activities).slice(seen).map((a) => `${a.from.role}:${a.type}`);
      expect(after).toEqual(['user:message', 'bot:message']);
    } finally {
      ws.close();
    }
  });

  it('resumes after a watermark without repeating what the client has', async () => {
    const conv = await start();
    await dl(server.url, `/v3/directline/conversations/${conv.conversationId}/activities`, { bearer: conv.token, body: { type: 'message', text: 'hello' } });
    const { ws, sets, until } = await open(`${conv.streamUrl}&watermark=1`);
    try {
      await until((a) => /^Hi! What can I help/.test(a.text ?? ''));
      expect(sets[0]?.activities.map((a) => a.text)).toEqual(['hello', expect.stringMatching(/^Hi! What can I help/)]);
    } finally {
      ws.close();
    }
  });

  it('refuses bad tokens, other conversations\' tokens and unknown conversations', async () => {
    const a = await start();
    const b = await start();
    const base = a.streamUrl.split('?')[0]!;
    expect(await refusal(`${base}?t=nonsense`)).toBe(401);
    expect(await refusal(`${base}?t=${encodeURIComponent(b.token)}`)).toBe(403);
    expect(await refusal(base.replace(a.conversationId, 'NoSuchConversation1') + '?t=stream-test-secret')).toBe(404);
    expect(await refusal(`${a.streamUrl}&watermark=x`)).toBe(400);
  });

  it('refuses an upgrade on any other path at once, rather than holding the socket', async () => {
    // restify also listens for upgrades (to re-emit them), so the stream's "only listener" check never answered:
    // curl --http2 to /healthz hung, and every such socket stayed open for good.
    const ws = server.url.replace(/^http/, 'ws');
    expect(await refusal(`${ws}/healthz`)).toBe(404);
    expect(await refusal(`${ws}/v3/directline/conversations`)).toBe(404);
  });

  it('limits sockets per conversation and closes them when the conversation ends', async () => {
    const conv = await start();
    const first = await open(conv.streamUrl);
    const second = await open(conv.streamUrl);
    expect(await refusal(conv.streamUrl)).toBe(429);
    const closed = new Promise<number>((resolve) => first.ws.once('close', (code) => resolve(code)));
    server.app.directLine.service.store.end(conv.conversationId, 'conversation expired');
    expect(await closed).toBe(1000);
    second.ws.close();
    const after = await dl(server.url, `/v3/directline/conversations/${conv.conversationId}/activities`, { bearer: conv.token });
    expect(after.status).toBe(404);
    expect(after.body.error.code).toBe('conversation_ended');
    // An ended conversation stays ended: its token cannot open it again.
    const reopen = await dl(server.url, '/v3/directline/conversations', { bearer: conv.token, body: {} });
    expect(reopen.status).toBe(404);
  });
});
