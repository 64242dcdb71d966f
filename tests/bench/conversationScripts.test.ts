/**
 * The benchmark claims realistic mixed conversations: every phrasing of every simulated conversation must take the
 * path it is meant to through the real bot, or the figures measure something else (a misunderstood FAQ is a
 * fallback, a wrong postcode never reaches the order's status).
 */
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATION_KINDS, conversationScript, type DemoOrder, loadDemoOrders } from '../../bench/load.js';
import { Conversation, createTestCore, type TestCore } from '../helpers/harness.js';

const orders: DemoOrder[] = await loadDemoOrders();
let t: TestCore;
beforeAll(async () => {
  t = await createTestCore();
});
afterAll(async () => t.cleanup());

const texts = (turn: Partial<Activity>[]) => turn.filter((a) => a.type === 'message').map((a) => a.text ?? '');
const escalated = (turn: Partial<Activity>[]) => turn.some((a) => a.type === 'event' && a.name === 'handoff.initiate');

/** Every phrasing variant of every kind (three rounds of the rotation), then the order-status path for every order. */
const CASES = Array.from({ length: CONVERSATION_KINDS.length * 3 }, (_, k) => k).concat(
  Array.from({ length: orders.length }, (_, round) => (round + 3) * CONVERSATION_KINDS.length + CONVERSATION_KINDS.indexOf('orderStatus')),
);

describe('benchmark conversations', () => {
  it('vary their text, and ask about every demo order with its own postcode', () => {
    const scripts = Array.from({ length: 1000 }, (_, k) => conversationScript(k, orders));
    // Distinct texts, so the NLU's caches meet new text as they would with real customers.
    expect(new Set(scripts.map((s) => s.texts.join(' '))).size).toBeGreaterThan(100);
    const asked = new Set<string>();
    for (const s of scripts.filter((x) => x.kind === 'orderStatus')) {
      const number = /\d{5}/.exec(s.texts[0] as string)?.[0];
      expect(s.texts[1]).toBe(orders.find((o) => o.number === number)?.postcode);
      asked.add(number as string);
    }
    expect(asked.size).toBe(orders.length);
  });

  it.each(CASES)('conversation %i takes the path its kind promises', async (k) => {
    const { kind, texts: say } = conversationScript(k, orders);
    const c = new Conversation(t.core, { conversationId: `bench-${k}` });
    const turns: Partial<Activity>[][] = [];
    for (const text of say) turns.push(await c.send(text));
    const reply = (i: number) => texts(turns[i] as Partial<Activity>[]).join('\n');
    switch (kind) {
      case 'faq':
        expect(reply(0)).toMatch(/shipping takes 3–5 business days[\s\S]*Did that answer your question\?/);
        expect(reply(3)).toMatch(/recommend/); // the CSAT score was taken and the NPS question follows
        expect(reply(5)).toMatch(/Thank you for your feedback/);
        break;
      case 'orderStatus': {
        const order = /\d{5}/.exec(say[0] as string)?.[0] as string;
        expect(reply(0)).toMatch(new RegExp(`I found order ${order}`));
        // A delivered order's status first asks whether to report it missing; the script declines.
        const delivered = orders.find((o) => o.number === order)?.status === 'delivered';
        expect(reply(1)).toMatch(new RegExp(`order ${order}[\\s\\S]*${delivered ? 'report it missing' : 'anything else'}`, 'i'));
        if (delivered) expect(reply(2)).toMatch(/anything else/i);
        expect(reply(say.length - 2)).toMatch(/how would you rate this chat/); // the survey, which "skip" then leaves
        break;
      }
      case 'complaint':
        expect(reply(1)).toMatch(/ticket/);
        expect(escalated(turns[1] as Partial<Activity>[])).toBe(true);
        for (const i of [2, 3, 4]) expect(reply(i)).toMatch(/in the queue/);
        break;
      case 'fallback':
        expect(reply(0)).toMatch(/didn't quite get that/);
        expect(reply(1)).toMatch(/still not understanding/);
        expect(reply(3)).toMatch(/invoice[\s\S]*Did that answer your question\?/i);
        break;
      case 'person':
        expect(reply(0)).toMatch(/Visa, Mastercard/);
        expect(escalated(turns[2] as Partial<Activity>[])).toBe(true);
        expect(reply(3)).toMatch(/You're back with me/);
        break;
    }
  });
});
