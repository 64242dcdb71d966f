/**
 * The tickets the bot promises a reply to, over real HTTP: a customer's complaint on /api/messages becomes a ticket
 * that agents list, read with its conversation, and close; leads export them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import { api, login, openEvents } from '../helpers/agentClient.js';
import { startFakeConnector } from '../helpers/fakeConnector.js';
import { customerActivity, postActivity, startTestServer, type TestServer } from '../helpers/server.js';

const ADMIN = { user: 'admin', password: 'admin-password-1' };
const PASSWORD = 'agent-password-1';
let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password, BUSINESS_HOURS: 'always' });
  const admin = await login(server.url, ADMIN.user, ADMIN.password);
  for (const [username, role] of [['alex', 'agent'], ['blair', 'agent'], ['lee', 'lead']] as const) {
    expect((await api(server.url, 'POST', '/api/users', { token: admin.token, body: { username, password: PASSWORD, role } })).status).toBe(201);
    tokens[username] = (await login(server.url, username, PASSWORD)).token;
  }
});
afterAll(async () => server.stop());

/** Files a complaint as a customer would and returns its ticket id from the bot's reply. */
async function complain(conversationId: string, text: string): Promise<string> {
  const res = await postActivity(server.url, customerActivity(text, conversationId, { from: { id: `cust-${conversationId}`, name: 'Customer' } }));
  const replies = ((res.body?.activities ?? []) as Array<{ text?: string }>).map((a) => a.text ?? '').join(' ');
  const id = /T-\d{6}/.exec(replies)?.[0];
  expect(id, replies).toBeDefined();
  return id!;
}

describe('tickets over HTTP', () => {
  it('an agent finds the complaint, reads its conversation and closes it once, with a note', async () => {
    const id = await complain('tk-1', 'The mug in order 10622 arrived cracked, the handle came off in the box');
    const list = await api(server.url, 'GET', '/api/tickets?status=open', { token: tokens.alex });
    expect(list.status).toBe(200);
    const item = list.body.items.find((t: { id: string }) => t.id === id);
    expect(item).toMatchObject({ kind: 'complaint', status: 'open', category: 'damaged', orderNumber: '10622', conversationId: 'tk-1', overdue: false, links: { transcript: `/api/tickets/${id}/transcript` } });

    const transcript = await api(server.url, 'GET', item.links.transcript, { token: tokens.alex });
    expect(transcript.status).toBe(200);
    expect(transcript.body.turns.map((r: { text: string }) => r.text)).toContain('The mug in order 10622 arrived cracked, the handle came off in the box');

    const closed = await api(server.url, 'POST', `/api/tickets/${id}/close`, { token: tokens.alex, body: { note: 'replacement sent' } });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id, status: 'closed', closedBy: 'alex', note: 'replacement sent', closedAt: server.clock.now().toISOString(), overdue: false });
    const again = await api(server.url, 'POST', `/api/tickets/${id}/close`, { token: tokens.blair, body: {} });
    expect([again.status, again.body.error?.message ?? again.body.message]).toEqual([409, `${id} was already closed by alex.`]);

    const open = await api(server.url, 'GET', '/api/tickets?status=open', { token: tokens.alex });
    expect(open.body.items.map((t: { id: string }) => t.id)).not.toContain(id);
    const done = await api(server.url, 'GET', '/api/tickets?status=closed', { token: tokens.alex });
    expect(done.body.items.map((t: { id: string }) => t.id)).toContain(id);
  });

  it('tells open consoles on the event stream when a ticket is filed, added to and closed', async () => {
    const stream = await openEvents(server.url, tokens.blair!);
    try {
      await stream.next((e) => e.event === 'snapshot');
      const id = await complain('tk-live', 'The lamp in order 10231 arrived with a cracked shade');
      expect((await stream.next((e) => e.event === 'ticket' && e.data.id === id)).data).toMatchObject({ status: 'open', category: 'damaged', conversationId: 'tk-live' });
      await postActivity(server.url, customerActivity('the bulb holder is broken as well', 'tk-live', { from: { id: 'cust-tk-live', name: 'Customer' } }));
      const added = await stream.next((e) => e.event === 'ticket' && e.data.id === id && e.data.followUps?.length === 1);
      expect(added.data.followUps[0].text).toBe('the bulb holder is broken as well');
      await api(server.url, 'POST', `/api/tickets/${id}/close`, { token: tokens.alex, body: {} });
      expect((await stream.next((e) => e.event === 'ticket' && e.data.id === id && e.data.status === 'closed')).data).toMatchObject({ closedBy: 'alex' });
    } finally {
      stream.close();
    }
  });

  it('answers bad requests precisely, and keeps the CSV export for leads', async () => {
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['GET', '/api/tickets?status=pending', undefined, 400, /status/],
      ['GET', '/api/tickets?overdue=maybe', undefined, 400, /overdue: must be true or false/],
      ['GET', '/api/tickets?colour=red', undefined, 400, /colour/],
      ['GET', '/api/tickets/42', undefined, 400, /a ticket id looks like T-000123/],
      ['GET', '/api/tickets/T-999999', undefined, 404, /No ticket T-999999/],
      ['POST', '/api/tickets/T-999999/close', {}, 404, /No ticket T-999999/],
      ['GET', '/api/tickets?format=csv', undefined, 403, /lead role/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const res = await api(server.url, method, path, { token: tokens.alex, ...(body === undefined ? {} : { body }) });
      expect([res.status, JSON.stringify(res.body)], `${method} ${path}`).toEqual([status, expect.stringMatching(message)]);
    }
    const id = await complain('tk-4', 'The lamp from order 10231 came with a broken shade and I want a new one');
    const bad = await api(server.url, 'POST', `/api/tickets/${id}/close`, { token: tokens.alex, body: { note: 5 } });
    expect([bad.status, JSON.stringify(bad.body)]).toEqual([400, expect.stringMatching(/note/)]);
    expect((await api(server.url, 'GET', `/api/tickets/${id}`, { token: tokens.alex })).body.status).toBe('open');
    expect((await api(server.url, 'GET', '/api/tickets')).status).toBe(401);

    const csv = await api(server.url, 'GET', '/api/tickets?format=csv', { token: tokens.lee });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = String(csv.body).trim().split('\r\n');
    expect(header).toBe('id,kind,status,priority,category,createdAt,dueAt,overdue,closedAt,closedBy,orderNumber,channel,locale,customerId,conversationId,sentiment,description,followUps,note,reply');
    expect(rows.some((r) => r.startsWith(`${id},complaint,open,`))).toBe(true);
  });

  it('lists open tickets due soonest first and flags the ones past their promised time', async () => {
    const late = await complain('tk-2', 'I was charged twice for order 10248 and I am really upset about it');
    server.clock.advance(30 * 3_600_000);
    tokens.alex = (await login(server.url, 'alex', PASSWORD)).token;
    const fresh = await complain('tk-3', 'The courier threw my parcel over the fence, order 10231 arrived damaged');
    const overdue = await api(server.url, 'GET', '/api/tickets?overdue=true', { token: tokens.alex });
    expect(overdue.body.items.map((t: { id: string }) => t.id)).toContain(late);
    expect(overdue.body.items.map((t: { id: string }) => t.id)).not.toContain(fresh);
    const open = (await api(server.url, 'GET', '/api/tickets?status=open', { token: tokens.alex })).body.items as Array<{ dueAt: string }>;
    expect(open.map((t) => t.dueAt)).toEqual([...open.map((t) => t.dueAt)].sort());
  });
});

