/**
 * The support-lead dashboard in Debian's Chromium. History comes from the demo seeder (simulated customers and agents
 * over HTTP through the real bot); today six scripted conversations are replayed over HTTP and counted by hand here.
 * The page's tiles must show the hand count; tiles and charts render; filters land in the URL; a transcript opens.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import { AGENT, LEAD, type SeededServer, startSeededServer, TODAY } from '../dashboard/helpers.js';
import { api } from '../helpers/agentClient.js';
import { CHROMIUM, hasChromium, launchChromium } from '../helpers/browser.js';
import { type FakeConnector, startFakeConnector } from '../helpers/fakeConnector.js';
import { ARTIFACTS } from '../helpers/paths.js';
import { customerActivity, postActivity } from '../helpers/server.js';

const ZONE = 'Asia/Kolkata';
/** "25 Nov, 20:34": how the page should show a time in the browser's zone. */
function localWhen(iso: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: ZONE, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  );
  return `${parts.day} ${parts.month}, ${parts.hour}:${parts.minute}`;
}

let server: SeededServer;
let connector: FakeConnector;
let browser: { context: BrowserContext; close(): Promise<void> };
const pageErrors: string[] = [];
/** Script errors and failed loads, except the 401 of the logged-out session probe. */
const unexpected = () => pageErrors.filter((e) => !/status of 401 \(Unauthorized\)/.test(e));

const rate = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
const duration = (ms: number | null) =>
  ms === null ? '–' : ms < 1000 ? `${Math.round(ms)} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 3_600_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 3_600_000).toFixed(1)} h`;

/** Plays one scripted conversation, a simulated minute between messages. */
async function play(conversationId: string, messages: string[]): Promise<void> {
  for (const text of messages) {
    const res = await postActivity(server.url, customerActivity(text, conversationId, { serviceUrl: connector.url, from: { id: `cust-${conversationId}` } }));
    expect(res.status).toBe(200);
    server.clock.advanceTo(server.clock.now().getTime() + 60_000);
  }
}

