/**
 * Two parties over real HTTP: a customer on /api/messages (its serviceUrl pointing at a fake channel connector) and
 * agents on /api/handoffs. Escalation, accept, messages both ways, resolve, and the bot resuming.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import { sessionsFromRecords } from '../../metrics/sessions.js';
import type { TurnRecord } from '../../storage/turnLog.js';
import { api, login, openEvents } from '../helpers/agentClient.js';
import { type FakeConnector, startFakeConnector } from '../helpers/fakeConnector.js';
import { customerActivity, postActivity, startTestServer, type TestServer } from '../helpers/server.js';

const ADMIN = { user: 'admin', password: 'admin-password-1' };
const PASSWORD = 'agent-password-1';
let server: TestServer;
let connector: FakeConnector;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  connector = await startFakeConnector();
  server = await startTestServer({ ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password });
  const admin = await login(server.url, ADMIN.user, ADMIN.password);
  for (const [username, role] of [['alex', 'agent'], ['blair', 'agent'], ['lee', 'lead']]) {
    const res = await api(server.url, 'POST', '/api/users', { token: admin.token, body: { username, password: PASSWORD, role } });
    expect(res.status).toBe(201);
    tokens[username!] = (await login(server.url, username!, PASSWORD)).token;
  }
});
afterAll(async () => {
  await server.stop();
  await connector.close();
});

/** The customer says something; returns the bot's immediate replies (expectReplies). */
async function customer(conversationId: string, text: string) {
  const res = await postActivity(server.url, customerActivity(text, conversationId, { serviceUrl: connector.url, from: { id: `cust-${conversationId}`, name: 'Customer' } }));
  expect(res.status).toBe(200);
  const activities = (res.body?.activities ?? []) as Array<{ type: string; name?: string; text?: string; value?: any; attachments?: any[] }>;
  return { messages: activities.filter((a) => a.type === 'message').map((a) => a.text ?? ''), activities };
}

async function escalate(conversationId: string): Promise<string> {
  await customer(conversationId, 'I want to talk to a person');
  const list = await api(server.url, 'GET', '/api/handoffs?status=queued', { token: tokens.alex });
  const item = list.body.items.find((h: { conversationId: string }) => h.conversationId === conversationId);
  return item.id as string;
}

