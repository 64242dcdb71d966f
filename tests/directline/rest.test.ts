/** The Direct Line REST surface: the happy path, watermarks, tokens, and every kind of bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../bot/directline/tokens.js';
import { botTexts, dl } from '../helpers/directline.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SECRET = 'rest-test-secret';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ DIRECTLINE_SECRET: SECRET, DIRECTLINE_MESSAGES_PER_MINUTE: '5', WEBCHAT_TOKENS_PER_MINUTE: '50' });
});
afterAll(async () => server.stop());

/** Starts a conversation with a fresh token, as the web page does. */
async function start(locale = 'en-US') {
  const issued = await dl(server.url, '/api/webchat/token', { body: {} });
  const started = await dl(server.url, '/v3/directline/conversations', { bearer: issued.body.token, body: { locale } });
  expect(started.status).toBe(201);
  return { id: started.body.conversationId as string, token: started.body.token as string, userId: issued.body.userId as string };
}

const post = (id: string, token: string, body: unknown) => dl(server.url, `/v3/directline/conversations/${id}/activities`, { bearer: token, body });
const list = (id: string, token: string, watermark?: string) =>
  dl(server.url, `/v3/directline/conversations/${id}/activities${watermark === undefined ? '' : `?watermark=${watermark}`}`, { bearer: token });

