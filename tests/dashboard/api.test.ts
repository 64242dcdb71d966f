/**
 * The dashboard's API on demo history made by the seeder (simulated customers and agents over HTTP, real bot):
 * every number /api/metrics returns for the page (tiles, previous period, daily series, breakdowns) equals a
 * recomputation straight from the turn log; filters, CSV, escalations, alerts, conversations, export, and the 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../metrics/alerts.js';
import type { ClassifiedSession } from '../../metrics/compute.js';
import { shiftDay } from '../../metrics/query.js';
import { api } from '../helpers/agentClient.js';
import { customerActivity, postActivity } from '../helpers/server.js';
import { allRecords, groupsOf, independentSessions, metricsOf, type SeededServer, startSeededServer, TODAY } from './helpers.js';

let server: SeededServer;
let sessions: ClassifiedSession[];
const FROM = shiftDay(TODAY, -2);
const PREV = { from: shiftDay(TODAY, -5), to: shiftDay(TODAY, -3) };

beforeAll(async () => {
  server = await startSeededServer({ conversations: 70, days: 5, env: { ALERT_MIN_SAMPLE: '1', ALERT_ESCALATION_RATE_MAX: '0.05', ALERT_CSAT_MIN: '0.99' } });
  sessions = await independentSessions(server.app);
});
afterAll(async () => server?.stop());

const get = (path: string, who: 'lead' | 'agent' | 'none' = 'lead') =>
  api(server.url, 'GET', path, who === 'none' ? {} : { token: who === 'lead' ? server.lead.token : server.agent.token });

/** Deep equality where numbers may differ in the last bits (sums taken in another order). */
function expectSame(actual: unknown, expected: unknown, where = 'value'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(actual, where).toBeCloseTo(expected, 9);
    return;
  }
  if (expected && typeof expected === 'object') {
    expect(actual, where).toBeTypeOf('object');
    expect(Object.keys(actual as object).sort(), where).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expectSame((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
    return;
  }
  expect(actual, where).toEqual(expected);
}

describe('the seeded history', () => {
  it('is real traffic: customers, escalations worked by agents, surveys', () => {
    expect(server.summary.errors).toEqual([]);
    expect(server.summary.conversations).toBe(70);
    expect(server.summary.handoffs).toBeGreaterThan(3);
    expect(server.summary.resolved).toBeGreaterThan(0);
    expect(sessions.filter((c) => c.day >= FROM && c.day < TODAY).length).toBeGreaterThan(20);
  });

  it('has tickets answered through the API, so the ticket tiles have figures', async () => {
    // Before the seeded team worked tickets, every one stayed open and "closed in time" showed a dash.
    expect(server.summary.ticketsClosed).toBeGreaterThan(0);
    const closed = (await get('/api/tickets?status=closed')).body.items as Array<{ reply?: string }>;
    expect(closed).toHaveLength(server.summary.ticketsClosed);
    for (const ticket of closed) expect(ticket.reply).toBeTruthy();
    const summary = (await get(`/api/tickets/summary?from=${shiftDay(TODAY, -5)}&to=${TODAY}`)).body;
    expect(summary.closed).toBe(server.summary.ticketsClosed);
    expect(summary.timeToClose.median).toBeGreaterThan(0);
  });
});

describe('GET /api/metrics: what the page shows equals the engine over the log', () => {
  const dashboardQuery = (extra = '') => `/api/metrics?from=${FROM}&to=${TODAY}&groupBy=day&breakdowns=channel,locale,intent&compare=previous${extra}`;

  it('tiles (overall), the previous period, the daily series and every breakdown row', async () => {
    const res = await get(dashboardQuery());
    expect(res.status).toBe(200);
    const r = res.body;
    expect([r.from, r.to]).toEqual([FROM, TODAY]);
    expectSame(r.overall, metricsOf(sessions, FROM, TODAY), 'overall');
    expect(r.previous).toMatchObject(PREV);
    expectSame(r.previous.overall, metricsOf(sessions, PREV.from, PREV.to), 'previous');
    expectSame(r.groups, groupsOf(sessions, FROM, TODAY, 'day'), 'days');
    for (const by of ['channel', 'locale', 'intent'] as const) expectSame(r.breakdowns[by], groupsOf(sessions, FROM, TODAY, by), by);
    expect(r.facets.channel.length).toBeGreaterThan(1);
    expect(r.facets.locale).toContain('en');
  });

  it('filters by channel, locale and intent at the session level (alone and together), and presets', async () => {
    const r0 = (await get(dashboardQuery())).body;
    const channel = r0.facets.channel[0] as string;
    const locale = 'en';
    const intent = r0.breakdowns.intent.find((g: { key: string }) => g.key !== '(none)').key as string;
    const cases: Array<[string, (c: ClassifiedSession) => boolean]> = [
      [`&channel=${channel}`, (c) => c.s.channel === channel],
      [`&locale=${locale}`, (c) => c.s.locale === locale],
      // A browser's tag names the same language: "en-US" and "EN" gave zeros.
      [`&locale=en-US`, (c) => c.s.locale === 'en'],
      [`&locale=EN`, (c) => c.s.locale === 'en'],
      [`&intent=${intent}`, (c) => (c.s.topic ?? '(none)') === intent],
      [`&intent=(none)`, (c) => c.s.topic === null],
      [`&channel=${channel}&locale=${locale}`, (c) => c.s.channel === channel && c.s.locale === locale],
    ];
    for (const [q, keep] of cases) {
      const r = (await get(dashboardQuery(q))).body;
      expectSame(r.overall, metricsOf(sessions, FROM, TODAY, keep), q);
      expectSame(r.previous.overall, metricsOf(sessions, PREV.from, PREV.to, keep), `${q} previous`);
      expectSame(r.breakdowns.locale, groupsOf(sessions, FROM, TODAY, 'locale', keep), `${q} by locale`);
    }
    const filtered = (await get(dashboardQuery(`&channel=${channel}`))).body;
    expect(filtered.filter).toEqual({ channel });
    // The selects keep every value of the period, whatever the filter.
    expect(filtered.facets).toEqual(r0.facets);
    const asked = server.clock.now().getTime();
    const preset = (await get('/api/metrics?range=7d')).body;
    expect([preset.from, preset.to]).toEqual([shiftDay(TODAY, -6), TODAY]);
    // The server's clock the figures were counted by (it runs on as the real one does): the page's "as of" and "today".
    expect(Date.parse(preset.generatedAt)).toBeGreaterThanOrEqual(asked);
    expect(Date.parse(preset.generatedAt)).toBeLessThanOrEqual(server.clock.now().getTime());
    expectSame(preset.overall, metricsOf(sessions, shiftDay(TODAY, -6), TODAY));
  });

  it('CSV export holds exactly what is shown: overall, previous, each day and breakdown row', async () => {
    const json = (await get(dashboardQuery('&locale=en'))).body;
    const res = await get(dashboardQuery('&locale=en&format=csv'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="metrics-${FROM}-${TODAY}.csv"`);
    const lines = (res.body as string).trimEnd().split('\r\n').map((l) => l.split(','));
    const header = lines[0]!;
    const row = (section: string, key: string) => {
      const line = lines.find((l) => l[0] === section && l[1] === key);
      expect(line, `${section} ${key}`).toBeDefined();
      return Object.fromEntries(header.map((h, i) => [h, line![i]]));
    };
    const num = (v: string | undefined) => (v === '' ? null : Number(v));
    expect(num(row('overall', `${FROM}..${TODAY}`).containment_rate)).toBeCloseTo(json.overall.containmentRate, 12);
    expect(num(row('overall', `${FROM}..${TODAY}`).csat_count)).toBe(json.overall.csat.count);
    expect(num(row('previous', `${PREV.from}..${PREV.to}`).engaged)).toBe(json.previous.overall.engaged);
    for (const g of json.groups) expect(num(row('day', g.key).conversations)).toBe(g.conversations);
    for (const g of json.breakdowns.intent) expect(num(row('intent', g.key).escalated)).toBe(g.escalated);
    expect(lines.length - 1).toBe(2 + json.groups.length + json.breakdowns.channel.length + json.breakdowns.locale.length + json.breakdowns.intent.length);
  });

  it('refuses bad queries with a precise 400, and is for leads and admins only', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/api/metrics?range=7d&from=2026-11-01&to=2026-11-02', /range: give either range or from and to, not both/],
      ['/api/metrics?from=2026-11-01', /to: from and to go together/],
      ['/api/metrics', /from: give from and to \(YYYY-MM-DD\), or range/],
      ['/api/metrics?range=week', /range: must be one of today, 7d, 30d, 90d/],
      ['/api/metrics?range=7d&breakdowns=channel,week', /breakdowns: "week" is not one of day, channel, locale, intent/],
      ['/api/metrics?range=7d&compare=yes', /compare: must be "previous"/],
      ['/api/metrics?range=7d&colour=blue', /Unrecognized key: "colour"/],
      ['/api/metrics?from=2024-01-01&to=2026-01-01', /to: the period may cover at most 366 days/],
      ['/api/metrics?range=7d&channel=', /channel: must not be empty/],
      // Told "must be one of today, 7d, …" although both values were.
      ['/api/metrics?range=today&range=7d', /^Invalid query: range: give it once$/],
      // A date that is no date was also said to be "after to".
      ['/api/metrics?from=2026-1-1&to=2026-01-02', /^Invalid query: from: must be a date as YYYY-MM-DD$/],
    ];
    for (const [path, message] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.message, path).toMatch(message);
    }
    expect((await get('/api/metrics?range=7d', 'none')).status).toBe(401);
    expect((await get('/api/metrics?range=7d', 'agent')).body.error).toMatchObject({ code: 'forbidden', message: 'This needs the lead role; you are signed in as agent.' });
    for (const path of ['/api/alerts', '/api/escalations', '/api/inbox', '/api/turns/export', '/api/conversations/x']) expect((await get(path, 'agent')).status, path).toBe(403);
  });
});

describe('GET /api/escalations', () => {
  it('lists every handoff of the period with wait, agent, outcome and the survey, under the same filter', async () => {
    const res = await get(`/api/escalations?from=${FROM}&to=${TODAY}`);
    expect(res.status).toBe(200);
    const inRange = sessions.filter((c) => c.day >= FROM && c.day <= TODAY);
    expect(res.body.items).toHaveLength(inRange.reduce((n, c) => n + c.handoffs.length, 0));
    const handoffs = new Map((await server.app.core.handoffs.store.list()).map((h) => [h.id, h]));
    for (const row of res.body.items) {
      const h = handoffs.get(row.id)!;
      const c = inRange.find((x) => x.handoffs.some((y) => y.id === row.id))!;
      expect(row).toMatchObject({ reason: h.reason, agent: h.agent, status: h.status, channel: c.s.channel, outcome: c.outcome, csat: c.s.csat });
      expect(row.queueWaitMs).toBe(h.acceptedAt ? Date.parse(h.acceptedAt) - Date.parse(h.createdAt) : null);
    }
    const escalatedSessions = (await get(`/api/metrics?from=${FROM}&to=${TODAY}`)).body.overall.escalated;
    expect(new Set(res.body.items.filter((r: { outcome: string }) => r.outcome !== 'open').map((r: { conversationId: string }) => r.conversationId)).size).toBeLessThanOrEqual(escalatedSessions);
    const webchat = (await get(`/api/escalations?from=${FROM}&to=${TODAY}&channel=webchat`)).body.items;
    expect(webchat.every((r: { channel: string }) => r.channel === 'webchat')).toBe(true);
    // The same status list /api/handoffs takes: status=resolved,abandoned was refused here.
    const closed = (await get(`/api/escalations?from=${FROM}&to=${TODAY}&status=resolved,abandoned`)).body.items;
    expect(closed.length).toBeGreaterThan(0);
    expect(closed).toEqual(res.body.items.filter((r: { status: string }) => r.status === 'resolved' || r.status === 'abandoned'));
    expect((await get(`/api/escalations?from=${FROM}&to=${TODAY}&status=`)).status).toBe(400);
    const csv = await get(`/api/escalations?from=${FROM}&to=${TODAY}&format=csv`);
    expect((csv.body as string).split('\r\n')[0]).toBe('id,conversationId,customerId,createdAt,reason,priority,channel,locale,intent,status,agent,acceptedAt,resolvedAt,queueWaitMs,agentFrtMs,outcome,csat,nps,sentimentMean');
  });
});

describe('GET /api/alerts', () => {
  it('checks the configured thresholds on the period against the previous one', async () => {
    const res = await get(`/api/alerts?from=${FROM}&to=${TODAY}`);
    expect(res.status).toBe(200);
    const report = (await get(`/api/metrics?from=${FROM}&to=${TODAY}&compare=previous`)).body;
    const thresholds = { minSample: 1, escalationRateMax: 0.05, abandonmentRateMax: 0.25, fallbackRateMax: 0.2, csatMin: 0.99, negativeShareRise: 0.1 };
    expect(res.body.thresholds).toEqual(thresholds);
    expect(res.body.alerts).toEqual(evaluateAlerts(report, thresholds));
    const escalation = res.body.alerts.find((a: { metric: string }) => a.metric === 'escalationRate');
    expect(escalation).toMatchObject({ value: report.overall.escalationRate, threshold: 0.05, comparison: 'above', window: { from: FROM, to: TODAY } });
    expect(escalation.message).toMatch(/^Escalation rate \d+\.\d% is above 5\.0% \(/);
    // Without a period: the last ALERT_WINDOW_DAYS (7) days.
    expect((await get('/api/alerts')).body.window).toEqual({ from: shiftDay(TODAY, -6), to: TODAY });
  });
});

describe('the turn log for leads', () => {
  it('GET /api/conversations/{id}: one conversation, in order; 404 for an unknown one', async () => {
    const records = await allRecords(server.app);
    const id = records.find((r) => r.handoffId)!.conversationId;
    const res = await get(`/api/conversations/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    const mine = records.filter((r) => r.conversationId === id).sort((a, b) => a.ts.localeCompare(b.ts));
    expect(res.body.turns.map((t: { id: string }) => t.id)).toEqual(mine.map((r) => r.id));
    expect((await get('/api/conversations/nope')).body.error).toEqual({ code: 'not_found', message: 'No turns of conversation nope.' });
    // Channel conversation ids carry colons, bars and slashes (Teams: "a:1x…|…"); encoded, they come back whole.
    const odd = 'a:1Hx|9 z/y?';
    await postActivity(server.url, customerActivity('hello', odd));
    const found = await get(`/api/conversations/${encodeURIComponent(odd)}`);
    expect(found.status).toBe(200);
    expect(found.body.conversationId).toBe(odd);
  });

  it('GET /api/turns/export streams JSONL or CSV of a period, as stored', async () => {
    const records = (await allRecords(server.app)).filter((r) => r.ts.slice(0, 10) >= FROM);
    const jsonl = await get(`/api/turns/export?from=${FROM}&to=${TODAY}`);
    expect(jsonl.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (jsonl.body as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual(records);
    const csv = await get(`/api/turns/export?format=csv&from=${FROM}&to=${TODAY}&locale=en`);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="turns-${FROM}-${TODAY}.csv"`);
    const rows = (csv.body as string).trimEnd().split('\r\n');
    expect(rows[0]).toBe('id,ts,conversationId,channel,locale,direction,customerId,actor,type,text,intent,score,sentimentScore,sentimentLabel,dialog,outcome,latencyMs,handoffId,entities,data');
    expect(rows.length - 1).toBe(records.filter((r) => r.locale === 'en').length);
    // A browser's tag names the language, as in the metrics filter: en-US gave an empty export.
    const tagged = await get(`/api/turns/export?format=csv&from=${FROM}&to=${TODAY}&locale=en-US`);
    expect(tagged.body).toBe(csv.body);
    expect((await get('/api/turns/export?format=xml')).body.error.message).toMatch(/format: must be csv or jsonl/);
  });
});