describe.skipIf(!hasChromium)(hasChromium ? 'dashboard in Chromium' : `dashboard in Chromium (skipped: ${CHROMIUM} is not installed; apt-get install chromium)`, () => {
  beforeAll(async () => {
    connector = await startFakeConnector();
    server = await startSeededServer({ conversations: 40, days: 3 });
    // Today's scripted conversations, each outcome known by construction.
    server.clock.advanceTo(Date.parse(`${TODAY}T09:00:00Z`));
    await play('hand-contained', ['how do returns work?', 'yes', 'no', '5', '9', 'skip']); // contained, confirmed; CSAT 5, NPS 9
    await play('hand-assumed', ['do you ship to Canada?']); // contained (left after the answer)
    await play('hand-prompt', ['where is my order?']); // abandoned at a question
    await play('hand-fallback', ['zorbly flimflam']); // abandoned after a fallback (1 fallback turn)
    await play('hand-hello', ['hi']); // not engaged
    await play('hand-person', ['I want to talk to a person']); // escalated, resolved by an agent; CSAT 2, NPS 3
    const lead = { token: server.lead.token };
    const queued = await api(server.url, 'GET', '/api/handoffs?status=queued', lead);
    const id = queued.body.items.find((h: { conversationId: string }) => h.conversationId === 'hand-person').id as string;
    server.clock.advanceTo(server.clock.now().getTime() + 120_000);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, lead)).status).toBe(200);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { ...lead, body: { text: 'Hello, how can I help?' } })).status).toBe(201);
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/resolve`, { ...lead, body: { note: 'Helped' } })).status).toBe(200);
    await connector.waitFor((r) => r.conversationId === 'hand-person' && r.activity.text === t('en', 'survey.csat'));
    await play('hand-person', ['2', '3', 'skip']);
    // Half an hour later every one of them has its outcome.
    server.clock.advanceTo(Date.parse(`${TODAY}T11:00:00Z`));
    // A zone that is not UTC, nor a whole hour from it: a time shown in UTC cannot pass for the local one.
    browser = await launchChromium({ timezoneId: ZONE, locale: 'en-US' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await connector?.close();
  });

  async function openDashboard(query: string, user = LEAD, { clock = false } = {}): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    // The page's own timers, run forward by the test: the minute's update without a minute's wait.
    if (clock) await page.clock.install();
    await page.setViewportSize({ width: 1360, height: 900 });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    const res = await page.goto(`${server.url}/dashboard${query}`);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.fill('#username', user.user);
    await page.fill('#password', user.password);
    await page.press('#password', 'Enter');
    return page;
  }
  const tile = (page: Page, metric: string) => page.locator(`[data-metric="${metric}"] .value`).textContent();
  const sub = (page: Page, metric: string) => page.locator(`[data-metric="${metric}"] .sub`).textContent();

  it("today's tiles show the hand count of the replayed conversations", async () => {
    const page = await openDashboard(`?from=${TODAY}&to=${TODAY}`);
    await page.locator('#period', { hasText: `${TODAY} to ${TODAY}` }).waitFor();
    // 6 conversations; 5 engaged ("hi" alone is not); contained 2, escalated 1, abandoned 2.
    expect(await tile(page, 'engaged')).toBe('5');
    expect(await sub(page, 'engaged')).toBe('6 in all, 0 still open');
    expect(await tile(page, 'containmentRate')).toBe(rate(2 / 5));
    expect(await tile(page, 'escalationRate')).toBe(rate(1 / 5));
    expect(await tile(page, 'abandonmentRate')).toBe(rate(2 / 5));
    // 13 customer messages of the engaged conversations (6 + 1 + 1 + 1 + 4; not the "hi"), one not understood.
    expect(await tile(page, 'fallbackRate')).toBe(rate(1 / 13));
    // CSAT answers 5 and 2: one of two is 4–5. NPS 9 (promoter) and 3 (detractor): 50 − 50.
    expect(await tile(page, 'csat')).toBe('50.0%');
    expect(await sub(page, 'csat')).toMatch(/^2 responses · mean 3\.50 · /);
    expect(await tile(page, 'nps')).toBe('0');
    expect(await sub(page, 'escalationRate')).toBe('1 escalated · 1 resolved by agents');
    // Against yesterday's seeded figures some changes are good news and some bad: said in words as well as colour
    // (the accessibility audit heard only "▼ 4.0 pts from …", green or red).
    const deltas = (await page.locator('#tiles .delta').evaluateAll((nodes) => nodes.map((n) => [n.className, n.querySelector('.visually-hidden')?.textContent ?? '']))) as [string, string][];
    const toned = deltas.filter(([tone]) => /good|bad/.test(tone));
    expect(toned.length).toBeGreaterThan(0);
    for (const [tone, said] of toned) expect(said, tone).toMatch(tone.includes('good') ? /, better$/ : /, worse$/);
    // The durations are the engine's (the API's) numbers, formatted.
    const report = (await api(server.url, 'GET', `/api/metrics?from=${TODAY}&to=${TODAY}`, { token: server.lead.token })).body;
    for (const m of ['frt', 'agentFrt', 'queueWait', 'timeToResolution'] as const) expect(await tile(page, m)).toBe(duration(report.overall[m].median));
    // Queued after the escalation message, accepted three simulated minutes later (plus the real milliseconds of the calls).
    expect(Math.round(report.overall.queueWait.median / 1000)).toBe(180);
    expect(unexpected()).toEqual([]);
  });

  it('renders tiles and charts on the seeded history, keeps filters in the URL, opens a transcript', async () => {
    const page = await openDashboard('?range=7d');
    await page.locator('#tiles .tile').first().waitFor();
    expect(await page.locator('#tiles .tile').count()).toBe(12);
    await page.locator('#escalation-table tbody tr').first().waitFor();
    // A table wider than a tablet scrolls in a region a keyboard can reach and a screen reader can name.
    const region = page.getByRole('region', { name: 'Escalations' });
    await region.focus();
    expect(await page.evaluate("document.activeElement.matches('[role=region]') && document.activeElement.contains(document.getElementById('escalation-table'))")).toBe(true);
    await region.blur();
    await page.setViewportSize({ width: 800, height: 1000 });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.locator('#escalations').screenshot({ path: path.join(ARTIFACTS, 'dashboard-escalations-tablet.png') });
    await page.setViewportSize({ width: 1360, height: 900 });
    // Every chart drew something: painted pixels on each canvas.
    const painted = (await page.evaluate(
      "[...document.querySelectorAll('canvas')].map((c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return { id: c.id, w: c.width, label: c.getAttribute('aria-label'), n }; })",
    )) as Array<{ id: string; w: number; label: string; n: number }>;
    expect(painted.map((c) => c.id)).toEqual(['chart-volume', 'chart-rates', 'chart-quality', 'chart-waits', 'chart-csat-split', 'chart-intents']);
    for (const c of painted) {
      expect(c.w, c.id).toBeGreaterThan(100);
      expect(c.n, c.id).toBeGreaterThan(2000);
      expect(c.label, c.id).toMatch(/\w{3,}/);
    }
    const report = (await api(server.url, 'GET', '/api/metrics?range=7d&compare=previous', { token: server.lead.token })).body;
    expect(await tile(page, 'engaged')).toBe(String(report.overall.engaged));
    expect(await tile(page, 'containmentRate')).toBe(rate(report.overall.containmentRate));
    expect(await tile(page, 'csat')).toBe(rate(report.overall.csat.score));
    // The breakdowns count engaged conversations, and say so: "Conversations" over the engaged count read as all of them.
    await page.locator('#by-channel tbody tr').first().waitFor();
    expect(await page.locator('#by-channel thead th').nth(1).textContent()).toBe('Engaged');
    // The ticket tiles are the ticket summary's numbers: the seeded customers' complaints became tickets.
    const tickets = (await api(server.url, 'GET', '/api/tickets/summary?range=7d', { token: server.lead.token })).body;
    expect(tickets.opened).toBeGreaterThan(0);
    expect(await page.locator('#ticket-tiles .tile').count()).toBe(4);
    expect(await tile(page, 'ticketsOpened')).toBe(String(tickets.opened));
    expect(await tile(page, 'ticketSla')).toBe(rate(tickets.slaMet));
    expect(await tile(page, 'ticketBacklog')).toBe(String(tickets.backlog.open));
    expect(await sub(page, 'ticketBacklog')).toBe(`${tickets.backlog.overdue} overdue · ${tickets.backlog.byPriority.high} high priority`);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // A filter goes into the URL (shareable), the tiles follow the API under it, and so does the CSV link.
    await page.selectOption('#channel', 'webchat');
    await page.waitForURL(/channel=webchat/);
    const filtered = (await api(server.url, 'GET', '/api/metrics?range=7d&channel=webchat', { token: server.lead.token })).body;
    await page.locator('#period', { hasText: 'channel webchat' }).waitFor();
    expect(await tile(page, 'engaged')).toBe(String(filtered.overall.engaged));
    expect(await page.getAttribute('#export', 'href')).toBe('/api/metrics?range=7d&channel=webchat&groupBy=day&breakdowns=channel,locale,intent&compare=previous&format=csv');
    const reloaded = await page.reload();
    expect(reloaded?.url()).toMatch(/\?range=7d&channel=webchat$/);
    await page.locator('#period', { hasText: 'channel webchat' }).waitFor();
    expect(await page.inputValue('#channel')).toBe('webchat');

    // The escalation review opens a transcript; each customer message shows its sentiment.
    await page.selectOption('#channel', '');
    await page.waitForURL(/\?range=7d$/);
    await page.locator('#escalation-table tbody tr').first().waitFor();
    const opened = await page.locator('#escalation-table button[data-open]').first().getAttribute('data-open');
    // The table's start times are local too; the column names the zone.
    expect(await page.locator('#escalation-table thead th').nth(1).textContent()).toBe('Started (GMT+5:30)');
    const escalations = (await api(server.url, 'GET', '/api/escalations?range=7d', { token: server.lead.token })).body as { items: { id: string; createdAt: string }[] };
    const started = escalations.items.find((e) => e.id === opened)!.createdAt;
    expect(await page.locator(`#escalation-table tr[data-id="${opened}"] td`).first().textContent()).toBe(localWhen(started));
    await page.locator('#escalation-table button[data-open]').first().click();
    await page.locator('#drawer[open] #drawer-turns li.turn.customer').first().waitFor();
    // Times are the browser's local ones, and the drawer says which zone that is.
    expect(await page.textContent('#drawer-facts dt:text-is("Times") + dd')).toBe('GMT+5:30 (your time zone)');
    const turnTimes = (await page.locator('#drawer-turns time').evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('datetime'), n.textContent, n.getAttribute('title')]))) as [string, string, string][];
    expect(turnTimes.length).toBeGreaterThan(0);
    for (const [iso, text, title] of turnTimes) {
      expect(text).toBe(localWhen(iso));
      expect(title).toMatch(/ GMT\+5:30$/);
    }
    const marks = await page.locator('#drawer-turns li.turn.customer .sentiment').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(m).toMatch(/^(negative|neutral|positive) -?\d\.\d\d$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-transcript.png') });
    await page.keyboard.press('Escape');
    await page.locator('#drawer[open]').waitFor({ state: 'detached' });
    // The keyboard is back on the Transcript button that opened the drawer, not at the top of the page.
    await page.locator(`#escalation-table button[data-open="${opened}"]:focus`).waitFor({ timeout: 10_000 });
    expect(await page.locator('#inbox-list li.inbox-item').count()).toBeGreaterThan(0);
    expect(unexpected()).toEqual([]);
  });

  it("the inbox's intent picker starts at the best guess, or at an empty choice with Assign off until one is made", async () => {
    const page = await openDashboard('?range=7d');
    await page.locator('#inbox-list li.inbox-item').first().waitFor();
    const inbox = (await api(server.url, 'GET', '/api/inbox?range=7d', { token: server.lead.token })).body as {
      intents: Record<string, string[]>;
      groups: Array<{ id: string; text: string; lang: string; guess: { intent: string } | null }>;
    };
    const expected = (g: (typeof inbox.groups)[number]) => (g.guess && inbox.intents[g.lang]!.includes(g.guess.intent) ? g.guess.intent : '');
    // "Last seen" is a local time with its zone named.
    expect(await page.locator('#inbox-list li.inbox-item .meta').first().textContent()).toMatch(/last seen \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2} GMT\+5:30$/);
    // Both kinds are there: groups with a guess and without.
    expect(new Set(inbox.groups.map((g) => expected(g) === ''))).toEqual(new Set([true, false]));
    for (const g of inbox.groups) {
      const row = page.locator(`#inbox-list li[data-id="${g.id}"]`);
      expect(await row.locator('select').inputValue(), g.text).toBe(expected(g));
      // Each control names its group (twelve plain "Assign" buttons told a screen reader nothing), in its language.
      expect(await row.locator('button[data-act="assign"]').getAttribute('aria-label')).toBe(`Assign “${g.text}”`);
      expect(await row.locator('q').getAttribute('lang')).toBe(g.lang);
      expect(await row.locator('button[data-act="assign"]').isDisabled(), g.text).toBe(!expected(g));
    }
    // Gibberish has no guess (the fallback's candidate was None): nothing is picked for it, and Assign waits.
    const gibberish = inbox.groups.find((g) => g.text === 'zorbly flimflam')!;
    expect(gibberish.guess).toBeNull();
    const row = page.locator(`#inbox-list li[data-id="${gibberish.id}"]`);
    expect(await row.locator('select option:checked').textContent()).toBe('Choose an intent…');
    // It says so: "best guess none" read as a guess of None, the out-of-scope intent.
    expect(await row.locator('.meta').textContent()).toContain(' · no guess · ');
    await row.locator('select').selectOption('None');
    expect(await row.locator('button[data-act="assign"]').isEnabled()).toBe(true);
    await row.locator('select').selectOption('');
    expect(await row.locator('button[data-act="assign"]').isDisabled()).toBe(true);
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  it('a bookmarked 90-day view shows its period in the select, and "Custom…" starts from the period on screen', async () => {
    const page = await openDashboard('?range=90d');
    const report = (await api(server.url, 'GET', '/api/metrics?range=90d', { token: server.lead.token })).body as { from: string; to: string };
    await page.locator('#period', { hasText: `${report.from} to ${report.to}` }).waitFor();
    expect(await page.inputValue('#range')).toBe('90d');
    expect(await page.locator('#range option:checked').textContent()).toBe('Last 90 days');
    await page.selectOption('#range', 'custom');
    expect(await page.inputValue('#from')).toBe(report.from);
    expect(await page.inputValue('#to')).toBe(report.to);
    // Applied as it stands, it is the same period, now as dates in the URL.
    await page.press('#to', 'Enter');
    await page.waitForURL(new RegExp(`\\?from=${report.from}&to=${report.to}$`));
    await page.locator('#period', { hasText: `${report.from} to ${report.to}` }).waitFor();
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  it('shows nothing of the view before for a period the API refuses, and takes a period chosen by keyboard once', async () => {
    const page = await openDashboard('?range=7d');
    await page.locator('[data-metric="engaged"] .value').waitFor();
    const loads: string[] = [];
    page.on('request', (r) => r.url().includes('/api/metrics?') && loads.push(r.url()));
    // Arrowing through the closed menu loaded each period in turn, and read every tile out each time.
    await page.focus('#range');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(500);
    expect(loads).toEqual([]);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?range=90d$/);
    await page.locator('#period').filter({ hasText: /^\d{4}-/ }).waitFor();
    expect(loads).toHaveLength(1);
    // Dates the wrong way round are refused on the page, the two fields marked for assistive technology too.
    await page.selectOption('#range', 'custom');
    await page.fill('#from', TODAY);
    await page.fill('#to', '2024-01-01');
    await page.press('#to', 'Enter');
    await page.locator('#error', { hasText: 'Pick a start and an end date, the start first.' }).waitFor();
    expect([await page.getAttribute('#from', 'aria-invalid'), await page.getAttribute('#to', 'aria-invalid')]).toEqual(['true', 'true']);
    // Over the API's 366 days: the 90-day figures stayed on screen under the new address, with an export that failed.
    await page.fill('#from', '2024-01-01');
    await page.fill('#to', TODAY);
    await page.press('#to', 'Enter');
    await page.locator('#error', { hasText: /at most 366 days/ }).waitFor();
    expect(await page.getAttribute('#from', 'aria-invalid')).toBe('false');
    expect(await page.textContent('#period')).toBe('Nothing to show for this view.');
    for (const part of ['#overview', '#tickets', '#escalations', '#inbox', '#export']) expect(await page.locator(part).isVisible(), part).toBe(false);
    // A view it takes brings them back.
    await page.selectOption('#range', '7d');
    await page.locator('[data-metric="engaged"] .value').waitFor();
    expect(await page.locator('#error').isVisible()).toBe(false);
    // A day not over, or not begun, says so: a part-day compared with whole ones read as a collapse in volume. Today is
    // the server's (here the test's clock, days before the browser's): a laptop's clock or zone may be a day off.
    await page.goto(`${server.url}/dashboard?from=${TODAY}&to=${TODAY}`);
    await page.locator('#period', { hasText: `(${TODAY} so far)` }).waitFor();
    const tomorrow = new Date(Date.parse(TODAY) + 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${server.url}/dashboard?from=${tomorrow}&to=${tomorrow}`);
    await page.locator('#period', { hasText: '(not begun yet)' }).waitFor();
    expect(unexpected().filter((e) => !/status of 400/.test(e))).toEqual([]);
    pageErrors.length = 0;
    await page.close();
  });

  it('says when its figures were counted, and brings a day still going up to date every minute and on Refresh', async () => {
    const page = await openDashboard(`?from=${TODAY}&to=${TODAY}`, LEAD, { clock: true });
    const metricsCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/metrics?')) metricsCalls.push(r.url());
    });
    await page.locator('#as-of', { hasText: 'Figures as of' }).waitFor();
    // The server's clock, in the lead's zone: a support lead could not tell figures of 9:00 from those of now.
    expect(await page.textContent('#as-of')).toBe(`Figures as of ${localWhen(server.clock.now().toISOString())} GMT+5:30, updated every minute.`);
    const all = Number((await sub(page, 'engaged'))?.match(/^(\d+) in all/)?.[1]);
    const rows = await page.locator('#escalation-table tbody tr').count();
    await play('late-arrival', ['do you ship to Canada?', 'I want to talk to a person']);
    // A minute on, the tiles count the new conversation without a word from the screen reader (twelve tiles read out
    // every minute); the escalation list, which the lead works through, keeps its rows until asked.
    await page.clock.runFor(61_000);
    await page.locator('[data-metric="engaged"] .sub', { hasText: `${all + 1} in all, 1 still open` }).waitFor();
    expect(await page.locator('#tiles').getAttribute('aria-live')).toBe('off');
    expect(await page.locator('#escalation-table tbody tr').count()).toBe(rows);
    expect(await page.textContent('#as-of')).toBe(`Figures as of ${localWhen(server.clock.now().toISOString())} GMT+5:30, updated every minute.`);
    // Refresh brings everything up to date, and a view chosen by the lead is read out again.
    await page.click('#refresh');
    await page.locator('#escalation-table tbody tr').nth(rows).waitFor();
    expect(await page.locator('#tiles').getAttribute('aria-live')).toBe('polite');
    // Turned off, the page stays as it is (and remembers the choice).
    await page.uncheck('#auto-refresh');
    expect(await page.textContent('#as-of')).toMatch(/GMT\+5:30\.$/);
    const calls = metricsCalls.length;
    await page.clock.runFor(61_000);
    await page.waitForTimeout(300);
    expect(metricsCalls.length).toBe(calls);
    await page.reload();
    await page.locator('#as-of', { hasText: 'Figures as of' }).waitFor();
    expect(await page.isChecked('#auto-refresh')).toBe(false);
    await page.check('#auto-refresh');
    // A period that is over has nothing to follow.
    const yesterday = new Date(Date.parse(TODAY) - 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${server.url}/dashboard?from=${yesterday}&to=${yesterday}`);
    await page.locator('#as-of', { hasText: 'the period is over' }).waitFor();
    expect(await page.locator('#auto-refresh').isVisible()).toBe(false);
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  it('tells an agent that the dashboard is for leads', async () => {
    const page = await openDashboard('', AGENT);
    await page.locator('#role-view').waitFor();
    expect(await page.textContent('#role-message')).toBe('The dashboard is for leads and admins; you are signed in as alex, an agent.');
    expect(await page.locator('#main').isHidden()).toBe(true);
  });
});