describe('conversations', () => {
  it('greets first, echoes the customer message and answers it, with watermarks', async () => {
    const { id, token, userId } = await start();
    const first = await list(id, token);
    expect(first.status).toBe(200);
    expect(botTexts(first.body.activities)).toEqual([expect.stringMatching(/^Hi, I'm Brightcart Assistant/)]);
    expect(first.body.watermark).toBe('1');

    const sent = await post(id, token, { type: 'message', text: 'hello', from: { id: 'someone-else' }, channelData: { clientActivityID: 'c-1' } });
    expect(sent.status).toBe(200);
    expect(sent.body.id).toBe(`${id}|0000002`);

    const next = await list(id, token, first.body.watermark);
    const [echo, ...replies] = next.body.activities;
    // The token fixes who is speaking; the client's clientActivityID comes back so Web Chat can match its message.
    expect(echo).toMatchObject({ type: 'message', text: 'hello', from: { id: userId, role: 'user' }, channelId: 'directline', channelData: { clientActivityID: 'c-1' } });
    expect(botTexts(replies)[0]).toMatch(/^Hi! What can I help/);
    expect(replies[0].replyToId).toBe(sent.body.id);
    // Typing indicators are live-only: they never land in the history.
    expect(next.body.activities.some((a: { type: string }) => a.type === 'typing')).toBe(false);
    // Suggested actions pass through untouched for Web Chat to render as buttons.
    expect(replies[0].suggestedActions.actions.map((a: { title: string }) => a.title)).toContain('Track an order');

    const none = await list(id, token, next.body.watermark);
    expect(none.body).toEqual({ activities: [], watermark: next.body.watermark });
  });

  it('asks again after an answer a prompt cannot take (the typing indicator does not count as the reply)', async () => {
    const { id, token } = await start();
    const asked = await post(id, token, { type: 'message', text: 'where is my order 10231?' });
    const afterQuestion = await list(id, token, asked.body.id.split('|')[1]);
    expect(botTexts(afterQuestion.body.activities).join(' ')).toMatch(/postcode/);

    const wrong = await post(id, token, { type: 'message', text: 'nobody@example.com' });
    const retry = await list(id, token, afterQuestion.body.watermark);
    // The activity after the customer's echo is the prompt's retry, not silence.
    expect(retry.body.activities[0]).toMatchObject({ type: 'message', id: wrong.body.id });
    expect(botTexts(retry.body.activities)).toEqual([expect.stringMatching(/^That doesn't match what we have on file/)]);
  });

  it('takes a client\'s retry (the same clientActivityID) as the message already posted', async () => {
    // Three posts of one message gave three customer messages and three answers.
    const { id, token } = await start();
    const message = { type: 'message', text: 'how long does delivery take', channelData: { clientActivityID: 'retry-1' } };
    const posts = await Promise.all([post(id, token, message), post(id, token, message), post(id, token, message)]);
    expect(new Set(posts.map((p) => p.body.id)).size).toBe(1);
    const log = (await list(id, token)).body.activities as Array<{ type: string; from: { role: string } }>;
    expect(log.filter((a) => a.type === 'message' && a.from.role === 'user')).toHaveLength(1);
    // Another message with its own id is a message of its own.
    expect((await post(id, token, { ...message, channelData: { clientActivityID: 'retry-2' } })).body.id).not.toBe(posts[0]!.body.id);
  });

  it('passes the locale the client starts with to the bot (the greeting is for that locale)', async () => {
    const { id, token } = await start('es-ES');
    const first = await list(id, token);
    expect(first.body.activities[0]).toMatchObject({ type: 'message', locale: 'es-ES', from: { role: 'bot' } });
  });

  it('starts conversations with the secret, and tokens/generate hands out tokens for new ones', async () => {
    const bySecret = await dl(server.url, '/v3/directline/conversations', { bearer: SECRET, body: { user: { id: 'dl_backend-user' } } });
    expect(bySecret.status).toBe(201);
    expect(bySecret.body).toMatchObject({ conversationId: expect.any(String), token: expect.any(String), expires_in: 1800 });
    expect(bySecret.body.streamUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/[\w-]+\/stream\?t=/);

    const generated = await dl(server.url, '/v3/directline/tokens/generate', { bearer: SECRET, body: { user: { id: 'dl_42' } } });
    expect(generated.status).toBe(200);
    const again = () => dl(server.url, '/v3/directline/conversations', { bearer: generated.body.token, body: {} });
    expect((await again()).status).toBe(201);
    const second = await again();
    expect(second.status).toBe(200);
    expect(second.body.conversationId).toBe(generated.body.conversationId);

    const reconnect = await dl(server.url, `/v3/directline/conversations/${generated.body.conversationId}?watermark=1`, { bearer: generated.body.token });
    expect(reconnect.status).toBe(200);
    expect(reconnect.body.streamUrl).toMatch(/&watermark=1$/);
  });

  it('lets a secret holder (or an unbound token) name its own user, as the real service does', async () => {
    const started = await dl(server.url, '/v3/directline/conversations', { bearer: SECRET, body: {} });
    const id = started.body.conversationId;
    await post(id, SECRET, { type: 'message', text: 'hello', from: { id: 'user1', name: 'Ann' } });
    const unbound = await dl(server.url, '/v3/directline/tokens/generate', { bearer: SECRET, body: {} });
    await dl(server.url, '/v3/directline/conversations', { bearer: unbound.body.token, body: {} });
    await post(unbound.body.conversationId, unbound.body.token, { type: 'message', text: 'hi', from: { id: 'user2' } });
    const first = (await list(id, SECRET)).body.activities.find((a: { text?: string }) => a.text === 'hello');
    expect(first.from).toEqual({ id: 'user1', name: 'Ann', role: 'user' });
    const second = (await list(unbound.body.conversationId, unbound.body.token)).body.activities.find((a: { text?: string }) => a.text === 'hi');
    expect(second.from.id).toBe('user2');
    const odd = await post(id, SECRET, { type: 'message', text: 'x', from: { id: 'has spaces/and slashes' } });
    expect(odd.status).toBe(400);
    expect(odd.body.error.message).toMatch(/^Invalid activity: from\.id/);
  });

  it('refreshes a token (the new one works) but not with the secret', async () => {
    const { id, token } = await start();
    const refreshed = await dl(server.url, '/v3/directline/tokens/refresh', { bearer: token, method: 'POST' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.conversationId).toBe(id);
    expect((await list(id, refreshed.body.token)).status).toBe(200);
    const withSecret = await dl(server.url, '/v3/directline/tokens/refresh', { bearer: SECRET, method: 'POST' });
    expect(withSecret.status).toBe(403);
  });

  it('accepts proactive messages (not replies) from the Direct Line adapter, as agents will send them', async () => {
    const { id, token, userId } = await start();
    const { service } = server.app.directLine;
    const reference = { channelId: 'directline', serviceUrl: service.serviceUrl, conversation: { id, isGroup: false, conversationType: 'personal', name: '' }, bot: service.botAccount, user: { id: userId, name: '' } };
    expect(service.owns(reference)).toBe(true);
    await service.adapter.continueConversationAsync('', reference, async (context) => {
      await context.sendActivity('Hi, this is Sam from the support team.');
    });
    const all = await list(id, token);
    expect(botTexts(all.body.activities)).toContain('Hi, this is Sam from the support team.');
  });
});

describe('bad input gets a precise 4xx and the server stays healthy', () => {
  it('no or bad credentials → 401', async () => {
    const { id } = await start();
    const none = await list(id, '');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Bearer') } });
    expect((await list(id, 'not.a.token')).status).toBe(401);
    const forged = new TokenService('some-other-secret', 60).issue(id, 'dl_x').token;
    expect((await list(id, forged)).status).toBe(401);
  });

  it('a token for another conversation → 403', async () => {
    const a = await start();
    const b = await start();
    const res = await list(a.id, b.token);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await post(a.id, b.token, { type: 'message', text: 'hi' })).status).toBe(403);
  });

  it('an expired token → 403 token_expired, also for refresh', async () => {
    const { id } = await start();
    const expired = new TokenService(SECRET, 60, () => Date.now() - 3_600_000).issue(id, 'dl_old').token;
    const res = await list(id, expired);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'token_expired', message: expect.stringMatching(/expired/) } });
    expect((await dl(server.url, '/v3/directline/tokens/refresh', { bearer: expired, method: 'POST' })).status).toBe(403);
  });

  it('an unknown conversation → 404 (with the secret, so only existence is in question)', async () => {
    const res = await dl(server.url, '/v3/directline/conversations/NoSuchConversation1/activities', { bearer: SECRET });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('malformed activities → 400 naming the field', async () => {
    const { id, token } = await start();
    const noType = await post(id, token, { text: 'hi' });
    expect(noType.status).toBe(400);
    expect(noType.body.error.message).toMatch(/type/);
    const update = await post(id, token, { type: 'conversationUpdate', membersAdded: [{ id: 'x' }] });
    expect(update.status).toBe(400);
    const badText = await post(id, token, { type: 'message', text: 42 });
    expect(badText.body.error.message).toMatch(/^Invalid activity: text/);
    const script = await post(id, token, { type: 'message', attachments: [{ contentType: 'text/html', contentUrl: 'javascript:alert(1)' }] });
    expect(script.status).toBe(400);
    const notJson = await post(id, token, '{"type": "message", ');
    expect(notJson.status).toBe(400);
    const array = await post(id, token, [1, 2]);
    expect(array.status).toBe(400);
    const badWatermark = await list(id, token, 'abc');
    expect(badWatermark.status).toBe(400);
    expect(badWatermark.body.error.message).toMatch(/watermark/);
    // 15,000 nested arrays in channelData (30 kB) overflowed the stack storing the activity: 500, said as an internal error.
    const deep = await post(id, token, `{"type":"message","text":"hello","channelData":${'['.repeat(15_000)}${']'.repeat(15_000)}}`);
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toBe('Invalid activity: must not nest objects and arrays more than 64 levels deep');
    expect((await post(id, token, { type: 'message', text: 'still here', channelData: { a: { b: [1, [2]] } } })).status).toBe(200);
  });

  it('100 kB of text → 413, and the conversation and server carry on', async () => {
    const { id, token } = await start();
    const huge = await post(id, token, { type: 'message', text: 'x'.repeat(100 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toBeTruthy();
    expect(JSON.stringify(huge.body)).not.toMatch(/\bat \w+ \(/);
    const ok = await post(id, token, { type: 'message', text: 'hello' });
    expect(ok.status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('too many messages in a minute → 429 with Retry-After', async () => {
    const { id, token } = await start();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i += 1) {
      const res = await post(id, token, { type: 'message', text: 'thanks' });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('answers CORS preflight for pages on other sites', async () => {
    const res = await fetch(`${server.url}/v3/directline/conversations`, { method: 'OPTIONS', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  });
});

describe('the connector routes are for the in-process adapter only', () => {
  it('refuses callers without the internal key, and conversations it does not hold', async () => {
    const { id } = await start();
    const body = { type: 'message', text: 'spoofed' };
    const anon = await dl(server.url, `/v3/conversations/${id}/activities`, { body });
    expect(anon.status).toBe(401);
    const withSecret = await dl(server.url, `/v3/conversations/${id}/activities/x`, { body, bearer: SECRET });
    expect(withSecret.status).toBe(401);
    const key = server.app.directLine.service.internalKey;
    const unknown = await dl(server.url, '/v3/conversations/not-ours/activities', { body, bearer: key });
    expect(unknown.status).toBe(404);
  });
});

describe('limits', () => {
  it('refuses new conversations with 503 when full, and web chat tokens past the per-address limit with 429', async () => {
    const small = await startTestServer({ DIRECTLINE_SECRET: SECRET, DIRECTLINE_MAX_CONVERSATIONS: '2', WEBCHAT_TOKENS_PER_MINUTE: '3' });
    try {
      const open = () => dl(small.url, '/v3/directline/conversations', { bearer: SECRET, body: {} });
      expect((await open()).status).toBe(201);
      expect((await open()).status).toBe(201);
      const full = await open();
      expect(full.status).toBe(503);
      expect(full.body.error.code).toBe('capacity');
      const tokens = [];
      for (let i = 0; i < 4; i += 1) tokens.push((await dl(small.url, '/api/webchat/token', { body: {} })).status);
      expect(tokens).toEqual([200, 200, 200, 429]);
    } finally {
      await small.stop();
    }
  });
});

describe('with Bot Framework authentication on', () => {
  it('/api/messages wants channel tokens while the built-in Direct Line still converses (its own adapter)', async () => {
    const secured = await startTestServer({ DIRECTLINE_SECRET: SECRET, MicrosoftAppId: '00000000-0000-0000-0000-000000000002', MicrosoftAppPassword: 'not-a-real-secret' });
    try {
      const started = await dl(secured.url, '/v3/directline/conversations', { bearer: SECRET, body: {} });
      const { conversationId: id, token } = started.body;
      await dl(secured.url, `/v3/directline/conversations/${id}/activities`, { bearer: token, body: { type: 'message', text: 'hello' } });
      const all = await dl(secured.url, `/v3/directline/conversations/${id}/activities`, { bearer: token });
      expect(botTexts(all.body.activities)).toEqual([expect.stringMatching(/^Hi, I'm/), expect.stringMatching(/^Hi! What can I help/)]);
      const messages = await fetch(`${secured.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', channelId: 'webchat', serviceUrl: 'https://example.invalid/', from: { id: 'x' }, recipient: { id: 'bot' }, conversation: { id: 'y' }, text: 'hi' }) });
      expect(messages.status).toBe(401);
    } finally {
      await secured.stop();
    }
  });
});