describe('escalation round trip over HTTP', () => {
  it('customer escalates, an agent accepts and chats, resolves, and the bot takes the conversation back', async () => {
    const conv = 'rt-1';
    const events = await openEvents(server.url, tokens.alex!);
    await events.next((e) => e.event === 'snapshot');

    // 1. The customer asks for a person: place in the queue, and the Bot Framework handoff event.
    await customer(conv, 'where is my order 10435?');
    const escalation = await customer(conv, 'I want to talk to a person');
    expect(escalation.messages[0]).toMatch(/Of course, I'll get a person from our team\. You're number \d+ in the queue/);
    const initiate = escalation.activities.find((a) => a.type === 'event');
    expect(initiate).toMatchObject({ name: 'handoff.initiate', value: { reason: 'requested' }, attachments: [{ contentType: 'application/json', name: 'Transcript' }] });
    const { handoffId } = initiate!.value as { handoffId: string };

    // 2. It shows up in the queue and on the consoles' live stream.
    const created = await events.next((e) => e.event === 'handoff' && e.data.id === handoffId);
    expect(created.data).toMatchObject({ status: 'queued', reason: 'requested', channel: 'webchat', locale: 'en', intents: ['order.status', 'agent.handoff'] });
    expect(created.data.reference).toBeUndefined();
    const queued = await api(server.url, 'GET', '/api/handoffs?status=queued', { token: tokens.alex });
    expect(queued.body.items.map((h: { id: string }) => h.id)).toContain(handoffId);

    // 3. Alex accepts; the customer is told on their channel (the connector), in a proactive message.
    server.clock.advance(90_000);
    const accepted = await api(server.url, 'POST', `/api/handoffs/${handoffId}/accept`, { token: tokens.alex });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ id: handoffId, status: 'active', agent: 'alex', notified: true });
    const joined = await connector.waitFor((r) => r.conversationId === conv && /alex from our team has joined/.test(r.activity.text ?? ''));
    expect(joined.activity).toMatchObject({ type: 'message', recipient: { id: `cust-${conv}` }, conversation: { id: conv } });
    await events.next((e) => e.event === 'handoff' && e.data.id === handoffId && e.data.status === 'active');

    // 4. The customer writes: it goes to the agent, the bot says nothing.
    const said = await customer(conv, 'My parcel never arrived and I need it by Friday');
    expect(said.messages).toEqual([]);
    const line = await events.next((e) => e.event === 'message' && e.data.handoffId === handoffId && e.data.from === 'customer' && /never arrived/.test(e.data.text));
    expect(line.data).toMatchObject({ text: 'My parcel never arrived and I need it by Friday', ts: expect.any(String) });

    // 5. The agent answers: it reaches the customer through the connector.
    server.clock.advance(30_000);
    const sent = await api(server.url, 'POST', `/api/handoffs/${handoffId}/messages`, { token: tokens.alex, body: { text: "So sorry! I've sent a replacement by express." } });
    expect(sent.status).toBe(201);
    const delivered = await connector.waitFor((r) => r.conversationId === conv && r.activity.text === "So sorry! I've sent a replacement by express.");
    // Channels read channelData as their own payload (Slack's, Facebook's): the agent's name rides there only on the
    // built-in Direct Line. Nor does a proactive message claim to answer one.
    expect(delivered.activity.channelData).toBeUndefined();
    expect(delivered.activity.replyToId).toBeUndefined();

    // 6. The transcript: the turn log of the conversation, with relayed and agent turns marked.
    const transcript = await api(server.url, 'GET', `/api/handoffs/${handoffId}/transcript`, { token: tokens.alex });
    expect(transcript.status).toBe(200);
    const turns = transcript.body.turns as Array<Record<string, unknown>>;
    expect(turns.find((r) => r.direction === 'in' && r.text === 'My parcel never arrived and I need it by Friday')).toMatchObject({ actor: 'customer', dialog: 'handoff', outcome: 'agent', handoffId });
    expect(turns.find((r) => r.text === "So sorry! I've sent a replacement by express.")).toMatchObject({ direction: 'out', actor: 'agent', outcome: 'agent', dialog: 'agent', handoffId, latencyMs: null });
    expect(turns.find((r) => r.direction === 'in' && r.text === 'I want to talk to a person')).toMatchObject({ outcome: 'escalated', handoffId });

    // 7. Resolve with a note: the bot takes back and says so on the customer's channel.
    server.clock.advance(120_000);
    const resolved = await api(server.url, 'POST', `/api/handoffs/${handoffId}/resolve`, { token: tokens.alex, body: { note: 'Replacement 10435-R sent' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', note: 'Replacement 10435-R sent', endedBy: 'agent', agent: 'alex', closedBy: 'alex', notified: true });
    const backText = t('en', 'handoff.handBack', { agent: 'alex', bot: server.app.core.config.BOT_NAME });
    await connector.waitFor((r) => r.conversationId === conv && r.activity.text === backText);
    await events.next((e) => e.event === 'handoff' && e.data.id === handoffId && e.data.status === 'resolved');

    // 8. The bot answers the customer again, in a new conversation for the metrics (DESIGN §4: a resolved handoff ends
    // one): the question was folded into the escalation, which took its topic and its abandonment with it.
    const again = await customer(conv, 'where is my order 10435?');
    expect(again.messages[0]).toMatch(/I found order 10435/);
    const log: TurnRecord[] = [];
    for await (const r of server.app.core.turnLog.read()) if (r.conversationId === conv) log.push(r);
    const sessions = sessionsFromRecords(log, server.app.core.config.SESSION_IDLE_MINUTES * 60_000);
    expect(sessions.map((s) => [s.handoffIds, s.customerMessages])).toEqual([[[handoffId], 3], [[], 1]]);

    // The timestamps the metrics engine reads (queue wait, agent FRT, resolution), from the injected clock.
    const h = (await api(server.url, 'GET', `/api/handoffs/${handoffId}`, { token: tokens.lee })).body;
    const ms = (a: string, b: string) => Date.parse(h[b]) - Date.parse(h[a]);
    expect([ms('createdAt', 'acceptedAt'), ms('createdAt', 'firstAgentMessageAt'), ms('createdAt', 'resolvedAt')]).toEqual([90_000, 120_000, 240_000]);
    expect(connector.texts(conv)).toEqual([
      expect.stringMatching(/alex from our team has joined/),
      "So sorry! I've sent a replacement by express.",
      backText,
      t('en', 'survey.csat'), // the survey follows the hand-back
    ]);

    // A console that goes away releases its stream and its subscription.
    expect(server.app.agentApi.streams.size).toBe(1);
    events.close();
    while (server.app.agentApi.streams.size > 0) await new Promise((r) => setTimeout(r, 10));
    expect(server.app.core.handoffs.events.size).toBe(0);
  });

  it('of two agents accepting at once, exactly one wins; the other gets 409 naming who has it', async () => {
    const id = await escalate('rt-race');
    const [a, b] = await Promise.all([
      api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex }),
      api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.blair }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const lost = a.status === 409 ? a : b;
    const winner = a.status === 200 ? 'alex' : 'blair';
    expect(lost.body).toEqual({ error: { code: 'already_accepted', message: `${id} was already accepted by ${winner}.` } });
    expect(connector.texts('rt-race').filter((x) => /joined the chat/.test(x))).toHaveLength(1);
  });

  it('only the agent who has the handoff writes in it; nobody writes in a queued one', async () => {
    const id = await escalate('rt-owner');
    const early = await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.alex, body: { text: 'hi' } });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'not_active' } } });
    const resolveQueued = await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.alex, body: {} });
    expect(resolveQueued.status).toBe(409);
    await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex });
    const other = await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.blair, body: { text: 'me too' } });
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'not_your_handoff', message: `${id} is handled by alex; only they can write in it.` } } });
    const empty = await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.alex, body: { text: '   ' } });
    expect(empty).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: 'Invalid message: text: must not be empty' } } });
    // The customer saw "a�b␇c"; line breaks and tabs stay an agent's to use.
    const control = await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.alex, body: { text: 'a\u0000b\u0007c' } });
    expect(control).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: 'Invalid message: text: must not contain control characters' } } });
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.alex, body: { text: 'first line\n\tsecond line' } })).status).toBe(201);
    // A lead may close someone else's handoff.
    const byLead = await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.lee, body: { note: 'closed by lead' } });
    expect(byLead.body).toMatchObject({ status: 'resolved', agent: 'alex' });
    const twice = await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.alex, body: {} });
    expect(twice.body.error).toEqual({ code: 'closed', message: `${id} is already resolved.` });
  });

  it('an agent hands a chat to a colleague: the customer hears who took over, and only the colleague writes from then on', async () => {
    const conv = 'rt-transfer';
    const id = await escalate(conv);
    await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex });
    // Whom it can go to: the team's names and roles, for any agent (the user list itself is the admin's), and who has
    // a console open (a chat handed to someone who had logged out told the customer they were taking over).
    const blairsConsole = await openEvents(server.url, tokens.blair!);
    await blairsConsole.next((e) => e.event === 'snapshot');
    const team = await api(server.url, 'GET', '/api/agents', { token: tokens.alex });
    expect(team.body.items).toEqual(expect.arrayContaining([{ username: 'blair', role: 'agent', online: true }, { username: 'lee', role: 'lead', online: false }]));
    blairsConsole.close();
    await expect.poll(async () => (await api(server.url, 'GET', '/api/agents', { token: tokens.alex })).body.items.find((u: { username: string }) => u.username === 'blair').online).toBe(false);
    // Nobody else's to hand on, and nobody who does not exist to take it.
    const notHers = await api(server.url, 'POST', `/api/handoffs/${id}/transfer`, { token: tokens.blair, body: { to: 'blair' } });
    expect(notHers).toMatchObject({ status: 403, body: { error: { code: 'not_your_handoff' } } });
    const nobody = await api(server.url, 'POST', `/api/handoffs/${id}/transfer`, { token: tokens.alex, body: { to: 'zed' } });
    expect(nobody).toMatchObject({ status: 400, body: { error: { code: 'unknown_user', message: `There is no user "zed" to hand ${id} to.` } } });

    const moved = await api(server.url, 'POST', `/api/handoffs/${id}/transfer`, { token: tokens.alex, body: { to: 'blair' } });
    expect(moved.body).toMatchObject({ status: 'active', agent: 'blair', notified: true });
    await connector.waitFor((r) => r.conversationId === conv && r.activity.text === t('en', 'handoff.transferred', { agent: 'blair' }));
    const fromAlex = await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.alex, body: { text: 'still me' } });
    expect(fromAlex).toMatchObject({ status: 403, body: { error: { code: 'not_your_handoff' } } });
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.blair, body: { text: 'Blair here, I can help.' } })).status).toBe(201);
    await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.blair, body: {} });
    // A queued or closed chat is not handed on: it is taken from the queue, or over.
    const closed = await api(server.url, 'POST', `/api/handoffs/${id}/transfer`, { token: tokens.blair, body: { to: 'alex' } });
    expect(closed).toMatchObject({ status: 409, body: { error: { code: 'closed' } } });
    const queued = await escalate('rt-transfer-queued');
    const early = await api(server.url, 'POST', `/api/handoffs/${queued}/transfer`, { token: tokens.lee, body: { to: 'alex' } });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'not_active' } } });
  });

  it('an agent who logs out of their last session puts their chats back in the queue, and the customer hears it', async () => {
    // The chat stayed "active" with an agent who had gone: the bot stays quiet while a person has it, nobody else could
    // take it, and the customer waited for ever.
    const conv = 'rt-logout';
    const id = await escalate(conv);
    const blair = tokens.blair!;
    server.clock.advance(60_000);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: blair })).status).toBe(200);
    const acceptedAt = (await api(server.url, 'GET', `/api/handoffs/${id}`, { token: tokens.lee })).body.acceptedAt;
    // Signed in elsewhere too: logging out of one session leaves the chat with her.
    const other = (await login(server.url, 'blair', PASSWORD)).token;
    // The customer says nothing for a while, as one does while a person reads up on the order.
    server.clock.advance(20 * 60_000);
    expect((await api(server.url, 'POST', '/api/auth/logout', { token: blair })).status).toBe(204);
    expect((await api(server.url, 'GET', `/api/handoffs/${id}`, { token: tokens.lee })).body).toMatchObject({ status: 'active', agent: 'blair' });
    expect((await api(server.url, 'POST', '/api/auth/logout', { token: other })).status).toBe(204);
    expect((await api(server.url, 'GET', `/api/handoffs/${id}`, { token: tokens.lee })).body).toMatchObject({ status: 'queued', agent: null, acceptedAt });
    const position = (await api(server.url, 'GET', '/api/handoffs?status=queued', { token: tokens.lee })).body.items.length as number;
    await connector.waitFor((r) => r.conversationId === conv && r.activity.text === t('en', 'handoff.requeued', { agent: 'blair', position: String(position) }));
    // Back in the queue, the wait starts afresh: that silence was no sign the customer had gone.
    server.clock.advance(60_000);
    await server.app.agentApi.desk.watchQueue();
    expect(connector.texts(conv)).not.toContain(t('en', 'handoff.stillThere'));
    // A colleague takes it; the queue wait is still the one to the first accept.
    server.clock.advance(60_000);
    const taken = await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex });
    expect(taken.body).toMatchObject({ status: 'active', agent: 'alex', acceptedAt });
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.alex, body: { text: 'Hi, I can take it from here.' } })).status).toBe(201);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.alex, body: {} })).status).toBe(200);
    tokens.blair = (await login(server.url, 'blair', PASSWORD)).token;
  });

  it('a customer who goes on in another language while queued has the handoff, its notices and the console follow', async () => {
    const conv = 'rt-relocale';
    await customer(conv, 'hola, quiero hablar con una persona por favor, es sobre mi pedido');
    const queued = (await api(server.url, 'GET', '/api/handoffs?status=queued', { token: tokens.alex })).body.items.find((h: { conversationId: string }) => h.conversationId === conv);
    expect(queued.locale).toBe('es');
    await customer(conv, 'sorry, can we do this in English instead? my parcel never arrived and I need it for friday');
    expect((await api(server.url, 'GET', `/api/handoffs/${queued.id}`, { token: tokens.alex })).body.locale).toBe('en');
    server.clock.advance(60_000);
    expect((await api(server.url, 'POST', `/api/handoffs/${queued.id}/accept`, { token: tokens.alex })).status).toBe(200);
    await connector.waitFor((r) => r.conversationId === conv && r.activity.text === t('en', 'handoff.accepted', { agent: 'alex' }));
    expect((await api(server.url, 'POST', `/api/handoffs/${queued.id}/resolve`, { token: tokens.alex, body: {} })).status).toBe(200);
  });

  it('sessions a password change elsewhere ended do not count: the last logout after it puts the chats back', async () => {
    const conv = 'rt-stale-session';
    const id = await escalate(conv);
    server.clock.advance(60_000);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.blair })).status).toBe(200);
    // The CLI changes the password (here: by hand, as the CLI writes it): the old session is refused...
    server.clock.advance(60_000);
    const file = path.join(server.dataDir, 'users.json');
    const doc = JSON.parse(await readFile(file, 'utf8')) as { users: Array<{ username: string; passwordChangedAt?: string }> };
    doc.users.find((u) => u.username === 'blair')!.passwordChangedAt = server.clock.now().toISOString();
    await writeFile(file, JSON.stringify(doc));
    expect((await api(server.url, 'GET', '/api/auth/me', { token: tokens.blair })).status).toBe(401);
    // ...and no longer counts: logging out of the new one is leaving, and the chat goes back to the queue.
    const fresh = (await login(server.url, 'blair', PASSWORD)).token;
    expect((await api(server.url, 'POST', '/api/auth/logout', { token: fresh })).status).toBe(204);
    expect((await api(server.url, 'GET', `/api/handoffs/${id}`, { token: tokens.lee })).body).toMatchObject({ status: 'queued', agent: null });
    tokens.blair = (await login(server.url, 'blair', PASSWORD)).token;
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.blair })).status).toBe(200);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.blair, body: {} })).status).toBe(200);
  });

  it("an admin's password reset ends the agent's sessions and puts their chats back in the queue", async () => {
    const conv = 'rt-reset';
    const id = await escalate(conv);
    server.clock.advance(60_000);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.blair })).status).toBe(200);
    const admin = (await login(server.url, 'admin', ADMIN.password)).token;
    const reset = await api(server.url, 'PUT', '/api/users/blair/password', { token: admin, body: { password: 'new-password-for-blair' } });
    expect(reset.status).toBe(204);
    expect((await api(server.url, 'GET', '/api/auth/me', { token: tokens.blair })).status).toBe(401);
    expect((await api(server.url, 'GET', `/api/handoffs/${id}`, { token: tokens.lee })).body).toMatchObject({ status: 'queued', agent: null });
    const position = (await api(server.url, 'GET', '/api/handoffs?status=queued', { token: tokens.lee })).body.items.length as number;
    await connector.waitFor((r) => r.conversationId === conv && r.activity.text === t('en', 'handoff.requeued', { agent: 'blair', position: String(position) }));
    expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'blair', password: PASSWORD } })).status).toBe(401);
    tokens.blair = (await login(server.url, 'blair', 'new-password-for-blair')).token;
    server.clock.advance(60_000);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.blair })).status).toBe(200);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.blair, body: {} })).status).toBe(200);
    expect((await api(server.url, 'PUT', '/api/users/blair/password', { token: admin, body: { password: PASSWORD } })).status).toBe(204);
    tokens.blair = (await login(server.url, 'blair', PASSWORD)).token;
  });

  it('a lead closing a handoff nobody took tells the customer the request was closed, and offers no survey', async () => {
    const conv = 'rt-untaken';
    const id = await escalate(conv);
    const closed = await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.lee, body: { note: 'customer gone' } });
    // Nobody took it: the lead is who closed it, not its agent (listed as agent "lee" next to "not taken" before).
    expect(closed.body).toMatchObject({ status: 'resolved', acceptedAt: null, agent: null, closedBy: 'lee', endedBy: 'agent', notified: true });
    expect((await api(server.url, 'GET', `/api/handoffs/${id}`, { token: tokens.alex })).body).toMatchObject({ agent: null, closedBy: 'lee' });
    const text = t('en', 'handoff.closedUntaken', { bot: server.app.core.config.BOT_NAME });
    await connector.waitFor((r) => r.conversationId === conv && r.activity.text === text);
    // "lee has closed the chat", then "how would you rate this chat?" for a chat no person was in.
    expect(connector.texts(conv)).toEqual([text]);
    const again = await customer(conv, 'where is my order 10435?');
    expect(again.messages[0]).toMatch(/I found order 10435/);
    // The escalation review and the metrics: escalated, nobody's resolution, no agent.
    const day = server.clock.now().toISOString().slice(0, 10);
    const review = await api(server.url, 'GET', `/api/escalations?from=${day}&to=${day}`, { token: tokens.lee });
    expect(review.body.items.find((r: { id: string }) => r.id === id)).toMatchObject({ agent: null, queueWaitMs: null, agentFrtMs: null, outcome: 'escalated' });
  });

  it('a channel that refuses the message gives a clear 502 and the message is not counted as sent', async () => {
    const id = await escalate('rt-down');
    await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex });
    connector.failNext(1);
    const res = await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.alex, body: { text: 'are you there?' } });
    expect(res).toMatchObject({ status: 502, body: { error: { code: 'delivery_failed' } } });
    expect((await api(server.url, 'GET', `/api/handoffs/${id}`, { token: tokens.alex })).body.firstAgentMessageAt).toBeNull();
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.alex, body: { text: 'are you there?' } })).status).toBe(201);
    // The turn log holds what the customer saw: one agent line, not the refused one as well.
    const { turns } = (await api(server.url, 'GET', `/api/handoffs/${id}/transcript`, { token: tokens.alex })).body as { turns: Array<{ actor: string; text: string }> };
    expect(turns.filter((r) => r.actor === 'agent').map((r) => r.text)).toEqual(['are you there?']);
  });

  it('a customer message relayed to the agent is logged with its intent, score, sentiment and outcome agent', async () => {
    const id = await escalate('rt-logged');
    await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex });
    await customer('rt-logged', 'this is terrible, my order 10435 is late again and I am furious');
    const { turns } = (await api(server.url, 'GET', `/api/handoffs/${id}/transcript`, { token: tokens.alex })).body as {
      turns: Array<{ direction: string; text: string; intent: string | null; score: number | null; sentiment: { score: number; label: string } | null; outcome: string | null; dialog: string | null }>;
    };
    const relayed = turns.find((r) => r.direction === 'in' && r.text.startsWith('this is terrible'));
    expect(relayed).toMatchObject({ dialog: 'handoff', outcome: 'agent', sentiment: { label: 'negative' } });
    expect(relayed?.intent).toEqual(expect.any(String));
    expect(relayed?.score).toEqual(expect.any(Number));
    expect(relayed!.sentiment!.score).toBeLessThan(0);
  });

  it('an agent\'s markdown reaches an SMS customer as plain text, and a Web Chat customer as written', async () => {
    const markdown = 'I have **refunded** it, see [our policy](https://example.com/returns). Orders < $50 ship in > 3 days, 2*3*4';
    const sms = { serviceUrl: connector.url, channelId: 'sms', from: { id: 'cust-rt-sms', name: 'Customer' } };
    await postActivity(server.url, customerActivity('I want to talk to a person', 'rt-sms', sms));
    const list = await api(server.url, 'GET', '/api/handoffs?status=queued', { token: tokens.alex });
    const id = list.body.items.find((h: { conversationId: string }) => h.conversationId === 'rt-sms').id as string;
    await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex });
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.alex, body: { text: markdown } })).status).toBe(201);
    expect(connector.texts('rt-sms')).toContain('I have refunded it, see our policy (https://example.com/returns). Orders < $50 ship in > 3 days, 2*3*4');

    const web = await escalate('rt-markdown-web');
    await api(server.url, 'POST', `/api/handoffs/${web}/accept`, { token: tokens.alex });
    await api(server.url, 'POST', `/api/handoffs/${web}/messages`, { token: tokens.alex, body: { text: markdown } });
    expect(connector.texts('rt-markdown-web')).toContain(markdown);
  });

  it("agent messages go to the serviceUrl of the customer's latest activity, not the one the handoff began with", async () => {
    const moved = await startFakeConnector();
    try {
      const id = await escalate('rt-moved');
      await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex });
      const res = await postActivity(server.url, customerActivity('hello, are you still there?', 'rt-moved', { serviceUrl: moved.url, from: { id: 'cust-rt-moved', name: 'Customer' } }));
      expect(res.status).toBe(200);
      const sent = await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token: tokens.alex, body: { text: 'yes, I am here' } });
      expect(sent.status).toBe(201);
      expect(moved.texts('rt-moved')).toContain('yes, I am here');
      expect(connector.texts('rt-moved')).not.toContain('yes, I am here');
    } finally {
      await moved.close();
    }
  });

  it('a join or close notice the channel refused (notified: false) is not logged as sent', async () => {
    const id = await escalate('rt-notices-down');
    connector.failNext(1);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex })).body).toMatchObject({ status: 'active', notified: false });
    connector.failNext(1);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.alex, body: {} })).body).toMatchObject({ status: 'resolved', notified: false });
    const { turns } = (await api(server.url, 'GET', `/api/handoffs/${id}/transcript`, { token: tokens.alex })).body as { turns: Array<{ direction: string; text: string }> };
    const sent = turns.filter((r) => r.direction === 'out').map((r) => r.text);
    expect(sent).not.toContain(t('en', 'handoff.accepted', { agent: 'alex' }));
    expect(sent.some((text) => text.includes('has closed the chat'))).toBe(false);
    expect(sent.length).toBeGreaterThan(0);
  });

  it('a rating sent long after the customer last wrote answers the survey the hand-back just asked', async () => {
    // A new conversation starts after SESSION_IDLE_MINUTES of silence; the hand-back and its question are no silence.
    const id = await escalate('rt-late-rating');
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex })).status).toBe(200);
    server.clock.advance(40 * 60_000);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.alex, body: {} })).status).toBe(200);
    await connector.waitFor((r) => r.conversationId === 'rt-late-rating' && r.activity.text === t('en', 'survey.csat'));
    expect((await customer('rt-late-rating', '5')).messages.join(' ')).toMatch(/recommend/);
  });

  it('a user who still holds a chat is not removed until it is passed on', async () => {
    // Removed while holding a chat, the customer waited for someone who could no longer sign in.
    const admin = (await login(server.url, ADMIN.user, ADMIN.password)).token;
    expect((await api(server.url, 'POST', '/api/users', { token: admin, body: { username: 'sam', password: PASSWORD, role: 'agent' } })).status).toBe(201);
    const sam = (await login(server.url, 'sam', PASSWORD)).token;
    const id = await escalate('rt-held-by-sam');
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: sam })).status).toBe(200);
    expect(await api(server.url, 'DELETE', '/api/users/sam', { token: admin })).toMatchObject({
      status: 409,
      body: { error: { code: 'holds_chats', message: `sam still has 1 open chat(s) (${id}); transfer or resolve them first.` } },
    });
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/transfer`, { token: sam, body: { to: 'alex' } })).status).toBe(200);
    expect((await api(server.url, 'DELETE', '/api/users/sam', { token: admin })).status).toBe(204);
  });

  it('the customer typing "back to bot" ends the handoff; the console hears it', async () => {
    const id = await escalate('rt-cancel');
    const res = await customer('rt-cancel', 'back to bot');
    expect(res.messages).toEqual([t('en', 'handoff.cancelled')]);
    const h = await api(server.url, 'GET', `/api/handoffs/${id}`, { token: tokens.alex });
    expect(h.body).toMatchObject({ status: 'abandoned', endedBy: 'customer', queuePosition: null });
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex })).status).toBe(409);
  });

  it('a customer quiet in the queue is asked whether they are still there, then taken out; one who answers keeps the place', async () => {
    const gone = await escalate('rt-gone');
    const here = await escalate('rt-here');
    const stillThere = t('en', 'handoff.stillThere');
    server.clock.advance(14 * 60_000);
    await server.app.agentApi.desk.watchQueue();
    expect(connector.texts('rt-gone')).not.toContain(stillThere);
    // Half of SESSION_IDLE_MINUTES (30) without a word: asked, once.
    server.clock.advance(60_000);
    await server.app.agentApi.desk.watchQueue();
    await server.app.agentApi.desk.watchQueue();
    expect(connector.texts('rt-gone').filter((x) => x === stillThere)).toHaveLength(1);
    expect(connector.texts('rt-here').filter((x) => x === stillThere)).toHaveLength(1);
    expect((await customer('rt-here', 'yes still here')).messages[0]).toMatch(/still in the queue|number \d+/i);
    // The rest of the idle time: the one who said nothing leaves the queue and is told; the other keeps the place.
    server.clock.advance(15 * 60_000);
    await server.app.agentApi.desk.watchQueue();
    const dropped = (await api(server.url, 'GET', `/api/handoffs/${gone}`, { token: tokens.alex })).body;
    expect(dropped).toMatchObject({ status: 'abandoned', endedBy: 'system', queuePosition: null });
    await connector.waitFor((r) => r.conversationId === 'rt-gone' && r.activity.text === t('en', 'handoff.leftQueue'));
    expect((await api(server.url, 'GET', `/api/handoffs/${here}`, { token: tokens.alex })).body).toMatchObject({ status: 'queued' });
    // Back with the bot, which answers again.
    expect((await customer('rt-gone', 'where is my order 10435?')).messages[0]).toMatch(/I found order 10435/);
  });

  it("a chat's lines reach its agent's console as said and every other console redacted; a logout ends its session's stream", async () => {
    // A card number a customer typed to one agent reached every open console as typed; a logged-out console kept
    // receiving chats (and customers' words) until its next keep-alive, up to 25 s later.
    const conv = 'rt-lines';
    const id = await escalate(conv);
    const own = await openEvents(server.url, tokens.alex!);
    const session = (await login(server.url, 'blair', PASSWORD)).token;
    const colleague = await openEvents(server.url, session);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token: tokens.alex })).status).toBe(200);
    await customer(conv, 'my card is 4111 1111 1111 1111');
    const said = (e: { event: string; data: { handoffId?: string; text?: string } }) => e.event === 'message' && e.data.handoffId === id && /card/.test(e.data.text ?? '');
    expect((await own.next(said)).data.text).toBe('my card is 4111 1111 1111 1111');
    expect((await colleague.next(said)).data.text).toBe('my card is [card]');
    expect((await api(server.url, 'POST', '/api/auth/logout', { token: session })).status).toBe(204);
    await colleague.ended;
    own.close();
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { token: tokens.alex, body: {} })).status).toBe(200);
  });

  it('customers waiting hear when their place improves: at once when they are next, else at most every two minutes', async () => {
    // "You're number 4 in the queue" was the last word a customer heard until someone came.
    await escalate('rt-move-1');
    const second = await escalate('rt-move-2');
    const third = await escalate('rt-move-3');
    const queued = async () => (await api(server.url, 'GET', '/api/handoffs?status=queued', { token: tokens.lee })).body.items as Array<{ id: string }>;
    // Everyone else waiting is taken, the first of these three among them.
    const others = (await queued()).filter((h) => h.id !== second && h.id !== third);
    for (const h of others) expect((await api(server.url, 'POST', `/api/handoffs/${h.id}/accept`, { token: tokens.alex })).status).toBe(200);
    const moved = (conv: string) => connector.texts(conv).filter((x) => /^You.ve moved up/.test(x));
    await server.app.agentApi.desk.watchQueue();
    expect(moved('rt-move-2')).toEqual([expect.stringMatching(/^You've moved up: you're now number 1 in the queue\. /)]);
    // The third moved up too, but heard its place only just now.
    expect(moved('rt-move-3')).toEqual([]);
    server.clock.advance(2 * 60_000);
    await server.app.agentApi.desk.watchQueue();
    await server.app.agentApi.desk.watchQueue();
    expect(moved('rt-move-3')).toEqual([expect.stringMatching(/^You've moved up: you're now number 2 in the queue\. /)]);
    expect(moved('rt-move-2')).toHaveLength(1);
    for (const h of others) await api(server.url, 'POST', `/api/handoffs/${h.id}/resolve`, { token: tokens.alex, body: {} });
    for (const conv of ['rt-move-2', 'rt-move-3']) await customer(conv, 'back to bot');
    expect((await queued()).map((h) => h.id)).not.toContain(third);
  });

  it('a customer who writes while the sweep is reminding others keeps the place', async () => {
    // The sweep chose whom to take out, then reminded the others one by one over a slow channel; three customers who
    // wrote meanwhile were told their place and then dropped anyway.
    const writer = await escalate('rt-sweep-writer');
    server.clock.advance(15 * 60_000);
    await server.app.agentApi.desk.watchQueue(); // the writer is asked whether they are still there
    const slow = await escalate('rt-sweep-slow');
    server.clock.advance(15 * 60_000);
    const release = connector.hold('rt-sweep-slow');
    const sweep = server.app.agentApi.desk.watchQueue(); // reminds the slow one, then would take the writer out
    await connector.waitFor((r) => r.conversationId === 'rt-sweep-slow' && r.activity.text === t('en', 'handoff.stillThere'));
    expect((await customer('rt-sweep-writer', 'still here, waiting')).messages[0]).toMatch(/number \d+/i);
    release();
    await sweep;
    expect((await api(server.url, 'GET', `/api/handoffs/${writer}`, { token: tokens.alex })).body).toMatchObject({ status: 'queued' });
    expect((await api(server.url, 'GET', `/api/handoffs/${slow}`, { token: tokens.alex })).body).toMatchObject({ status: 'queued' });
  });

  it('refuses query parameters a handoff route does not take, as the list does', async () => {
    const id = await escalate('rt-query');
    for (const path of [`/api/handoffs/${id}?x=1`, `/api/handoffs/${id}/transcript?x=1`]) {
      const res = await api(server.url, 'GET', path, { token: tokens.alex });
      expect(res, path).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: 'Invalid query: Unrecognized key: "x"' } } });
    }
  });

  it('answers unknown and malformed handoff ids precisely', async () => {
    expect((await api(server.url, 'GET', '/api/handoffs/H-999999', { token: tokens.alex })).body).toEqual({ error: { code: 'not_found', message: 'No handoff H-999999.' } });
    const bad = await api(server.url, 'POST', '/api/handoffs/42/accept', { token: tokens.alex });
    expect(bad).toMatchObject({ status: 400, body: { error: { message: 'Invalid handoff id: a handoff id looks like H-000123' } } });
  });

  it('refuses an empty status filter instead of listing every handoff', async () => {
    const res = await api(server.url, 'GET', '/api/handoffs?status=', { token: tokens.alex });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: expect.stringMatching(/status: must name at least one of queued/) } } });
  });
});
