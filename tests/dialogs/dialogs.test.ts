import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttons, Conversation, createTestCore, type TestCore } from '../helpers/harness.js';
import { CASES, type Expect } from './cases.js';

let env: TestCore;
beforeAll(async () => {
  env = await createTestCore();
});
afterAll(async () => env.cleanup());

function check(replies: Awaited<ReturnType<Conversation['send']>>, expected: Expect, label: string): void {
  const messages = replies.filter((a) => a.type === 'message');
  const texts = messages.map((a) => a.text ?? '');
  for (const pattern of expected.says ?? []) {
    expect(texts.some((t) => (typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t))), `${label}: expected a reply matching ${pattern}, got ${JSON.stringify(texts)}`).toBe(true);
  }
  for (const pattern of expected.never ?? []) {
    expect(texts.some((t) => (typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t))), `${label}: no reply may match ${pattern}, got ${JSON.stringify(texts)}`).toBe(false);
  }
  if (expected.buttons) expect(buttons(messages.at(-1)), `${label}: buttons`).toEqual(expected.buttons);
  if (expected.replies !== undefined) expect(messages.length, `${label}: number of replies`).toBe(expected.replies);
}

describe('dialog cases', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const conversation = new Conversation(env.core, { channelId: c.channelId ?? 'directline' });
      for (const [i, step] of c.steps.entries()) {
        const replies = await conversation.send(step.user);
        check(replies, step.expect, `step ${i + 1} (${typeof step.user === 'string' ? JSON.stringify(step.user.slice(0, 40)) : step.user.type})`);
      }
    });
  }
});

describe('order verification', () => {
  it('keeps the order number in conversation state between turns, never the email or postcode it checks', async () => {
    const conversation = new Conversation(env.core, { conversationId: 'order-state' });
    expect((await conversation.say('where is my order 10231?')).join(' ')).toMatch(/I found order 10231/);
    const stored = JSON.stringify(await env.core.storage.read(['directline/conversations/order-state/']));
    expect(stored).toContain('"number":"10231"');
    expect(stored).not.toMatch(/maya\.patel@example\.com|10001|Maya/i);
    expect((await conversation.say('10001')).join(' ')).toMatch(/Order 10231 is being prepared/);
  });
});

describe('complaint tickets', () => {
  it('go without a description when the customer skips that question, not with the word "skip"', async () => {
    const c = new Conversation(env.core, { conversationId: 'complaint-skip-story' });
    await c.say('I want to make a complaint');
    await c.say('Late delivery');
    await c.say('skip');
    const [filed] = await c.say('skip');
    const id = /T-\d{6}/.exec(filed ?? '')?.[0];
    const ticket = (await env.core.services.tickets.list()).find((tk) => tk.id === id);
    expect(ticket).toMatchObject({ category: 'late', description: '', conversationId: 'complaint-skip-story' });
  });

  it('read "I still haven\'t received it" as a late delivery instead of asking for the category again', async () => {
    const c = new Conversation(env.core, { conversationId: 'complaint-not-received' });
    await c.say('I want to make a complaint');
    expect((await c.say("I still haven't received it")).join(' ')).not.toMatch(/choose one of the options/);
    const [filed] = await c.say('skip');
    const id = /T-\d{6}/.exec(filed ?? '')?.[0];
    const ticket = (await env.core.services.tickets.list()).find((tk) => tk.id === id);
    expect(ticket).toMatchObject({ category: 'late', conversationId: 'complaint-not-received' });
  });
});
