import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncomingActivitySchema, toActivity } from '../../bot/http/activitySchema.js';
import { clientIp, fromThisMachine } from '../../bot/http/rateLimit.js';
import { customerActivity, postActivity, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const replyTexts = (body: { activities?: Array<{ type: string; text?: string }> }) =>
  (body.activities ?? []).filter((a) => a.type === 'message').map((a) => a.text ?? '');

describe('POST /api/messages', () => {
  it('returns the dialog replies in the response with deliveryMode expectReplies', async () => {
    const conv = `http-${Date.now()}`;
    const first = await postActivity(server.url, customerActivity('where is my order 10435', conv));
    expect(first.status).toBe(200);
    expect(replyTexts(first.body)).toEqual([expect.stringMatching(/I found order 10435/)]);
    const second = await postActivity(server.url, customerActivity('02139', conv));
    expect(replyTexts(second.body)[0]).toMatch(/on its way with UPS/);
  });

  it('keeps the conversation across requests (state on disk) and separate per conversation', async () => {
    const a = `a-${Date.now()}`;
    const b = `b-${Date.now()}`;
    await postActivity(server.url, customerActivity('track my package', a));
    const other = await postActivity(server.url, customerActivity('hello', b));
    expect(replyTexts(other.body)[0]).toMatch(/Hello!/);
    // Conversation a is still waiting for its order number: a bare "cancel" stops that flow, not a new topic.
    const same = await postActivity(server.url, customerActivity('cancel', a));
    expect(replyTexts(same.body)[0]).toMatch(/I've stopped that/);
  });

  // A channel that missed the answer delivers the same activity again: the FAQ was answered twice, a CSAT score was
  // taken for the NPS question, and a ticket got the same text twice.
  it('handles an activity delivered again (same id, same conversation) once', async () => {
    const conv = `redeliver-${Date.now()}`;
    const question = customerActivity('how long does shipping take?', conv);
    const first = await postActivity(server.url, question);
    expect(replyTexts(first.body)[0]).toMatch(/Standard shipping/);
    const again = await postActivity(server.url, question);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ activities: [] });
    // The conversation carries on from the first delivery: "yes" answers "did that answer your question?".
    expect(replyTexts((await postActivity(server.url, customerActivity('yes', conv))).body)[0]).toMatch(/glad that helped/);
    // The same id in another conversation is another activity.
    const elsewhere = await postActivity(server.url, { ...question, conversation: { id: `${conv}-other` } });
    expect(replyTexts(elsewhere.body)[0]).toMatch(/Standard shipping/);
  });

  it('accepts an activity with channel timestamps and answers it', async () => {
    const sent = { timestamp: '2026-11-25T14:59:58.120Z', localTimestamp: '2026-11-25T09:59:58.120-05:00' };
    const res = await postActivity(server.url, customerActivity('hello', `ts-${Date.now()}`, sent));
    expect(res.status).toBe(200);
    expect(replyTexts(res.body)[0]).toMatch(/Hello!/);
  });

  it('hands botbuilder the timestamps as Dates and keeps the strings as sent', () => {
    const activity = toActivity(
      IncomingActivitySchema.parse(customerActivity('hi', 'c', { timestamp: '2026-11-25T14:59:58.120Z', localTimestamp: '2026-11-25T09:59:58.120-05:00' })),
    );
    expect(activity.timestamp).toEqual(new Date('2026-11-25T14:59:58.120Z'));
    expect(activity.localTimestamp?.getTime()).toBe(Date.parse('2026-11-25T14:59:58.120Z'));
    expect((activity as { rawLocalTimestamp?: string }).rawLocalTimestamp).toBe('2026-11-25T09:59:58.120-05:00');
    expect(toActivity(IncomingActivitySchema.parse(customerActivity('hi', 'c'))).timestamp).toBeUndefined();
  });

  it('rejects malformed JSON with a clear JSON error', async () => {
    const res = await postActivity(server.url, '{"type": "message", "text": ');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/JSON/i);
    expect(JSON.stringify(res.body)).not.toMatch(/\bat \w+ \(/); // no stack trace
  });

  it('refuses a body that is not JSON, saying what to send', async () => {
    // The whole message was "text/plain".
    const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: { code: 'unsupported_media_type', message: 'Unsupported content type text/plain: send the body as application/json.' } });
  });

  it('refuses a form-encoded body on every route, as a cross-site form would post it', async () => {
    // The login answered 200 to username=…&password=….
    for (const route of ['/api/messages', '/api/auth/login']) {
      const res = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=x' });
      expect(res.status, route).toBe(415);
      expect(await res.json()).toEqual({ error: { code: 'unsupported_media_type', message: 'Unsupported content type application/x-www-form-urlencoded: send the body as application/json.' } });
    }
  });

  it('rejects an activity without a type, naming the field', async () => {
    const { type: _t, ...noType } = customerActivity('hi', 'c1');
    const res = await postActivity(server.url, noType);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_request', message: expect.stringContaining('type') } });
  });

  // Each got 200 and no reply: a missing recipient lost an urgent complaint to a failed handoff; "isGroup": "yes" and
  // a number for a name failed as the reply was written; a null member threw in the welcome.
  it.each([
    ['recipient', (a: Record<string, unknown>) => ({ ...a, recipient: undefined }), 'recipient: is required'],
    // A request for a person without it failed inside the turn: "Sorry, something went wrong", with 200.
    ['serviceUrl', (a: Record<string, unknown>) => ({ ...a, serviceUrl: undefined }), 'serviceUrl: is required'],
    ['serviceUrl', (a: Record<string, unknown>) => ({ ...a, serviceUrl: 'not an address' }), 'serviceUrl: must be an http(s) address'],
    ['conversation.isGroup', (a: Record<string, unknown>) => ({ ...a, conversation: { id: 'c-typed', isGroup: 'yes' } }), 'conversation.isGroup'],
    ['from.role', (a: Record<string, unknown>) => ({ ...a, from: { id: 'u', role: 7 } }), 'from.role'],
    ['membersAdded', (a: Record<string, unknown>) => ({ ...a, type: 'conversationUpdate', membersAdded: [null, {}] }), 'membersAdded'],
  ])('rejects an activity whose %s is missing or of the wrong type, naming it', async (_field, change, named) => {
    const res = await postActivity(server.url, change(customerActivity('my order 10401 arrived smashed', 'c-typed') as unknown as Record<string, unknown>));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_request', message: expect.stringContaining(named) } });
  });

  it('accepts null where a channel has no value for an optional field, and answers', async () => {
    const activity = customerActivity('hello', 'c-nulls', { deliveryMode: 'expectReplies' });
    const res = await postActivity(server.url, {
      ...activity,
      from: { id: 'customer-1', name: null, role: null, aadObjectId: null },
      recipient: { id: 'bot', name: null },
      conversation: { id: 'c-nulls', name: null, isGroup: null, conversationType: null, tenantId: null },
    });
    expect(res.status).toBe(200);
    expect(replyTexts(res.body).length).toBeGreaterThan(0);
  });

  it('limits each conversation\'s messages per minute, typing indicators apart', async () => {
    // Sixty typing indicators used up the minute, and the message after them got 429.
    const limited = await startTestServer({ MESSAGES_PER_MINUTE: '3' });
    try {
      for (let i = 0; i < 5; i += 1) await postActivity(limited.url, { ...customerActivity('', 'c-limit'), type: 'typing', text: undefined });
      for (let i = 0; i < 3; i += 1) expect((await postActivity(limited.url, customerActivity('hi', 'c-limit', { deliveryMode: 'expectReplies' }))).status).toBe(200);
      const refused = await postActivity(limited.url, customerActivity('hi', 'c-limit', { deliveryMode: 'expectReplies' }));
      expect(refused.status).toBe(429);
      expect(refused.body.error.message).toMatch(/messages in this conversation/);
      expect((await postActivity(limited.url, customerActivity('hi', 'c-other', { deliveryMode: 'expectReplies' }))).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('takes activities from this machine only while it has no Bot Framework credentials (open mode)', async () => {
    // Open to the network, anyone spoke as any channel user (a ticket's answer was read back by naming its customer's
    // id from a new conversation) and had the bot post to any URL they named.
    const proxied = await startTestServer({ TRUST_PROXY: 'true' });
    try {
      const via = (forwarded: string) => postActivity(proxied.url, customerActivity('hello', `open-${forwarded}`), { 'x-forwarded-for': forwarded });
      const outside = await via('203.0.113.5');
      expect(outside.status).toBe(403);
      expect(outside.body.error).toEqual({ code: 'open_mode', message: expect.stringMatching(/^This bot has no MicrosoftAppId \(open local mode\), so \/api\/messages takes activities from this machine only/) });
      // The hop the proxy added is the one that counts: a client cannot write its way in.
      expect((await via('127.0.0.1, 203.0.113.5')).status).toBe(403);
      expect((await via('203.0.113.5, 127.0.0.1')).status).toBe(200);
      expect((await postActivity(proxied.url, customerActivity('hello', 'open-local'))).status).toBe(200);
    } finally {
      await proxied.stop();
    }
    const req = (remoteAddress: string, forwarded?: string) => ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} });
    expect(fromThisMachine(req('::ffff:127.0.0.1'), false)).toBe(true);
    expect(fromThisMachine(req('::1'), false)).toBe(true);
    expect(fromThisMachine(req('10.0.0.7'), false)).toBe(false);
    expect(fromThisMachine(req('10.0.0.7', '127.0.0.1'), true)).toBe(false);
    // An empty last hop says nothing about where the request came from.
    expect(fromThisMachine(req('127.0.0.1', '203.0.113.5,'), true)).toBe(false);
    expect(clientIp(req('127.0.0.1', '10.9.8.7, 203.0.113.5'), true)).toBe('203.0.113.5');
    expect(clientIp(req('127.0.0.1', '10.9.8.7, 203.0.113.5'), false)).toBe('127.0.0.1');
  });

  it('refuses an activity nested deeper than any channel nests, naming why', async () => {
    const body = JSON.stringify(customerActivity('hello', 'deep-1')).replace(/}$/, `,"channelData":${'['.repeat(15_000)}${']'.repeat(15_000)}}`);
    const res = await postActivity(server.url, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Invalid activity: must not nest objects and arrays more than 64 levels deep');
  });

  it('rejects a body that is not an object', async () => {
    const res = await postActivity(server.url, '[1,2,3]');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('rejects an oversized body with 413', async () => {
    const res = await postActivity(server.url, customerActivity('x'.repeat(200 * 1024), 'big'));
    expect(res.status).toBe(413);
    expect(res.body.error.message).toBeTruthy();
  });

  it('reads a message at the longest the configuration allows, emoji or \\u-escaped, without a 413', async () => {
    // The body limit the configuration accepts beside MAX_MESSAGE_CHARS=4500 (MAX_BODY_KB 64) holds it, however sent.
    const roomy = await startTestServer({ MAX_MESSAGE_CHARS: '4500' });
    try {
      const emoji = await postActivity(roomy.url, customerActivity('😀'.repeat(4500), 'emoji-at-limit'));
      expect(emoji.status).toBe(200);
      // As Python's json.dumps sends it: every emoji a pair of six-byte escapes.
      const escaped = JSON.stringify(customerActivity('😀'.repeat(4500), 'escaped-at-limit')).replace(/😀/g, '\\ud83d\\ude00');
      const res = await postActivity(roomy.url, escaped);
      expect(res.status).toBe(200);
      expect(replyTexts(res.body).length).toBeGreaterThan(0);
    } finally {
      await roomy.stop();
    }
  });

  it('refuses a long (but not oversized) message politely in the chat', async () => {
    const res = await postActivity(server.url, customerActivity('y'.repeat(10 * 1024), 'long'));
    expect(res.status).toBe(200);
    expect(replyTexts(res.body)[0]).toMatch(/too long/);
  });

  it('answers unknown routes with the same JSON error shape', async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  });
});

