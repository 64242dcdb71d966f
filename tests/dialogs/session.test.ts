/** A conversation ends after SESSION_IDLE_MINUTES without a customer message: its flows end with it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import { Conversation, createTestCore, type TestCore } from '../helpers/harness.js';

let env: TestCore;
beforeAll(async () => {
  env = await createTestCore({ BUSINESS_HOURS: 'always' });
});
afterAll(async () => env.cleanup());

const MINUTE = 60_000;

describe('after the idle gap', () => {
  it('a detail answers no question left waiting in the ended conversation', async () => {
    // On SMS the conversation never closes: a postcode sent two hours later answered the verification still waiting.
    const c = new Conversation(env.core, { conversationId: 'session-verify' });
    await c.say('where is my order');
    expect((await c.say('10231')).join(' ')).toMatch(/email|postcode/i);
    env.clock.advance(31 * MINUTE);
    expect((await c.say('10001')).join(' ')).not.toMatch(/Linen duvet cover|being prepared/);
  });

  it('within the gap, the flow carries on', async () => {
    const c = new Conversation(env.core, { conversationId: 'session-within' });
    await c.say('where is my order');
    await c.say('10231');
    env.clock.advance(29 * MINUTE);
    expect((await c.say('10001')).join(' ')).toMatch(/10231/);
  });

  it('a rating prompt left open takes no number from a later conversation, and the new one may be surveyed', async () => {
    const c = new Conversation(env.core, { conversationId: 'session-survey' });
    await c.say('how long does delivery take');
    await c.say('yes');
    const bye = await c.say('no thanks, bye');
    expect(bye).toContain(t('en', 'survey.csat'));
    env.clock.advance(3 * 24 * 60 * MINUTE);
    const later = await c.say('5 items are missing from order 10435');
    expect(later.join(' ')).not.toMatch(/recommend/);
    expect(later.join(' ')).not.toMatch(/thanks for (the|your) rating/i);
  });
});
