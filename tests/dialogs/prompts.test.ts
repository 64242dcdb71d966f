/**
 * Survey scales and yes/no questions read a button's text and bare numbers directly, and everything else through
 * botbuilder's recognizers: both paths must record the same answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as translate } from '../../i18n/index.js';
import { Conversation, createTestCore, type TestCore } from '../helpers/harness.js';

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore();
});
afterAll(async () => t.cleanup());

/** Ends a chat so the survey starts, answers CSAT and NPS, and returns the scores the turn log recorded. */
async function survey(csat: string, nps: string, locale = 'en-US'): Promise<{ csat?: unknown; nps?: unknown }> {
  const id = `prompts-${Math.random().toString(36).slice(2)}`;
  const c = new Conversation(t.core, { conversationId: id, locale });
  await c.say(locale.startsWith('fa') ? 'خداحافظ' : 'bye');
  await c.say(csat);
  await c.say(nps);
  const records = await t.core.turnLog.conversation(id);
  const data = records.filter((r) => r.direction === 'in').map((r) => (r as { data?: Record<string, unknown> }).data ?? {});
  return { csat: data.find((d) => 'csat' in d)?.csat, nps: data.find((d) => 'nps' in d)?.nps };
}

describe('survey scales', () => {
  it('take bare numbers in the forms customers type them', async () => {
    expect(await survey('4', '9')).toEqual({ csat: 4, nps: 9 });
    expect(await survey('(5)', '0')).toEqual({ csat: 5, nps: 0 });
    expect(await survey('٤', '１０')).toEqual({ csat: 4, nps: 10 });
  });

  it('still understand numbers written as words', async () => {
    expect(await survey('four', 'nine')).toEqual({ csat: 4, nps: 9 });
  });

  it('take Persian digits in a Persian conversation', async () => {
    expect(await survey('۳', '۷', 'fa-IR')).toEqual({ csat: 3, nps: 7 });
  });
});

describe('yes/no questions', () => {
  it('take the button text, with or without capitals and a full stop, and other ways of saying it', async () => {
    for (const [answer, reply] of [
      ['Yes', /glad that helped/],
      ['yes.', /glad that helped/],
      ['No', /didn't answer it/],
      ['yeah', /glad that helped/],
      ['nope', /didn't answer it/],
    ] as const) {
      const c = new Conversation(t.core);
      expect((await c.say('can I pay with paypal?')).join('\n')).toMatch(/Did that answer your question\?/);
      expect((await c.say(answer)).join('\n')).toMatch(reply);
    }
  });

  it("take the yes and no words of the conversation's language", async () => {
    for (const [locale, question, answer, key] of [
      ['es-ES', '¿puedo pagar con paypal?', 'claro', 'faq.glad'],
      ['es-ES', '¿puedo pagar con paypal?', 'no gracias', 'faq.sorry'],
      ['fa-IR', 'میتونم با پی پال پرداخت کنم؟', 'آره', 'faq.glad'],
      ['zh-CN', '可以用PayPal付款吗？', '没有', 'faq.sorry'],
    ] as const) {
      const lang = locale.slice(0, 2);
      const c = new Conversation(t.core, { locale });
      expect((await c.say(question)).join('\n')).toContain(translate(lang, 'faq.didThatHelp'));
      expect((await c.say(answer)).join('\n')).toContain(translate(lang, key));
    }
  });
});
