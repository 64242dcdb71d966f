/**
 * Reloading the web chat page, or opening it in a second tab, in the middle of a chat with a person from the team:
 * the page carries on with the same conversation (history replayed, no second greeting), so the agent's messages
 * reach the customer, the customer's reach the agent, and resolving brings the survey to the page the customer has.
 * A token whose conversation is gone starts a new conversation cleanly.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../helpers/agentClient.js';
import { hasChromium, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const GREETING = /Hi, I.m Brightcart Assistant/;

describe.skipIf(!hasChromium)('the web chat page resumes its conversation after a reload (Chromium)', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let agent: string;
  /** The conversation of the first test. */
  let first: string;
  const problems: string[] = [];
  /** Conversations the pages started (POST /v3/directline/conversations). */
  const started: string[] = [];
  /** The page's token answers, newest last. */
  const tokens: Array<{ conversationId: string; resumed: boolean }> = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ ADMIN_USER: 'sam', ADMIN_PASSWORD: 'admin-password-1' }), launchChromium()]);
    agent = (await login(server.url, 'sam', 'admin-password-1')).token;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(): Promise<Page> {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/v3/directline/conversations')) started.push(r.url());
    });
    page.on('response', async (r) => {
      if (r.url().endsWith('/api/webchat/token') && r.ok()) tokens.push(await r.json());
    });
    await page.goto(`${server.url}/`);
    return page;
  }

  const botSays = (page: Page, text: string | RegExp) => page.locator('.webchat__bubble:not(.webchat__bubble--from-user)').filter({ hasText: text });
  const userSays = (page: Page, text: string) => page.locator('.webchat__bubble--from-user').filter({ hasText: text });

  async function type(page: Page, text: string): Promise<void> {
    const box = page.locator('[data-id="webchat-sendbox-input"]');
    await box.fill(text);
    await box.press('Enter');
    await userSays(page, text).last().waitFor();
  }

  it('keeps the conversation, the handoff and the survey across a reload and in a second tab', async () => {
    const page = await open();
    await botSays(page, GREETING).first().waitFor();
    await page.locator('#talk-to-person').click();
    await botSays(page, /number 1 in the queue/).first().waitFor();
    const handoff = ((await api(server.url, 'GET', '/api/handoffs?status=queued', { token: agent })).body.items as Array<{ id: string; conversationId: string }>)[0]!;
    first = handoff.conversationId;
    expect((await api(server.url, 'POST', `/api/handoffs/${handoff.id}/accept`, { token: agent })).status).toBe(200);
    await botSays(page, /sam from our team has joined/).first().waitFor();
    expect(started).toHaveLength(1);

    // The customer reloads: the history comes back, with the one greeting it had.
    await page.reload();
    await botSays(page, /sam from our team has joined/).first().waitFor();
    await userSays(page, 'Talk to a person').first().waitFor();
    expect(await botSays(page, GREETING).count()).toBe(1);
    expect(started).toHaveLength(1);

    // The agent's next message reaches the reloaded page; the customer's answer reaches the agent.
    const message = (text: string) => api(server.url, 'POST', `/api/handoffs/${handoff.id}/messages`, { token: agent, body: { text } });
    expect((await message('Still there? I have your order open.')).status).toBe(201);
    await botSays(page, 'Still there? I have your order open.').first().waitFor();
    await type(page, 'Yes, sorry, my browser reloaded');
    await expect
      .poll(async () => ((await api(server.url, 'GET', `/api/handoffs/${handoff.id}/transcript`, { token: agent })).body.turns as Array<{ text: string }>).map((x) => x.text), { timeout: 15_000 })
      .toContain('Yes, sorry, my browser reloaded');

    // A second tab shows the same conversation and gets the agent's messages too; the first tab keeps working.
    const second = await open();
    await botSays(second, 'Still there? I have your order open.').first().waitFor();
    await userSays(second, 'Yes, sorry, my browser reloaded').first().waitFor();
    expect(await botSays(second, GREETING).count()).toBe(1);
    expect((await message('Found it: it ships today.')).status).toBe(201);
    await botSays(page, 'Found it: it ships today.').first().waitFor();
    await botSays(second, 'Found it: it ships today.').first().waitFor();
    expect(started).toHaveLength(1);

    // One handoff, still active; resolving it brings the survey to the customer's page.
    const all = (await api(server.url, 'GET', '/api/handoffs', { token: agent })).body.items as Array<{ id: string; status: string }>;
    expect(all.map((h) => [h.id, h.status])).toEqual([[handoff.id, 'active']]);
    expect((await api(server.url, 'POST', `/api/handoffs/${handoff.id}/resolve`, { token: agent, body: {} })).status).toBe(200);
    await botSays(page, /rate this chat/).first().waitFor();
    await Promise.all([page.close(), second.close()]);
    expect(problems).toEqual([]);
  });

  it('starts a new conversation, greeting once, when the remembered one has ended', async () => {
    // The browser still holds the first conversation's token, but the conversation expired meanwhile.
    server.app.directLine.service.store.end(first, 'conversation expired');
    const before = started.length;
    const page = await open();
    await botSays(page, GREETING).first().waitFor();
    expect(await botSays(page, GREETING).count()).toBe(1);
    expect(started.length).toBe(before + 1);
    expect(await userSays(page, 'Talk to a person').count()).toBe(0);
    await type(page, 'how do I return an item?');
    await botSays(page, /return most items within 30 days/).first().waitFor();
    expect(problems).toEqual([]);
  });

  // A restart or the conversation's expiry ended it under an open page: every message got "Not sent. Try again.", and
  // a customer waiting in the queue waited for nobody, with nothing on the screen to say so.
  it('says when its conversation is gone, by the stream or by a refused message, and starts a new one when asked', async () => {
    const page = await open();
    await botSays(page, GREETING).first().waitFor();
    await type(page, 'how do I return an item?');
    await botSays(page, /return most items within 30 days/).first().waitFor();
    const lost = page.locator('.chat__lost[role="alert"]');
    expect(await lost.count()).toBe(0);
    server.app.directLine.service.store.end(tokens.at(-1)!.conversationId, 'conversation expired');
    await lost.waitFor();
    expect(await lost.textContent()).toMatch(/disconnected/);
    const before = started.length;
    await lost.locator('button', { hasText: 'Start a new chat' }).click();
    await botSays(page, GREETING).first().waitFor();
    expect(started.length).toBe(before + 1);
    expect(await lost.count()).toBe(0);

    // Where the stream says nothing (its reconnect hangs here), a refused message shows it.
    await page.route('**/v3/directline/conversations/*?watermark=*', () => undefined);
    server.app.directLine.service.store.end(tokens.at(-1)!.conversationId, 'conversation expired');
    await page.locator('[data-id="webchat-sendbox-input"]').fill('hello?');
    await page.locator('[data-id="webchat-sendbox-input"]').press('Enter');
    await lost.waitFor();
    await page.close();
    // The refused requests and the ended stream are the browser's console errors here, as they should be.
    problems.length = 0;
  });
});