describe('answering a ticket', () => {
  it("sends the team's answer to the customer's chat on close, and says when the chat cannot be reached", async () => {
    const connector = await startFakeConnector();
    // Earlier tests moved the clock past the first logins' sessions.
    for (const name of ['alex', 'lee']) tokens[name] = (await login(server.url, name, PASSWORD)).token;
    try {
      const text = 'The mug in order 10622 arrived cracked, the handle came off in the box';
      const res = await postActivity(server.url, customerActivity(text, 'tk-answer', { serviceUrl: connector.url, from: { id: 'cust-tk-answer', name: 'Customer' } }));
      const id = /T-\d{6}/.exec(((res.body?.activities ?? []) as Array<{ text?: string }>).map((a) => a.text ?? '').join(' '))![0];
      const reply = 'A new mug left our warehouse today, tracking 10622-R.';
      const closed = await api(server.url, 'POST', `/api/tickets/${id}/close`, { token: tokens.alex, body: { reply, note: 'replacement' } });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ id, status: 'closed', reply, note: 'replacement', notified: true });
      expect(closed.body.reference).toBeUndefined();
      await connector.waitFor((r) => r.conversationId === 'tk-answer' && r.activity.text === t('en', 'ticket.reply', { id, agent: 'alex', reply }));

      // In a chat a person has open, the answer is one of the chat's lines on the consoles too: the agent's next line
      // was taken for it and never shown.
      const say = (words: string) => postActivity(server.url, customerActivity(words, 'tk-answer-chat', { serviceUrl: connector.url, from: { id: 'cust-tk-answer-chat', name: 'Customer' } }));
      const second = /T-\d{6}/.exec(((await say('the saucer from order 10622 was chipped, really disappointing')).body.activities as Array<{ text?: string }>).map((a) => a.text ?? '').join(' '))![0];
      await say('I want to talk to a person');
      const handoff = (await api(server.url, 'GET', '/api/handoffs?status=queued', { token: tokens.lee })).body.items.find((h: { conversationId: string }) => h.conversationId === 'tk-answer-chat');
      const events = await openEvents(server.url, tokens.lee!);
      await events.next((e) => e.event === 'snapshot');
      expect((await api(server.url, 'POST', `/api/tickets/${second}/close`, { token: tokens.alex, body: { reply } })).status).toBe(200);
      const line = await events.next((e) => e.event === 'message' && e.data.handoffId === handoff.id);
      expect(line.data).toMatchObject({ from: 'agent', agent: 'alex', text: t('en', 'ticket.reply', { id: second, agent: 'alex', reply }) });
      events.close();

      // A conversation whose channel is gone: the answer stays on the ticket, and the console hears it was not delivered.
      const lost = await complain('tk-answer-lost', 'The lamp from order 10231 came with a broken shade and I want a new one');
      const unreached = await api(server.url, 'POST', `/api/tickets/${lost}/close`, { token: tokens.alex, body: { reply } });
      expect(unreached.body).toMatchObject({ status: 'closed', reply, notified: false });
      const csv = await api(server.url, 'GET', '/api/tickets?format=csv&status=closed', { token: tokens.lee });
      expect(String(csv.body).split('\r\n').find((r) => r.startsWith(`${lost},`))).toMatch(/,"A new mug left our warehouse today, tracking 10622-R\."$/);
    } finally {
      await connector.close();
    }
  });
});

