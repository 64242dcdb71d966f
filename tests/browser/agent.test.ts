/**
 * The agent console in a real browser (Debian's Chromium through playwright-core): log in, see an escalation arrive
 * in the live queue, open it with the keyboard, accept, chat both ways without a page reload, resolve.
 * The customer talks on /api/messages with a fake channel connector receiving the proactive messages.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import { FixedClock } from '../../storage/clock.js';
import { TEST_NOW } from '../helpers/harness.js';
import { api, login } from '../helpers/agentClient.js';
import { type FakeConnector, startFakeConnector } from '../helpers/fakeConnector.js';
import { ARTIFACTS } from '../helpers/paths.js';
import { customerActivity, postActivity, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * TEST_NOW, moving on at the wall clock's pace: the console tells a chat's lines apart by when they were said, which a
 * clock that stands still cannot show.
 */
class RunningClock extends FixedClock {
  private readonly started = Date.now();
  override now(): Date {
    return new Date(super.now().getTime() + Date.now() - this.started);
  }
}

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const ADMIN = { user: 'admin', password: 'admin-password-1' };
const AGENT = { user: 'alex', password: 'agent-password-1' };
const ZONE = 'Asia/Kolkata';
const MESSAGE_LIMIT = 1500;
/** "14:05" in the browser's zone, as the console should show it. */
const localClock = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

let server: TestServer;
let connector: FakeConnector;
let context: BrowserContext;
let profile: string;
const pageErrors: string[] = [];
/** Script errors and failed loads, except the 401s a logged-out console expects (the session probe, a wrong password). */
const unexpected = () => pageErrors.filter((e) => !/status of 401 \(Unauthorized\)/.test(e));

const say = (conversationId: string, text: string) =>
  postActivity(server.url, customerActivity(text, conversationId, { serviceUrl: connector.url, from: { id: `cust-${conversationId}`, name: 'Customer' } }));