describe('compressed request bodies', () => {
  // 16 MB of JSON in about 16 KB: inflating it is the attack, so it must be refused before it is read.
  const bomb = gzipSync(`{"type":"message","text":"${' '.repeat(16 * 1024 * 1024)}"}`);

  it.each(['/api/messages', '/api/auth/login', '/v3/directline/conversations/c1/activities'])(
    'are refused with 415 on %s before they are inflated',
    async (route) => {
      const res = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
      expect(res.status).toBe(415);
      expect(res.headers.get('accept-encoding')).toBe('identity');
      expect(await res.json()).toEqual({
        error: { code: 'unsupported_content_encoding', message: 'Content-Encoding "gzip" is not accepted: send the body uncompressed.' },
      });
    },
  );

  it('are refused whatever the coding is called, while identity is an uncompressed body', async () => {
    const deflated = await postActivity(server.url, customerActivity('hello', `enc-${Date.now()}`), { 'content-encoding': 'Deflate' });
    expect(deflated.status).toBe(415);
    const identity = await postActivity(server.url, customerActivity('hello', `id-${Date.now()}`), { 'content-encoding': 'identity' });
    expect(identity.status).toBe(200);
    expect(replyTexts(identity.body)[0]).toMatch(/Hello!/);
    // No body, nothing to inflate.
    expect((await fetch(`${server.url}/healthz`, { headers: { 'content-encoding': 'gzip' } })).status).toBe(200);
  });
});

describe('health', () => {
  it('GET /healthz is ok', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports the NLU and storage checks', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(body.status).toBe('ready');
    expect(body.checks.nlu?.ok).toBe(true);
    expect(body.checks.storage?.ok).toBe(true);
  });
});

describe('Bot Framework authentication', () => {
  it('with MicrosoftAppId set, a request without a channel token is refused', async () => {
    const secured = await startTestServer({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' });
    try {
      const res = await postActivity(secured.url, customerActivity('hi', 'auth-1'));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/\S/) } });
      const forged = await postActivity(secured.url, customerActivity('hi', 'auth-2'), { authorization: 'Bearer not.a.jwt' });
      expect(forged.status).toBe(401);
      expect(forged.body.error.code).toBe('unauthorized');
      expect(JSON.stringify(forged.body)).not.toMatch(/\bat \w+ \(/); // no stack trace
    } finally {
      await secured.stop();
    }
  });
});