describe('ticket KPIs for leads', () => {
  let fresh: TestServer;
  let lead = '';
  let agent = '';
  beforeAll(async () => {
    fresh = await startTestServer({ ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password, BUSINESS_HOURS: 'always' });
    const admin = await login(fresh.url, ADMIN.user, ADMIN.password);
    for (const [username, role] of [['kim', 'lead'], ['sam', 'agent']] as const) {
      expect((await api(fresh.url, 'POST', '/api/users', { token: admin.token, body: { username, password: PASSWORD, role } })).status).toBe(201);
    }
    lead = (await login(fresh.url, 'kim', PASSWORD)).token;
    agent = (await login(fresh.url, 'sam', PASSWORD)).token;
  });
  afterAll(async () => fresh.stop());

  const file = async (conversationId: string, text: string): Promise<string> => {
    const res = await postActivity(fresh.url, customerActivity(text, conversationId, { from: { id: `cust-${conversationId}`, name: 'Customer' } }));
    return /T-\d{6}/.exec(((res.body?.activities ?? []) as Array<{ text?: string }>).map((a) => a.text ?? '').join(' '))![0];
  };

  it('counts tickets opened and closed in the period, the share closed in time, time to close and the backlog', async () => {
    const quick = await file('kpi-1', 'The mug in order 10622 arrived cracked, the handle came off in the box');
    const slow = await file('kpi-2', 'The lamp from order 10231 came with a broken shade and I want a new one');
    const waiting = await file('kpi-3', 'Order 10248 came with the wrong colour kettle, I ordered a red one');
    const dueAt = async (id: string) => (await api(fresh.url, 'GET', `/api/tickets/${id}`, { token: agent })).body.dueAt as string;
    const slowDue = await dueAt(slow);
    fresh.clock.advance(2 * 3_600_000);
    expect((await api(fresh.url, 'POST', `/api/tickets/${quick}/close`, { token: agent, body: {} })).status).toBe(200);
    // Past the slow ticket's promised time: closing it now misses the SLA, and the third is overdue.
    fresh.clock.set(new Date(Date.parse(slowDue) + 3_600_000));
    agent = (await login(fresh.url, 'sam', PASSWORD)).token;
    lead = (await login(fresh.url, 'kim', PASSWORD)).token;
    expect((await api(fresh.url, 'POST', `/api/tickets/${slow}/close`, { token: agent, body: {} })).status).toBe(200);

    const res = await api(fresh.url, 'GET', '/api/tickets/summary?range=7d', { token: lead });
    expect(res.status).toBe(200);
    const closedSlow = (await api(fresh.url, 'GET', `/api/tickets/${slow}`, { token: agent })).body as { createdAt: string; closedAt: string };
    const slowClose = Date.parse(closedSlow.closedAt) - Date.parse(closedSlow.createdAt);
    expect(res.body).toMatchObject({
      opened: 3,
      closed: 2,
      closedOnTime: 1,
      slaMet: 0.5,
      timeToClose: { median: (2 * 3_600_000 + slowClose) / 2, p90: slowClose },
      backlog: { open: 1, overdue: 1 },
    });
    expect(Object.values(res.body.backlog.byPriority as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(1);
    expect(res.body.previous).toMatchObject({ opened: 0, closed: 0, slaMet: null, timeToClose: { median: null, p90: null } });
    expect(waiting).toMatch(/^T-/);

    // The conversations' channel filters them; nothing was filed on another channel.
    const other = await api(fresh.url, 'GET', '/api/tickets/summary?range=7d&channel=telegram', { token: lead });
    expect(other.body).toMatchObject({ opened: 0, closed: 0, slaMet: null, backlog: { open: 0, overdue: 0 } });

    expect((await api(fresh.url, 'GET', '/api/tickets/summary', { token: agent })).status).toBe(403);
    const bad = await api(fresh.url, 'GET', '/api/tickets/summary?range=2w&intent=complaint', { token: lead });
    expect([bad.status, JSON.stringify(bad.body)]).toEqual([400, expect.stringMatching(/range.*must be one of today, 7d, 30d, 90d/)]);
  });
});
