/**
 * The web chat page in a real browser: Debian's Chromium runs the official Web Chat against the built-in Direct
 * Line. Greeting, an FAQ answer, the order-status flow started with a button, and the "talk to a person" button.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../helpers/agentClient.js';
import { hasChromium, launchChromium } from '../helpers/browser.js';
import { ARTIFACTS, ROOT } from '../helpers/paths.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { t } from '../../i18n/index.js';

if (!hasChromium) {
  console.warn('Skipping the browser tests: /usr/bin/chromium is not installed (apt-get install -y chromium; .ci/run does it).');
}

/** Watches the page for what must never happen: script errors and Content Security Policy violations. */
const WATCH_PROBLEMS = `
  window.__problems = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__problems.push('CSP ' + e.violatedDirective + ' ' + e.blockedURI));
  window.addEventListener('error', (e) => window.__problems.push('error ' + e.message));
`;

describe.skipIf(!hasChromium)('the web chat page in Chromium', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const pageErrors: string[] = [];
  const sockets: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ BRAND_COLOR: '#8a1c7c', ADMIN_USER: 'sam', ADMIN_PASSWORD: 'admin-password-1' }), launchChromium()]);
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.addInitScript({ content: WATCH_PROBLEMS });
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const botSays = (text: string | RegExp) => page.locator('.webchat__bubble:not(.webchat__bubble--from-user)').filter({ hasText: text }).last();
  const userSays = (text: string) => page.locator('.webchat__bubble--from-user').filter({ hasText: text }).last();

  async function type(text: string): Promise<void> {
    const box = page.locator('[data-id="webchat-sendbox-input"]');
    await box.fill(text);
    await box.press('Enter');
    await userSays(text).waitFor();
  }

  it('greets first, in the branded page with a "talk to a person" button', async () => {
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await botSays(/Hi, I.m Brightcart Assistant/).waitFor();
    await expect(page.title()).resolves.toBe('Brightcart support');
    expect(await page.evaluate("getComputedStyle(document.querySelector('.chat__header')).backgroundColor")).toBe('rgb(138, 28, 124)');
    expect(await page.locator('.chat__avatar').textContent()).toBe('BA');
    await expect(page.locator('#talk-to-person').isEnabled()).resolves.toBe(true);
    // Web Chat's default transport: the Direct Line WebSocket stream.
    expect(sockets).toEqual([expect.stringMatching(/\/v3\/directline\/conversations\/[\w-]+\/stream\?t=/)]);
    // The message box shows where typing goes, in the brand's colour (Web Chat draws no focus mark of its own).
    await page.focus('[data-id="webchat-sendbox-input"]');
    expect(await page.evaluate("(({ outlineStyle, outlineColor }) => `${outlineStyle} ${outlineColor}`)(getComputedStyle(document.querySelector('.webchat__send-box-text-box')))")).toBe('solid rgb(138, 28, 124)');
  });

  it('answers an FAQ question typed in the send box, with Yes/No buttons after it', async () => {
    await type('how do I return an item?');
    await botSays(/return most items within 30 days/).waitFor();
    await botSays('Did that answer your question?').waitFor();
    await page.getByRole('button', { name: 'Yes', exact: true }).last().click();
    await botSays('glad that helped').waitFor();
  });

  it('runs the order-status flow started by clicking a suggested action', async () => {
    await type('hello');
    // After the welcome the bot does not introduce itself a second time.
    await botSays(t('en', 'greeting.again')).waitFor();
    expect(await botSays(/I'm Brightcart Assistant\. What can I help/).count()).toBe(0);
    // A double click sent it twice, and the second was refused as an order number. One is sent.
    await page.getByRole('button', { name: 'Track an order' }).last().dblclick();
    // Web Chat renders Markdown with typographic quotes: "What’s".
    await botSays(/What.s your order number\?/).waitFor();
    await page.waitForTimeout(500);
    expect(await page.locator('.webchat__bubble--from-user').filter({ hasText: 'Track an order' }).count()).toBe(1);
    expect(await botSays(/look like an order number/).count()).toBe(0);
    await type('10435');
    await botSays('I found order 10435').waitFor();
    await type('02139');
    await botSays(/order 10435 is on its way with UPS/).waitFor();
  });

  it('hands over to a person from the header button, and shows everything without errors', async () => {
    await page.locator('#talk-to-person').click();
    await userSays('Talk to a person').waitFor();
    await botSays(/get a person from our team/).waitFor();
    await botSays(/number 1 in the queue/).waitFor();

    // A person takes the chat. Their messages come through the bot's account; the line under them names the person.
    const { token } = await login(server.url, 'sam', 'admin-password-1');
    const id = ((await api(server.url, 'GET', '/api/handoffs?status=queued', { token })).body.items as Array<{ id: string }>)[0]!.id;
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/accept`, { token })).status).toBe(200);
    await botSays(/sam from our team has joined/).waitFor();
    for (const text of ['Hello, I can see your order here.', 'It left our warehouse this morning.']) {
      expect((await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token, body: { text } })).status).toBe(201);
      await botSays(text).waitFor();
    }
    const writer = page.locator('.webchat__activity-status__originator');
    await writer.first().waitFor();
    expect(await writer.allTextContents()).toEqual(['sam, from our team']);
    // It sits under the person's messages, not under the bot's "has joined" before them.
    const group = page.locator('.webchat__stacked-layout', { hasText: 'It left our warehouse' }).last();
    expect(await group.locator('.webchat__activity-status__originator').textContent()).toBe('sam, from our team');
    // A screen reader hears who wrote it: the live region announced "The assistant … said:" and the text alone.
    await page.locator('.webchat__live-region-activity', { hasText: 'sam, from our team: It left our warehouse this morning.' }).waitFor({ state: 'attached' });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat.png'), fullPage: true });
    // Angle brackets are words too: "reply with <your postcode>" reached the customer as "reply with", and a pasted tag
    // as an empty bubble (Web Chat's markdown took them for HTML and dropped them).
    for (const text of ['Please reply with <your postcode> from the <Account> page.', '<script>alert(1)</script> is what the page showed']) {
      expect((await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token, body: { text } })).status).toBe(201);
      await botSays(text).waitFor();
    }
    // Markdown still is: emphasis shows as such.
    expect((await api(server.url, 'POST', `/api/handoffs/${id}/messages`, { token, body: { text: 'It is **on its way** <today>' } })).status).toBe(201);
    await botSays('It is on its way <today>').locator('strong', { hasText: 'on its way' }).waitFor();
    expect(await page.evaluate('window.__problems')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('speaks Persian right to left, and the language menu switches the same conversation to English', async () => {
    const fa = await browser.context.newPage();
    fa.setDefaultTimeout(20_000);
    await fa.addInitScript({ content: WATCH_PROBLEMS });
    // A new visitor: this browser's token would resume the English conversation of the tests above.
    await fa.addInitScript({ content: "localStorage.removeItem('cxbot.webchat.token')" });
    await fa.goto(`${server.url}/?locale=fa-IR`);
    const bot = (text: string | RegExp) => fa.locator('.webchat__bubble:not(.webchat__bubble--from-user)').filter({ hasText: text }).last();
    await bot(t('fa', 'welcome', { bot: server.app.core.config.BOT_NAME }).slice(0, 12)).waitFor();
    expect(await fa.getAttribute('html', 'dir')).toBe('rtl');
    expect(await fa.locator('#talk-to-person').textContent()).toBe(t('fa', 'intent.agent.handoff'));
    // Web Chat itself is laid out right to left (its root carries dir="rtl").
    expect(await fa.locator('#webchat [dir="rtl"]').count()).toBeGreaterThan(0);
    // Its own words are Persian too (it ships none): the timestamp under a new message and the send box.
    await fa.getByText(t('fa', 'webchat.justNow')).first().waitFor();
    expect(await fa.getByText('Just now').count()).toBe(0);
    expect(await fa.getAttribute('#webchat input[type="text"], #webchat textarea', 'placeholder')).toBe(t('fa', 'webchat.placeholder'));
    // The keyboard help (Tab into the transcript) was in English, its close button on top of the right-aligned heading.
    await fa.locator('#webchat .webchat__keyboard-help__close-button').focus();
    const helpTitle = fa.locator('h2.webchat__keyboard-help__header');
    await helpTitle.waitFor();
    expect(await helpTitle.textContent()).toBe(t('fa', 'webchat.kbTitle'));
    const closeBox = (await fa.locator('.webchat__keyboard-help__close-button-border').boundingBox())!;
    const titleBox = (await helpTitle.boundingBox())!;
    expect(closeBox.x + closeBox.width).toBeLessThan(titleBox.x + titleBox.width / 2);
    await fa.keyboard.press('Escape');
    await mkdir(ARTIFACTS, { recursive: true });
    await fa.screenshot({ path: path.join(ARTIFACTS, 'webchat-persian.png'), fullPage: true });

    await fa.selectOption('#language', 'en');
    // (Web Chat renders apostrophes typographically, so match a phrase without one.)
    await bot(/continue in English/).waitFor();
    expect(await fa.getAttribute('html', 'dir')).toBe('ltr');
    expect(fa.url()).toMatch(/locale=en/);
    // Without a reload, Web Chat follows too: its send box speaks English and it is laid out left to right.
    await fa.locator(`#webchat [placeholder="${t('en', 'webchat.placeholder')}"]`).waitFor();
    expect(await fa.locator('#webchat [dir="rtl"]').count()).toBe(0);
    // And so does the header.
    const { BOT_NAME, BRAND_NAME } = server.app.core.config;
    expect(await fa.textContent('.chat__title')).toBe(t('en', 'webchat.title', { brand: BRAND_NAME }));
    expect(await fa.textContent('.chat__subtitle')).toBe(t('en', 'webchat.subtitle', { bot: BOT_NAME }));
    expect(await fa.title()).toBe(t('en', 'webchat.title', { brand: BRAND_NAME }));
    expect(await fa.evaluate('window.__problems')).toEqual([]);
    await fa.close();
  });

  it('takes a language from the keyboard once chosen, not at every arrow key', async () => {
    // Arrowing down the closed menu sent "Español", "中文" and "فارسی", each answered, and left the page in Persian.
    const kb = await browser.context.newPage();
    kb.setDefaultTimeout(20_000);
    await kb.addInitScript({ content: "localStorage.removeItem('cxbot.webchat.token')" });
    await kb.goto(`${server.url}/?locale=en`);
    await kb.locator('.webchat__bubble').first().waitFor();
    await kb.locator('#language:not([disabled])').focus();
    await kb.keyboard.press('ArrowDown');
    await kb.keyboard.press('ArrowDown');
    const sent = kb.locator('.webchat__bubble--from-user');
    // Nothing is sent while the customer moves through the menu (a message would show within this wait).
    await kb.waitForTimeout(800);
    expect(await sent.count()).toBe(0);
    expect(await kb.getAttribute('html', 'lang')).toBe('en');
    const chosen = await kb.inputValue('#language');
    expect(chosen).not.toBe('en');
    await kb.keyboard.press('Enter');
    await sent.first().waitFor();
    expect(await sent.count()).toBe(1);
    expect(await kb.getAttribute('html', 'lang')).toBe(chosen);
    await kb.close();
  });

  it('follows the language the customer asks for or writes in, and gives each message its own direction', async () => {
    const fresh = async (query: string) => {
      const p = await browser.context.newPage();
      p.setDefaultTimeout(20_000);
      await p.addInitScript({ content: WATCH_PROBLEMS });
      await p.addInitScript({ content: "localStorage.removeItem('cxbot.webchat.token')" });
      await p.goto(`${server.url}/${query}`);
      return p;
    };
    const sendIn = async (p: Page, text: string) => {
      const box = p.locator('[data-id="webchat-sendbox-input"]');
      await box.fill(text);
      await box.press('Enter');
    };
    const { BRAND_NAME } = server.app.core.config;

    // Asked for by typing on a Persian page: the bot spoke English under a Persian, right-to-left page.
    const fa = await fresh('?locale=fa-IR');
    await fa.locator(`#webchat [placeholder="${t('fa', 'webchat.placeholder')}"]`).waitFor();
    // A screen reader hears Persian too: "Message input box" before.
    expect(await fa.locator(`#webchat [aria-label="${t('fa', 'webchat.inputLabel')}"]`).count()).toBeGreaterThan(0);
    // And the connection's state: "Connectivity Status: وصل است" before.
    const connected = t('fa', 'webchat.connectivity').replace('$1', t('fa', 'webchat.connected'));
    // A function, not a string: the page's CSP forbids eval.
    await fa.waitForFunction((text) => (globalThis as unknown as { document: { body: { textContent: string } } }).document.body.textContent.includes(text), connected);
    expect(await fa.evaluate("document.body.textContent.includes('Connectivity Status')")).toBe(false);
    await sendIn(fa, 'can we continue in English please');
    await fa.locator('.webchat__bubble:not(.webchat__bubble--from-user)').filter({ hasText: /continue in English/ }).last().waitFor();
    await fa.locator('html[dir="ltr"]').waitFor({ state: 'attached' });
    expect(await fa.title()).toBe(t('en', 'webchat.title', { brand: BRAND_NAME }));
    expect(await fa.inputValue('#language')).toBe('en');
    expect(fa.url()).toMatch(/locale=en/);
    await fa.locator(`#webchat [placeholder="${t('en', 'webchat.placeholder')}"]`).waitFor();
    // Each message is laid out by its own script, whatever the page's direction.
    // The bot's bubbles too: they are markdown paragraphs ("?Sure, I'll continue in English" on the Persian page).
    expect(await fa.evaluate("getComputedStyle(document.querySelector('#webchat .webchat__text-content')).unicodeBidi")).toBe('plaintext');
    const botParagraphs = (await fa.evaluate(
      "[...document.querySelectorAll('#webchat .webchat__bubble:not(.webchat__bubble--from-user) p')].map((p) => getComputedStyle(p).unicodeBidi)",
    )) as string[];
    expect(botParagraphs.length).toBeGreaterThan(0);
    expect(new Set(botParagraphs)).toEqual(new Set(['plaintext']));
    expect(await fa.evaluate('window.__problems')).toEqual([]);
    await fa.close();

    // Detected from what the customer wrote, on an English page.
    const en = await fresh('?locale=en-US');
    await en.locator(`#webchat [placeholder="${t('en', 'webchat.placeholder')}"]`).waitFor();
    await sendIn(en, '我的订单10435到哪了');
    await en.locator('html[lang="zh"]').waitFor({ state: 'attached' });
    expect(await en.title()).toBe(t('zh', 'webchat.title', { brand: BRAND_NAME }));
    await en.locator(`#webchat [placeholder="${t('zh', 'webchat.placeholder')}"]`).waitFor();
    expect(await en.evaluate('window.__problems')).toEqual([]);
    await en.close();
  });

  it('fits its header on a phone (390 × 844): title and subtitle one line each, nothing wider than the screen', async () => {
    const phone = await browser.context.newPage();
    phone.setDefaultTimeout(20_000);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${server.url}/?locale=en`);
    await phone.locator('#talk-to-person:enabled').waitFor();
    await mkdir(ARTIFACTS, { recursive: true });
    await phone.screenshot({ path: path.join(ARTIFACTS, 'webchat-phone.png') });
    // Lines of text an element shows: the distinct tops of its text's line boxes (0 when it is not shown).
    const lines = (selector: string) =>
      phone.evaluate(`(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('${selector}')); return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; })()`);
    expect(await lines('.chat__title')).toBe(1);
    expect(await lines('.chat__subtitle')).toBeLessThanOrEqual(1);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // Every control in the header is on screen.
    for (const control of ['#language', '#talk-to-person']) {
      const box = (await phone.locator(control).boundingBox())!;
      expect(box.x, control).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, control).toBeLessThanOrEqual(390);
    }
    await phone.close();
  });

  it('works embedded on another site with the documented snippet (cross-origin Direct Line)', async () => {
    // The customer's site: another origin serving docs/examples/embed-snippet.html pointed at this bot.
    const snippet = (await readFile(path.join(ROOT, 'docs', 'examples', 'embed-snippet.html'), 'utf8')).replaceAll('https://bot.example.com', server.url);
    const site = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html><head><title>Shop</title></head><body><h1>Our shop</h1>${snippet}</body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const shop = await browser.context.newPage();
      const failures: string[] = [];
      shop.on('pageerror', (e) => failures.push(e.message));
      shop.on('requestfailed', (r) => failures.push(`${r.url()} ${r.failure()?.errorText}`));
      shop.on('console', (m) => { if (m.type() === 'error') failures.push(m.text()); });
      shop.setDefaultTimeout(20_000);
      await shop.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
      const bot = (text: string | RegExp) => shop.locator('.webchat__bubble:not(.webchat__bubble--from-user)').filter({ hasText: text }).last();
      await bot(/Hi, I.m Brightcart Assistant/).waitFor().catch((e: Error) => { throw new Error(`${e.message}\n${failures.join('\n')}`); });
      const box = shop.locator('[data-id="webchat-sendbox-input"]');
      await box.fill('what are your opening hours?');
      await box.press('Enter');
      await bot('Did that answer your question?').waitFor();
      await shop.screenshot({ path: path.join(ARTIFACTS, 'webchat-embedded.png') });
      expect(failures).toEqual([]);
      await shop.close();
    } finally {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
  });
});