describe.skipIf(!hasChromium)(hasChromium ? 'agent console in Chromium' : `agent console in Chromium (skipped: ${CHROMIUM} is not installed; apt-get install chromium)`, () => {
  beforeAll(async () => {
    connector = await startFakeConnector();
    server = await startTestServer(
      // Not the default limit, so the console's is seen to come from the server.
      { ADMIN_USER: ADMIN.user, ADMIN_PASSWORD: ADMIN.password, MAX_MESSAGE_CHARS: String(MESSAGE_LIMIT) },
      { clock: new RunningClock(TEST_NOW) },
    );
    const admin = await login(server.url, ADMIN.user, ADMIN.password);
    await api(server.url, 'POST', '/api/users', { token: admin.token, body: { username: AGENT.user, password: AGENT.password, role: 'agent' } });
    profile = await mkdtemp(path.join(os.tmpdir(), 'cxbot-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 860 },
      // A zone that is not UTC, nor a whole hour from it: a time shown in the wrong zone cannot pass for the right one.
      timezoneId: ZONE,
      locale: 'en-US',
    });
  });
  afterAll(async () => {
    await context?.close();
    await server?.stop();
    await connector?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  async function openConsole(): Promise<Page> {
    await context.clearCookies();
    const page = await context.newPage();
    // Under the test's own timeout, so a wait that never ends fails naming what it waited for.
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    const res = await page.goto(`${server.url}/agent`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    return page;
  }

  it('log in, queue, accept, chat both ways, resolve: live, keyboard-driven, no reloads', async () => {
    const page = await openConsole();
    await page.fill('#username', AGENT.user);
    await page.fill('#password', 'wrong-password-x');
    await page.press('#password', 'Enter');
    await page.locator('#login-error', { hasText: 'Wrong username or password.' }).waitFor();
    // The refused fields say so to assistive technology, not only in the red words under them.
    expect([await page.getAttribute('#username', 'aria-invalid'), await page.getAttribute('#password', 'aria-invalid')]).toEqual(['true', 'true']);
    await page.fill('#password', AGENT.password);
    await page.press('#password', 'Enter');
    await page.waitForSelector('#live.on');
    expect(await page.getAttribute('#password', 'aria-invalid')).toBe('false');
    expect(await page.textContent('#whoami')).toBe('alex (agent)');
    // A marker that a reload would wipe.
    // (Browser-side code as strings: the project's TypeScript has no DOM types.)
    await page.evaluate('window.__noReload = true');

    // A customer escalates: the row appears without a reload.
    await say('web-1', 'where is my order 10435?');
    await say('web-1', 'I want to talk to a person');
    const row = page.locator('#queue li', { hasText: 'Asked for a person' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/normal.*Asked for a person.*waiting \d+ s.*H-\d{6} · EN · webchat/);

    // Keyboard: the queue has focus; Enter opens the highlighted handoff with its context and transcript.
    await page.focus('#queue');
    await page.keyboard.press('Enter');
    await page.locator('#chat li.customer', { hasText: 'I want to talk to a person' }).waitFor();
    expect(await page.textContent('#context')).toMatch(/Intents\s*order\.status\s*agent\.handoff/);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'agent-console-queue.png') });
    // In a high-contrast mode the selected row keeps a mark: its border and background were replaced like every row's.
    await page.emulateMedia({ forcedColors: 'active' });
    expect(await page.evaluate('getComputedStyle(document.querySelector(\'#queue li[aria-selected="true"]\')).outlineStyle')).toBe('solid');
    await page.emulateMedia({ forcedColors: 'none' });
    // Each message carries its language and direction for the browser and a screen reader.
    const said = page.locator('#chat li.customer', { hasText: 'I want to talk to a person' }).locator('.text');
    expect([await said.getAttribute('lang'), await said.getAttribute('dir')]).toEqual(['en', 'auto']);
    // The tabs are one stop for the Tab key and move with the arrow keys, Home and End, as a tab list does.
    const tabState = () =>
      page.evaluate("[...document.querySelectorAll('[data-tab]')].map((t) => `${t.dataset.tab}:${t.getAttribute('aria-selected')}:${t.tabIndex}${t === document.activeElement ? ':focused' : ''}`)");
    await page.focus('[data-tab="queued"]');
    await page.keyboard.press('ArrowRight');
    expect(await tabState()).toEqual(['queued:false:-1', 'mine:true:0:focused', 'open:false:-1', 'tickets:false:-1']);
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowRight');
    expect(await tabState()).toEqual(['queued:true:0:focused', 'mine:false:-1', 'open:false:-1', 'tickets:false:-1']);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Home');
    expect(await tabState()).toEqual(['queued:true:0:focused', 'mine:false:-1', 'open:false:-1', 'tickets:false:-1']);
    // Single-key shortcuts work in the queue only: "a" on a tab accepted the chat open beside it.
    await page.focus('[data-tab="mine"]');
    await page.keyboard.press('a');
    await page.waitForTimeout(300);
    expect(await page.textContent('#detail-status')).toBe('queued');
    await page.focus('#queue');
    await page.keyboard.press('a');
    await page.locator('#detail-status', { hasText: 'active' }).waitFor();
    await connector.waitFor((r) => r.conversationId === 'web-1' && /alex from our team has joined/.test(r.activity.text ?? ''));

    // The customer writes; it shows up live.
    await say('web-1', 'My parcel never arrived and I need it by Friday');
    await page.locator('#chat li.customer', { hasText: 'never arrived' }).waitFor();

    // The agent replies with Enter; the customer's channel receives it, and the console shows it once.
    await page.fill('#reply', 'So sorry! A replacement is on its way by express.');
    await page.press('#reply', 'Enter');
    await connector.waitFor((r) => r.conversationId === 'web-1' && r.activity.text === 'So sorry! A replacement is on its way by express.');
    await page.locator('#chat li.agent', { hasText: 'replacement is on its way' }).waitFor();
    // Polled through the locator API: waitForFunction needs eval, which the console's CSP rightly forbids.
    await expect.poll(() => page.locator('#reply').inputValue(), { timeout: 15_000 }).toBe('');
    await page.screenshot({ path: path.join(ARTIFACTS, 'agent-console.png'), fullPage: true });

    // Resolve from the keyboard: Escape leaves the reply box, r goes to the note, Ctrl+Enter resolves.
    await page.keyboard.press('Escape');
    // Back in the queue (a bare blur left focus on the page itself).
    expect(await page.evaluate('document.activeElement.id')).toBe('queue');
    await page.keyboard.press('r');
    await page.keyboard.type('Replacement sent by express');
    await page.keyboard.press('Control+Enter');
    await page.locator('#detail-status', { hasText: 'resolved' }).waitFor();
    const back = t('en', 'handoff.handBack', { agent: 'alex', bot: server.app.core.config.BOT_NAME });
    await connector.waitFor((r) => r.conversationId === 'web-1' && r.activity.text === back);
    expect(await page.locator('#queue li').count()).toBe(0);
    expect(await page.evaluate('window.__noReload')).toBe(true);

    // The bot has the conversation again.
    const again = await say('web-1', 'where is my order 10435?');
    expect(again.body.activities[0].text).toMatch(/I found order 10435/);
    expect(unexpected()).toEqual([]);
  });

  it('lists a complaint under Tickets, shows its conversation and closes it with a note', async () => {
    const filed = await say('web-2', 'The lamp from order 10231 came with a broken shade and I want a new one');
    const id = /T-\d{6}/.exec(filed.body.activities.map((a: { text?: string }) => a.text ?? '').join(' '))![0];
    const page = await openConsole();
    await page.fill('#username', AGENT.user);
    await page.fill('#password', AGENT.password);
    await page.press('#password', 'Enter');
    await page.waitForSelector('#live.on');
    await page.locator('[data-count="tickets"]', { hasText: '1' }).waitFor();
    await page.click('[data-tab="tickets"]');
    const row = page.locator('#queue li', { hasText: id });
    expect(await row.textContent()).toMatch(new RegExp(`normal.*Complaint: Damaged item.*due in \\d+ h \\d+ min.*${id} · EN · webchat · order 10231`));
    await row.click();
    await page.locator('#chat li.customer', { hasText: 'broken shade' }).waitFor();
    expect(await page.textContent('#detail-title')).toBe(`${id} · Complaint: Damaged item`);
    // The due time is the agent's local time, and says which zone that is.
    const agentToken = (await login(server.url, AGENT.user, AGENT.password)).token;
    const { dueAt } = (await api(server.url, 'GET', `/api/tickets/${id}`, { token: agentToken })).body as { dueAt: string };
    const dueLocal = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(new Date(dueAt));
    expect(dueLocal).toMatch(/GMT\+5:30$/);
    const due = (await page.textContent('#context dt:text-is("Due") + dd'))!;
    expect(due.startsWith(`${dueLocal} (`)).toBe(true);
    expect(due.slice(dueLocal.length)).toMatch(/^ \(due in \d+ h \d+ min\)$/);
    expect(await page.isVisible('#reply-form')).toBe(false);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'agent-console-ticket.png') });
    await page.fill('#note', 'Called the customer; new shade sent');
    await page.fill('#ticket-answer', 'A new shade is on its way to you.');
    await page.click('#resolve');
    await page.locator('#detail-status', { hasText: 'closed' }).waitFor();
    await page.locator('#queue-empty', { hasText: 'No open tickets.' }).waitFor();
    expect(await page.locator('#context dd', { hasText: 'A new shade is on its way to you.' }).count()).toBe(1);
    const token = (await login(server.url, AGENT.user, AGENT.password)).token;
    const closed = (await api(server.url, 'GET', `/api/tickets/${id}`, { token })).body;
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'alex', note: 'Called the customer; new shade sent', reply: 'A new shade is on its way to you.' });
    // A complaint filed while the console is open appears on its own: the event stream says so, nothing is reloaded.
    const next = await say('web-3', 'The rug in order 10622 arrived stained and torn');
    const nextId = /T-\d{6}/.exec(next.body.activities.map((a: { text?: string }) => a.text ?? '').join(' '))![0];
    await page.locator('#queue li', { hasText: nextId }).waitFor({ timeout: 10_000 });
    expect(unexpected()).toEqual([]);
  });

  /** Logs the agent in, has `conversationId` ask for a person, and opens that handoff from the queue. */
  /** Accepts the open handoff and waits until the console shows it active. */
  async function acceptOpen(page: Page): Promise<void> {
    await page.click('#accept');
    await page.locator('#detail-status', { hasText: 'active' }).waitFor();
  }

  async function openEscalation(conversationId: string): Promise<Page> {
    const page = await openConsole();
    await page.fill('#username', AGENT.user);
    await page.fill('#password', AGENT.password);
    await page.press('#password', 'Enter');
    await page.waitForSelector('#live.on');
    await say(conversationId, 'I want to talk to a person');
    await page.locator('#queue li', { hasText: 'Asked for a person' }).first().click();
    await page.locator('#chat li.customer', { hasText: 'I want to talk to a person' }).waitFor();
    return page;
  }

  /**
   * Resolves the open handoff from the console, so the next test starts with an empty queue, and closes the page: each
   * open console holds an event stream, and Chromium opens at most six connections to one host.
   */
  async function resolveAndClose(page: Page): Promise<void> {
    await page.fill('#note', 'done');
    await page.click('#resolve');
    await page.locator('#detail-status', { hasText: 'resolved' }).waitFor();
    expect(unexpected()).toEqual([]);
    await page.close();
  }

  it('a long chat scrolls inside its pane: the page keeps its height, the reply box stays in view, new lines show', async () => {
    const page = await openEscalation('web-long');
    await acceptOpen(page);
    for (let i = 1; i <= 40; i++) await say('web-long', `Line ${i} of a long story about my parcel`);
    await page.locator('#chat li.customer', { hasText: 'Line 40 of' }).waitFor();
    const height = page.viewportSize()!.height;
    // The page does not grow past the window: only the conversation pane scrolls.
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBeLessThanOrEqual(height);
    const chat = (await page.evaluate("(() => { const c = document.getElementById('chat'); return { scroll: c.scrollHeight, client: c.clientHeight }; })()")) as { scroll: number; client: number };
    expect(chat.scroll).toBeGreaterThan(chat.client);
    const inView = async (selector: string) => {
      const box = (await page.locator(selector).last().boundingBox())!;
      const pane = (await page.locator('#chat').boundingBox())!;
      return { inWindow: box.y >= 0 && box.y + box.height <= height, inPane: box.y >= pane.y - 1 && box.y + box.height <= pane.y + pane.height + 1 };
    };
    expect((await inView('#reply')).inWindow).toBe(true);
    expect((await inView('#chat li.customer')).inPane).toBe(true);
    // The agent's own line scrolls into view too.
    await page.fill('#reply', 'Let me check that for you.');
    await page.press('#reply', 'Enter');
    await page.locator('#chat li.agent', { hasText: 'Let me check that for you.' }).waitFor();
    expect(await inView('#chat li.agent')).toEqual({ inWindow: true, inPane: true });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'agent-console-long-chat.png'), fullPage: true });
    await resolveAndClose(page);
  });

  it('the documented keys a, then /, then typing send no stray "/"; single-key shortcuts do not fire in a text box', async () => {
    const page = await openEscalation('web-keys');
    await page.focus('#queue');
    await page.keyboard.press('a');
    await page.locator('#detail-status', { hasText: 'active' }).waitFor();
    // Accept puts the agent in the reply box; the documented "/" (go to the reply box) is then not typed into it.
    await page.locator('#reply:focus').waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('Hi, this is Alex. Is it 1/2 or a/b?');
    await page.keyboard.press('Enter');
    const sent = await connector.waitFor((r) => r.conversationId === 'web-keys' && /this is Alex/.test(r.activity.text ?? ''));
    expect(sent.activity.text).toBe('Hi, this is Alex. Is it 1/2 or a/b?');
    // The box empties once the API has answered (the channel may have the message a moment before).
    await expect.poll(() => page.locator('#reply').inputValue(), { timeout: 15_000 }).toBe('');
    // Escape leaves the box, r goes to the note without typing an "r"; there a, j, / are letters, not shortcuts.
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await page.locator('#note:focus').waitFor();
    await page.keyboard.type('a j / k');
    expect(await page.inputValue('#note')).toBe('a j / k');
    await page.keyboard.press('Control+Enter');
    await page.locator('#detail-status', { hasText: 'resolved' }).waitFor();
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  it("the detail pane's time counts up like the queue row", async () => {
    const page = await openEscalation('web-clock');
    await acceptOpen(page);
    const time = page.locator('#context dt:text-is("Time") + dd');
    const first = (await time.textContent())!;
    expect(first).toMatch(/^with alex \d+ s$/);
    // No reload, no new event from the server: the clock alone moves it on.
    await page.locator('#context dt:text-is("Time") + dd', { hasText: /^with alex \d+ s$/ }).filter({ hasNotText: new RegExp(`^${first}$`) }).waitFor();
    await resolveAndClose(page);
  });

  /** Logs the agent in on a fresh console page. */
  async function loggedIn(username = AGENT.user): Promise<Page> {
    const page = await openConsole();
    await page.fill('#username', username);
    await page.fill('#password', AGENT.password);
    await page.press('#password', 'Enter');
    await page.waitForSelector('#live.on');
    return page;
  }

  /** A customer asks for a person and the console on `page` takes the chat; returns the handoff id. */
  async function takeNew(page: Page, conversationId: string): Promise<string> {
    await say(conversationId, 'I want to talk to a person');
    const id = await handoffOf(conversationId);
    await page.locator(`#row-${id}`).click();
    await acceptOpen(page);
    return id;
  }

  /** The handoff id of a conversation's open handoff. */
  async function handoffOf(conversationId: string): Promise<string> {
    const token = (await login(server.url, ADMIN.user, ADMIN.password)).token;
    const { items } = (await api(server.url, 'GET', '/api/handoffs?status=queued,active', { token })).body as { items: { id: string; conversationId: string }[] };
    return items.find((h) => h.conversationId === conversationId)!.id;
  }

  /** Holds the page's requests matching `pattern` once the server has answered them (`read`), until `release`. */
  async function holdAnswers(page: Page, pattern: string): Promise<{ read: Promise<void>; release: () => void }> {
    let fetched!: () => void;
    let release!: () => void;
    const read = new Promise<void>((resolve) => (fetched = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route(pattern, async (route) => {
      const response = await route.fetch();
      fetched();
      await gate;
      await route.fulfill({ response });
    });
    return { read, release };
  }

  /** Ends the open handoffs through the API (an admin may resolve a queued one), so the next test starts with an empty queue. */
  async function resolveAll(): Promise<void> {
    const token = (await login(server.url, ADMIN.user, ADMIN.password)).token;
    const { items } = (await api(server.url, 'GET', '/api/handoffs?status=queued,active', { token })).body as { items: { id: string }[] };
    for (const h of items) await api(server.url, 'POST', `/api/handoffs/${h.id}/resolve`, { token, body: {} });
  }

  it('new chats and customer messages in chats that are not open show on their rows and in the window title', async () => {
    const page = await loggedIn();
    await say('web-unread-a', 'I want to talk to a person');
    const a = await handoffOf('web-unread-a');
    const rowA = page.locator(`#row-${a}`);
    // A chat that arrived while the console was open is new until opened, in words and in the title; it is announced.
    await rowA.locator('.mark', { hasText: /^new$/ }).waitFor();
    await expect.poll(() => page.title()).toBe('(1) Agent console');
    await page.locator('#announce', { hasText: `New chat waiting: Asked for a person, ${a}.` }).waitFor();
    await say('web-unread-b', 'I want to talk to a person');
    const b = await handoffOf('web-unread-b');
    await expect.poll(() => page.title()).toBe('(2) Agent console');

    // The agent takes A; B's customer writes twice meanwhile.
    await rowA.click();
    await acceptOpen(page);
    await expect.poll(() => page.title()).toBe('(1) Agent console');
    await page.click('[data-tab="open"]');
    await say('web-unread-b', 'hello?');
    await say('web-unread-b', 'is anyone there?');
    const rowB = page.locator(`#row-${b}`);
    await rowB.locator('.mark', { hasText: '2 unread' }).waitFor();
    await expect.poll(() => page.title()).toBe('(3) Agent console');
    // A reload keeps them: it cleared "new" and "2 unread", and the count in the title.
    await page.reload();
    await page.waitForSelector('#live.on');
    await page.click('[data-tab="open"]');
    await rowB.locator('.mark', { hasText: '2 unread' }).waitFor();
    await expect.poll(() => page.title()).toBe('(3) Agent console');
    await rowA.click();
    await page.locator('#detail-title', { hasText: a }).waitFor();
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'agent-console-unread.png') });
    // The open chat's own messages are read as they come: no mark, no count.
    await say('web-unread-a', 'thanks for taking this');
    await page.locator('#chat li.customer', { hasText: 'thanks for taking this' }).waitFor();
    await rowA.waitFor();
    expect(await rowA.locator('.mark').count()).toBe(0);

    // Opening B clears its marks; then a message in A (no longer open) counts there.
    await rowB.click();
    await page.locator('#chat li.customer', { hasText: 'is anyone there?' }).waitFor();
    await expect.poll(() => rowB.locator('.mark').count()).toBe(0);
    await expect.poll(() => page.title()).toBe('Agent console');
    // The agent switches to another browser tab: what B's customer says now is unread there too, until they come back.
    await page.evaluate("Object.defineProperty(document, 'hidden', { configurable: true, get: () => true }); document.dispatchEvent(new Event('visibilitychange'))");
    await say('web-unread-b', 'are you still there?');
    await rowB.locator('.mark', { hasText: '1 unread' }).waitFor();
    await expect.poll(() => page.title()).toBe('(1) Agent console');
    await page.evaluate("Object.defineProperty(document, 'hidden', { configurable: true, get: () => false }); document.dispatchEvent(new Event('visibilitychange'))");
    await expect.poll(() => page.title()).toBe('Agent console');
    expect(await rowB.locator('.mark').count()).toBe(0);
    await say('web-unread-a', 'still there?');
    await rowA.locator('.mark', { hasText: '1 unread' }).waitFor();
    await expect.poll(() => page.title()).toBe('(1) Agent console');
    // A chat that closes takes its count with it.
    await resolveAll();
    await expect.poll(() => page.title()).toBe('Agent console');
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  it('screen readers hear new messages in the open chat and its status changes, not the clocks or the list redrawn', async () => {
    const page = await loggedIn();
    await say('web-quiet-a', 'I want to talk to a person');
    const a = await handoffOf('web-quiet-a');
    await page.locator(`#row-${a}`).click();
    await page.locator('#chat li.customer', { hasText: 'I want to talk to a person' }).waitFor();
    // Nothing that ticks every second sits in a live region (role=log and role=status are live too).
    const live = '[aria-live]:not([aria-live="off"]), [role="log"], [role="status"], [role="alert"], [role="marquee"], [role="timer"]';
    const clocksInLiveRegions = `[...document.querySelectorAll('[data-wait], [data-due]')].filter((n) => n.closest('${live.replaceAll('"', '\\"')}')).length`;
    expect(await page.locator('[data-wait]').count()).toBeGreaterThan(1);
    expect(await page.evaluate(clocksInLiveRegions)).toBe(0);
    // Nor does the whole pane: its facts are redrawn on every change of the handoff.
    expect(await page.locator('#detail').evaluate((n, sel) => Boolean(n.closest(sel) || n.querySelector('#context')?.closest(sel)), live)).toBe(false);

    // The status change and a new message are said once, in the status region.
    await acceptOpen(page);
    await say('web-quiet-a', 'My parcel is late');
    await page.locator('#announce', { hasText: 'customer: My parcel is late' }).waitFor();
    // A colleague resolving it from elsewhere: the agent hears it.
    const token = (await login(server.url, ADMIN.user, ADMIN.password)).token;
    await api(server.url, 'POST', `/api/handoffs/${a}/resolve`, { token, body: {} });
    await page.locator('#announce', { hasText: `${a} resolved.` }).waitFor();

    // Another chat arriving redraws the list, but the rows that did not change stay the same elements (a replaced row is
    // a new row to a screen reader).
    await say('web-quiet-b', 'I want to talk to a person');
    await say('web-quiet-c', 'I want to talk to a person');
    const b = await handoffOf('web-quiet-b');
    const c = await handoffOf('web-quiet-c');
    await page.locator(`#row-${c}`).waitFor();
    // A property, not an attribute: the console compares attributes to tell a changed row.
    await page.locator(`#row-${b}`).evaluate((n) => Object.assign(n, { kept: true }));
    await say('web-quiet-d', 'I want to talk to a person');
    await page.locator(`#row-${await handoffOf('web-quiet-d')}`).waitFor();
    expect(await page.locator(`#row-${b}`).evaluate((n) => (n as unknown as { kept?: boolean }).kept)).toBe(true);
    await resolveAll();
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  it("each chat line shows its time, the agent's own time zone, with the full date-time and the zone's name on it", async () => {
    const page = await openEscalation('web-times');
    await acceptOpen(page);
    await say('web-times', 'Are you there?');
    await page.fill('#reply', 'Yes, checking now.');
    await page.press('#reply', 'Enter');
    await page.locator('#chat li.agent', { hasText: 'Yes, checking now.' }).waitFor();
    await page.locator('#chat li.customer', { hasText: 'Are you there?' }).waitFor();
    const lines = await page.locator('#chat li').count();
    const times = (await page.locator('#chat li .who time').evaluateAll((nodes) =>
      nodes.map((n) => ({ text: n.textContent, datetime: n.getAttribute('datetime'), title: n.getAttribute('title') })),
    )) as { text: string; datetime: string; title: string }[];
    // Transcript lines and live ones alike.
    expect(times.length).toBe(lines);
    for (const t of times) {
      expect(t.text).toBe(localClock(t.datetime));
      expect(t.title).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} GMT\+5:30$/);
    }
    await resolveAndClose(page);
  });

  it("after a reload the agent's own lines still carry their name, not \"agent\"", async () => {
    const page = await openEscalation('web-reload');
    await acceptOpen(page);
    await page.fill('#reply', 'Hello, this is Alex.');
    await page.press('#reply', 'Enter');
    await page.locator('#chat li.agent', { hasText: 'Hello, this is Alex.' }).waitFor();
    expect(await page.locator('#chat li.agent .who').textContent()).toMatch(/^alex · /);
    // The page comes back from the transcript alone, with the chat that was open still open (it closed on reload).
    await page.reload();
    await page.waitForSelector('#live.on');
    await page.locator('#chat li.agent', { hasText: 'Hello, this is Alex.' }).waitFor();
    expect(await page.locator('#chat li.agent .who').textContent()).toMatch(/^alex · /);
    // What the transcript already held does not hide what is said next.
    await page.fill('#reply', 'Back again.');
    await page.press('#reply', 'Enter');
    await page.locator('#chat li.agent', { hasText: 'Back again.' }).waitFor();
    expect(await page.locator('#chat li.agent .who').last().textContent()).toMatch(/^alex · /);
    await resolveAndClose(page);
  });

  it('hands an active chat to a colleague, who alone can write in it from then on', async () => {
    // Only the agent who accepted could write or resolve: a chat could not move to anyone at the end of a shift.
    const admin = await login(server.url, ADMIN.user, ADMIN.password);
    await api(server.url, 'POST', '/api/users', { token: admin.token, body: { username: 'blair', password: 'agent-password-2', role: 'agent' } });
    const page = await openEscalation('web-transfer');
    expect(await page.locator('#transfer-to').isHidden()).toBe(true);
    await acceptOpen(page);
    await page.fill('#reply', 'Hello, alex here.');
    await page.press('#reply', 'Enter');
    await page.locator('#chat li.agent', { hasText: 'Hello, alex here.' }).waitFor();
    await page.locator('#transfer-to option[value="blair"]').waitFor({ state: 'attached' });
    // Blair has no console open: the list says so.
    await page.focus('#transfer-to');
    await page.locator('#transfer-to option[value="blair"]', { hasText: 'blair (agent, not signed in)' }).waitFor({ state: 'attached' });
    // Choosing a name hands nothing over (one arrow key in the list gave a live chat to the first name); the button does.
    await page.selectOption('#transfer-to', 'blair');
    const still = (await api(server.url, 'GET', '/api/handoffs?status=active', { token: admin.token })).body.items.find((x: { conversationId: string }) => x.conversationId === 'web-transfer');
    expect(still).toMatchObject({ agent: AGENT.user });
    await page.fill('#note', 'half a note');
    await page.click('#transfer');
    await page.locator('#chat li.bot', { hasText: 'blair from our team is taking over the chat from here.' }).waitFor();
    // What alex had typed is no longer his to send, and handing it over is no news to him.
    await expect.poll(() => page.inputValue('#note')).toBe('');
    expect(await page.locator('#detail-error').textContent()).not.toMatch(/was handed to/);
    // Read back from the transcript, alex's line is still alex's (it was named after the handoff's new agent).
    await page.reload();
    await page.locator('#chat li.agent', { hasText: 'Hello, alex here.' }).waitFor();
    expect(await page.locator('#chat li.agent .who').first().textContent()).toMatch(/^alex · /);
    const h = (await api(server.url, 'GET', '/api/handoffs?status=active', { token: admin.token })).body.items.find((x: { conversationId: string }) => x.conversationId === 'web-transfer');
    expect(h).toMatchObject({ status: 'active', agent: 'blair' });
    expect(await page.isDisabled('#reply')).toBe(true);
    expect(await page.locator('#transfer-to').isHidden()).toBe(true);
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  // A chat handed over arrived silently in Mine, its customer's question unanswered; the agent who lost it saw their box
  // go grey with no word why.
  it('tells the agent who gets a chat handed over, and the one who loses it', async () => {
    const admin = await login(server.url, ADMIN.user, ADMIN.password);
    await api(server.url, 'POST', '/api/users', { token: admin.token, body: { username: 'casey', password: 'agent-password-3', role: 'agent' } });
    const page = await openEscalation('web-handed');
    await acceptOpen(page);
    const id = await handoffOf('web-handed');
    const handTo = (to: string) => api(server.url, 'POST', `/api/handoffs/${id}/transfer`, { token: admin.token, body: { to } });
    expect((await handTo('casey')).status).toBe(200);
    await page.locator('#detail-error', { hasText: `${id} was handed to casey: only they can write in it now.` }).waitFor();
    // With another chat open, one handed to this agent is marked new and counted in the title.
    await say('web-handed-2', 'I want to talk to a person');
    const other = await handoffOf('web-handed-2');
    await page.click('[data-tab="queued"]');
    await page.locator(`#row-${other}`).click();
    await page.locator('#detail-title', { hasText: other }).waitFor();
    expect((await handTo(AGENT.user)).status).toBe(200);
    await page.click('[data-tab="mine"]');
    await page.locator(`#row-${id} .mark`, { hasText: 'new' }).waitFor();
    await expect.poll(() => page.title()).toMatch(/^\(\d+\) Agent console$/);
    await resolveAll();
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  // On a tablet (768 × 1024) the resolution note was 76 px wide beside its button, its placeholder cut off, and the
  // tabs ran out of the queue's pane.
  it('fits a tablet: the note box has room, the tabs stay in their pane', async () => {
    const page = await openEscalation('web-tablet');
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.locator('#note').waitFor();
    expect((await page.locator('#note').boundingBox())!.width).toBeGreaterThan(300);
    const pane = (await page.locator('.queue').boundingBox())!;
    for (const tab of await page.locator('.tabs button').all()) {
      const box = (await tab.boundingBox())!;
      expect(box.x + box.width, await tab.textContent() ?? '').toBeLessThanOrEqual(pane.x + pane.width);
    }
    await resolveAll();
    await page.close();
  });

  // agents.md promises a link "opens it again"; for a chat that had ended it opened an empty pane.
  it('a link to a resolved chat opens it, to read', async () => {
    await say('web-link-resolved', 'I want to talk to a person');
    const id = await handoffOf('web-link-resolved');
    await resolveAll();
    const page = await openConsole();
    await page.goto(`${server.url}/agent#${id}`);
    await page.fill('#username', AGENT.user);
    await page.fill('#password', AGENT.password);
    await page.press('#password', 'Enter');
    await page.locator('#detail-title', { hasText: id }).waitFor();
    expect(await page.locator('#detail-status').textContent()).toBe('resolved');
    await page.locator('#chat li.customer', { hasText: 'I want to talk to a person' }).waitFor();
    expect(unexpected()).toEqual([]);
    await page.close();
    // A link to no chat at all says so where the agent looks (it went to the hidden pane).
    const none = await openConsole();
    await none.goto(`${server.url}/agent#H-999999`);
    await none.fill('#username', AGENT.user);
    await none.fill('#password', AGENT.password);
    await none.press('#password', 'Enter');
    await none.locator('#detail-empty', { hasText: 'H-999999' }).waitFor();
    await none.close();
    // Its 404 is the one failed load expected here.
    const expected = pageErrors.filter((e) => /status of 404 \(Not Found\)/.test(e));
    expect(expected.length).toBeGreaterThan(0);
    for (const e of expected) pageErrors.splice(pageErrors.indexOf(e), 1);
    expect(unexpected()).toEqual([]);
  });

  // After a restart the customer's chat was gone: the accept showed success, and the agent waited on nobody.
  it('says so when the customer could not be told the agent joined', async () => {
    const page = await openEscalation('web-gone');
    connector.failNext(1);
    await acceptOpen(page);
    await page.locator('#detail-error', { hasText: /could not be reached to say so/ }).waitFor();
    await resolveAndClose(page);
  });

  // An agent typed a refund confirmation in one chat, opened another and pressed Enter: it went to the other customer.
  it('each chat keeps its own unsent reply and note: Enter in another chat never sends what was written for the first', async () => {
    const page = await loggedIn();
    await say('web-draft-a', 'I want to talk to a person');
    await say('web-draft-b', 'I want to talk to a person');
    const a = await handoffOf('web-draft-a');
    const b = await handoffOf('web-draft-b');
    const openRow = async (id: string) => {
      await page.locator(`#row-${id}`).click();
      await page.locator('#detail-title', { hasText: id }).waitFor();
    };
    for (const id of [a, b]) {
      await openRow(id);
      await acceptOpen(page);
    }
    await page.click('[data-tab="mine"]');
    await openRow(a);
    await page.fill('#reply', 'Your refund for order 10435 was approved.');
    await page.fill('#note', 'Refund approved');
    await openRow(b);
    expect([await page.inputValue('#reply'), await page.inputValue('#note')]).toEqual(['', '']);
    await page.press('#reply', 'Enter');
    await openRow(a);
    expect([await page.inputValue('#reply'), await page.inputValue('#note')]).toEqual(['Your refund for order 10435 was approved.', 'Refund approved']);
    await page.press('#reply', 'Enter');
    await connector.waitFor((r) => r.conversationId === 'web-draft-a' && /refund for order 10435/.test(r.activity.text ?? ''));
    expect(connector.texts('web-draft-b').filter((t) => /refund/i.test(t))).toEqual([]);
    await resolveAndClose(page);
    await resolveAll();
  });

  it('the same words said twice are two lines; a line is shown once whether the transcript has logged it yet or not', async () => {
    const page = await loggedIn();
    await say('web-twice', 'I want to talk to a person');
    const id = await handoffOf('web-twice');
    await say('web-twice', 'hello?');
    const hellos = page.locator('#chat li.customer', { hasText: /^customer · \d{2}:\d{2}hello\?$/ });
    // The queue message in full after the first "hello?", in short after later ones.
    const queued = page.locator('#chat li.bot', { hasText: /I've passed that on|Passed on\. You're number/ });

    // The transcript is read before the second "hello?", and reaches the page after that message's live line.
    const { read, release } = await holdAnswers(page, '**/api/handoffs/*/transcript');
    await page.locator(`#row-${id}`).click();
    await read;
    await say('web-twice', 'hello?');
    await hellos.first().waitFor(); // the live line, shown while the transcript loads
    release();
    await page.locator('#chat li.customer', { hasText: 'I want to talk to a person' }).waitFor();
    await expect.poll(() => hellos.count()).toBe(2);
    expect(await queued.count()).toBe(2);
    await page.unroute('**/api/handoffs/*/transcript');

    // Opened again, with a third "hello?" said while the transcript is on its way and read after it: shown once.
    let again!: () => void;
    const gate2 = new Promise<void>((resolve) => (again = resolve));
    await page.route('**/api/handoffs/*/transcript', async (route) => {
      await gate2;
      await route.continue();
    });
    await page.locator(`#row-${id}`).click();
    await say('web-twice', 'hello?');
    await hellos.first().waitFor();
    again();
    await page.locator('#chat li.customer', { hasText: 'I want to talk to a person' }).waitFor();
    await expect.poll(() => hellos.count()).toBe(3);
    expect(await queued.count()).toBe(3);
    await page.unroute('**/api/handoffs/*/transcript');

    // Live after loading: the same reply twice is two lines.
    await acceptOpen(page);
    for (let i = 0; i < 2; i++) {
      await page.fill('#reply', 'One moment please.');
      await page.press('#reply', 'Enter');
      await page.locator('#chat li.agent', { hasText: 'One moment please.' }).nth(i).waitFor();
    }
    await say('web-twice', 'hello?');
    await expect.poll(() => hellos.count()).toBe(4);
    expect(await page.locator('#chat li.agent', { hasText: 'One moment please.' }).count()).toBe(2);
    await resolveAndClose(page);
  });

  it("the reply box stops at the API's message limit and shows the count near it; a reply at the limit is sent", async () => {
    const page = await openEscalation('web-long-reply');
    await acceptOpen(page);
    expect(await page.getAttribute('#reply', 'maxlength')).toBe(String(MESSAGE_LIMIT));
    await page.focus('#reply');
    await page.keyboard.insertText('A short answer.');
    expect(await page.isVisible('#reply-count')).toBe(false);
    // A pasted 5,000 characters: the box keeps what the API takes and says so.
    await page.fill('#reply', '');
    await page.keyboard.insertText('x'.repeat(5000));
    expect((await page.inputValue('#reply')).length).toBe(MESSAGE_LIMIT);
    await page.locator('#reply-count', { hasText: '1,500 / 1,500 characters: the limit' }).waitFor();
    await page.press('#reply', 'Enter');
    const sent = await connector.waitFor((r) => r.conversationId === 'web-long-reply' && /^x+$/.test(r.activity.text ?? ''));
    expect(sent.activity.text).toHaveLength(MESSAGE_LIMIT);
    await expect.poll(() => page.locator('#reply').inputValue()).toBe('');
    expect(await page.isVisible('#reply-count')).toBe(false);
    expect(await page.textContent('#detail-error')).toBe('');
    // The resolution note has the API's fixed limit too.
    expect(await page.getAttribute('#note', 'maxlength')).toBe('2000');
    await resolveAndClose(page);
  });

  it('a ticket closed shows as closed even when the list reloaded by its event comes back before the close does', async () => {
    const filed = await say('web-close-race', 'The vase from order 10231 arrived cracked and I want a refund');
    const id = /T-\d{6}/.exec(filed.body.activities.map((a: { text?: string }) => a.text ?? '').join(' '))![0];
    const page = await loggedIn();
    await page.click('[data-tab="tickets"]');
    await page.locator(`#row-${id}`).click();
    await page.locator('#chat li.customer', { hasText: 'arrived cracked' }).waitFor();
    // The close is done on the server (which tells the consoles), but its answer reaches the page only after the list
    // that the event made the page reload.
    await page.route('**/api/tickets/*/close', async (route) => {
      const listed = page.waitForResponse((r) => r.url().endsWith('/api/tickets?status=open'));
      const response = await route.fetch();
      await listed;
      await route.fulfill({ response });
    });
    await page.fill('#note', 'Refunded');
    await page.click('#resolve');
    await page.locator('#detail-status', { hasText: 'closed' }).waitFor();
    expect(await page.locator('#context dd', { hasText: 'Refunded' }).count()).toBe(1);
    expect(unexpected()).toEqual([]);
    await page.close();
  });

  it('an accept answered after the customer left shows the chat ended; Send pressed twice sends once', async () => {
    await resolveAll();
    const page = await loggedIn();
    await say('web-race', 'I want to talk to a person');
    const id = await handoffOf('web-race');
    await page.locator(`#row-${id}`).click();
    // The accept goes through; its answer reaches the page only after "back to bot" has ended the chat.
    const { read, release } = await holdAnswers(page, '**/api/handoffs/*/accept');
    await page.click('#accept');
    await read;
    await say('web-race', 'back to bot');
    await page.locator('#detail-status', { hasText: 'abandoned' }).waitFor();
    const answered = page.waitForResponse('**/api/handoffs/*/accept');
    release();
    await answered;
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
    // It showed "active" with a reply box the API refused.
    expect(await page.textContent('#detail-status')).toBe('abandoned');
    expect(await page.isDisabled('#reply')).toBe(true);
    await page.unroute('**/api/handoffs/*/accept');

    // A double-click on Send: the customer got the same line twice.
    await takeNew(page, 'web-double');
    await page.fill('#reply', 'Only once, please.');
    await page.dblclick('#send');
    await expect.poll(() => page.inputValue('#reply')).toBe('');
    await connector.waitFor((r) => r.conversationId === 'web-double' && r.activity.text === 'Only once, please.');
    await page.waitForTimeout(300);
    expect(connector.texts('web-double').filter((text) => text === 'Only once, please.')).toHaveLength(1);
    expect(unexpected()).toEqual([]);
    await page.close();
    await resolveAll();
  });

  it('after logging out, the console asks to log in again; an agent holding a chat is asked first', async () => {
    await resolveAll();
    // An agent signed in nowhere else: logging out of this console is leaving.
    const admin = (await login(server.url, ADMIN.user, ADMIN.password)).token;
    expect((await api(server.url, 'POST', '/api/users', { token: admin, body: { username: 'drew', password: AGENT.password, role: 'agent' } })).status).toBe(201);
    const page = await loggedIn('drew');
    const id = await takeNew(page, 'web-logout');
    // Logging out puts the chat back in the queue; the agent is told so, and may stay.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.click('#logout');
    expect(asked).toEqual(['You have 1 open chat. Unless you are signed in elsewhere, logging out puts it back in the queue for a colleague, and the customer is told. Log out?']);
    expect(await page.locator('#desk-view').isVisible()).toBe(true);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#logout');
    await page.locator('#login-view').waitFor();
    expect((await api(server.url, 'GET', `/api/handoffs/${id}`, { token: admin })).body).toMatchObject({ status: 'queued', agent: null });
    await page.locator('#login-view').waitFor();
    expect(await page.locator('#login-error').textContent()).toBe('');
    await page.reload();
    await page.locator('#login-view').waitFor();
    expect(unexpected()).toEqual([]);
  });

  it('an agent changes their password from the console and carries on working; logout on every device ends them all', async () => {
    await resolveAll();
    const admin = (await login(server.url, ADMIN.user, ADMIN.password)).token;
    expect((await api(server.url, 'POST', '/api/users', { token: admin, body: { username: 'emery', password: AGENT.password, role: 'agent' } })).status).toBe(201);
    const elsewhere = (await login(server.url, 'emery', AGENT.password)).token;
    const page = await loggedIn('emery');
    const change = async (current: string, next: string, again = next) => {
      await page.click('#account');
      await page.fill('#current-password', current);
      await page.fill('#new-password', next);
      await page.fill('#repeat-password', again);
      await page.click('#account-form button[type=submit]');
    };
    await change(AGENT.password, 'emerys-new-password', 'emerys-new-passw0rd');
    expect(await page.locator('#account-error').textContent()).toBe('The two new passwords differ.');
    await page.click('#account-cancel');
    await change('not-my-password', 'emerys-new-password');
    await page.locator('#account-error', { hasText: 'The current password is wrong.' }).waitFor();
    expect(await page.locator('#account-dialog').isVisible()).toBe(true);
    await page.click('#account-cancel');
    await change(AGENT.password, 'emerys-new-password');
    await page.locator('#account-dialog').waitFor({ state: 'hidden' });
    await page.locator('#announce', { hasText: 'Password changed.' }).waitFor();
    // The other session has ended; this console goes on, its stream back, and a change it makes passes the CSRF check.
    expect((await api(server.url, 'GET', '/api/auth/me', { token: elsewhere })).status).toBe(401);
    await page.waitForSelector('#live.on');
    const id = await takeNew(page, 'web-password');
    expect((await api(server.url, 'GET', `/api/handoffs/${id}`, { token: admin })).body).toMatchObject({ status: 'active', agent: 'emery' });
    const second = (await login(server.url, 'emery', 'emerys-new-password')).token;
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#account');
    await page.click('#logout-everywhere');
    await page.locator('#login-view').waitFor();
    expect(await page.locator('#login-error').textContent()).toBe('You were logged out on every device.');
    expect((await api(server.url, 'GET', '/api/auth/me', { token: second })).status).toBe(401);
    expect((await api(server.url, 'GET', `/api/handoffs/${id}`, { token: admin })).body).toMatchObject({ status: 'queued', agent: null });
    // The one refusal expected: the wrong current password.
    expect(unexpected()).toEqual(['Failed to load resource: the server responded with a status of 403 (Forbidden)']);
    pageErrors.length = 0;
    // A colleague sees it waiting again: it showed "with null".
    const colleague = await loggedIn();
    const row = colleague.locator(`#row-${id}`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/waiting \d+/);
    expect(await row.textContent()).not.toContain('null');
    await colleague.close();
    await resolveAll();
    await page.close();
  });

  // A session ended elsewhere (another tab's logout, expiry) dropped the agent to a bare login form with no reason.
  it('says why when the session ended elsewhere', async () => {
    const page = await loggedIn();
    await say('web-session-end', 'I want to talk to a person');
    const id = await handoffOf('web-session-end');
    await page.locator(`#row-${id}`).click();
    await page.context().clearCookies();
    await page.click('#accept');
    await page.locator('#login-view').waitFor();
    expect(await page.locator('#login-error').textContent()).toMatch(/^Your session ended/);
    await resolveAll();
    await page.close();
  });
});
