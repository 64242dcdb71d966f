import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import { api, login } from '../helpers/agentClient.js';
import { botTexts, dl } from '../helpers/directline.js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { customerActivity, postActivity, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let agent: string;
beforeAll(async () => {
  server = await startTestServer({ ADMIN_USER: 'root', ADMIN_PASSWORD: 'webchat-admin-pw-1', BUSINESS_HOURS: 'always' });
  const admin = (await login(server.url, 'root', 'webchat-admin-pw-1')).token;
  await api(server.url, 'POST', '/api/users', { token: admin, body: { username: 'kai', password: 'agent-password-1', role: 'agent' } });
  agent = (await login(server.url, 'kai', 'agent-password-1')).token;
});
afterAll(async () => server.stop());

/** Polls the conversation until a bot message matches, returning every bot text so far. */
async function waitForBot(id: string, token: string, pattern: RegExp): Promise<string[]> {
  for (let i = 0; i < 100; i += 1) {
    const texts = botTexts((await dl(server.url, `/v3/directline/conversations/${id}/activities`, { bearer: token })).body.activities);
    if (texts.some((x) => pattern.test(x))) return texts;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no bot message matching ${pattern}`);
}

describe('escalation from the web chat (built-in Direct Line)', () => {
  it('appears in the queue, the agent reply reaches the customer, resolving hands back to the bot', async () => {
    // The page's flow: a token from /api/webchat/token, then a Direct Line conversation.
    const { token } = (await dl(server.url, '/api/webchat/token', { body: {} })).body;
    const conv = await dl(server.url, '/v3/directline/conversations', { bearer: token, body: {} });
    expect(conv.status).toBe(201);
    const id: string = conv.body.conversationId;
    const say = (text: string) => dl(server.url, `/v3/directline/conversations/${id}/activities`, { bearer: token, body: { type: 'message', from: { id: 'dl_visitor' }, text, locale: 'en-US' } });

    expect((await say('I would like to talk to a real person please')).status).toBe(200);
    await waitForBot(id, token, /number 1 in the queue/);

    const queue = await api(server.url, 'GET', '/api/handoffs?status=queued', { token: agent });
    const handoff = queue.body.items.find((h: { conversationId: string }) => h.conversationId === id);
    expect(handoff).toMatchObject({ status: 'queued', reason: 'requested', channel: 'directline' });
    expect((await api(server.url, 'POST', `/api/handoffs/${handoff.id}/accept`, { token: agent })).status).toBe(200);
    expect((await api(server.url, 'POST', `/api/handoffs/${handoff.id}/messages`, { token: agent, body: { text: 'Hi, Kai here. How can I help?' } })).status).toBe(201);
    await waitForBot(id, token, /Kai here/);
    // What a person sends answers no message of the customer's: with a replyToId (the made-up continuation event's id)
    // Web Chat held each one back for five seconds, waiting for a message that never comes.
    const activities = (await dl(server.url, `/v3/directline/conversations/${id}/activities`, { bearer: token })).body.activities as Array<{ text?: string; replyToId?: string }>;
    const fromPerson = activities.filter((a) => a.text === 'Hi, Kai here. How can I help?' || /kai from our team has joined/.test(a.text ?? ''));
    expect(fromPerson).toHaveLength(2);
    for (const a of fromPerson) expect(a.replyToId, a.text).toBeUndefined();

    await say('my blender arrived without its lid');
    const transcript = await api(server.url, 'GET', `/api/handoffs/${handoff.id}/transcript`, { token: agent });
    expect(transcript.body.turns.map((r: { text: string }) => r.text)).toContain('my blender arrived without its lid');

    expect((await api(server.url, 'POST', `/api/handoffs/${handoff.id}/resolve`, { token: agent, body: { note: 'lid sent' } })).status).toBe(200);
    const texts = await waitForBot(id, token, /rate this chat/);
    expect(texts).toContain(t('en', 'handoff.handBack', { agent: 'kai', bot: server.app.core.config.BOT_NAME }));
    await say('where is my order 10435?');
    await waitForBot(id, token, /I found order 10435/);
  });

  it("cannot be spoken into, or redirected, through /api/messages by someone who knows the conversation's id", async () => {
    // A post naming the web chat conversation spoke to the agent as the customer, and moved the agent's next message
    // (with the built-in Direct Line's key in its Authorization header) to the URL it named; the customer never got it.
    const heard: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
    const listener = createServer((req, res) => {
      heard.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"x"}');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const { token } = (await dl(server.url, '/api/webchat/token', { body: {} })).body;
      const id: string = (await dl(server.url, '/v3/directline/conversations', { bearer: token, body: {} })).body.conversationId;
      await dl(server.url, `/v3/directline/conversations/${id}/activities`, { bearer: token, body: { type: 'message', from: { id: 'dl_visitor' }, text: 'a person please', locale: 'en-US' } });
      await waitForBot(id, token, /in the queue/);
      const handoff = (await api(server.url, 'GET', '/api/handoffs?status=queued', { token: agent })).body.items.find((h: { conversationId: string }) => h.conversationId === id);
      await api(server.url, 'POST', `/api/handoffs/${handoff.id}/accept`, { token: agent });

      const hijack = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/hijack`;
      for (const channelId of ['directline', 'webchat']) {
        const forged = await postActivity(server.url, customerActivity('send the refund to my new account please', id, { channelId, serviceUrl: hijack, deliveryMode: undefined }));
        if (channelId === 'directline') expect(forged).toMatchObject({ status: 403, body: { error: { code: 'conversation_elsewhere' } } });
      }
      const transcript = await api(server.url, 'GET', `/api/handoffs/${handoff.id}/transcript`, { token: agent });
      expect(transcript.body.turns.map((r: { text: string }) => r.text)).not.toContain('send the refund to my new account please');

      expect((await api(server.url, 'POST', `/api/handoffs/${handoff.id}/messages`, { token: agent, body: { text: 'Checking that for you now.' } })).status).toBe(201);
      await waitForBot(id, token, /Checking that for you now/);
      // The forged webchat post is a conversation of its own, answered where it said; nothing carried the key there.
      expect(heard.filter((h) => h.headers.authorization !== undefined)).toEqual([]);
      await api(server.url, 'POST', `/api/handoffs/${handoff.id}/resolve`, { token: agent, body: {} });
    } finally {
      listener.closeAllConnections();
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});
