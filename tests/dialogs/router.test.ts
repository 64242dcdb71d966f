import type { Middleware } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { turnInfo } from '../../bot/turnInfo.js';
import { FallbackDialog } from '../../dialogs/fallbackDialog.js';
import { FaqDialog } from '../../dialogs/faqDialog.js';
import { createMainDialog } from '../../dialogs/index.js';
import { MainDialog } from '../../dialogs/mainDialog.js';
import { SurveyDialog } from '../../dialogs/surveyDialog.js';
import { WrapUpDialog } from '../../dialogs/wrapUpDialog.js';
import { t } from '../../i18n/index.js';
import { buttons, Conversation, createTestCore, type TestCore } from '../helpers/harness.js';
import { knowledgeBaseWithTestEntry } from '../helpers/knowledgeBase.js';

let env: TestCore;
beforeAll(async () => {
  env = await createTestCore();
});
// When beforeAll failed there is nothing to clean up, and its error is the one to read.
afterAll(async () => env?.cleanup());

/** Makes `text` a close call between `intents`, as the recogniser does for such texts. */
const closeCallOn = (text: string, [a, b]: [string, string]): Middleware => ({
  onTurn: async (context, next) => {
    const info = turnInfo(context);
    if (info.recognition && info.text === text) {
      info.recognition = { ...info.recognition, intent: a, score: 0.48, ambiguous: [{ intent: a, score: 0.48 }, { intent: b, score: 0.41 }] };
    }
    await next();
  },
});

/** A close call between returns and payment. */
const closeCall = closeCallOn('I have a problem with my refund payment', ['faq.returns', 'faq.payment']);

describe('router', () => {
  it('labels a new FAQ with its title when the catalogues have no text for it, and routes a click on it', async () => {
    // A developer adds a FAQ entry and its corpus, nothing else: the "which did you mean?" buttons used to throw
    // "Missing message intent.faq.<topic>" and the customer heard "something went wrong".
    const kb = await knowledgeBaseWithTestEntry();
    const { intent, title, answer } = kb.entry;
    const own = await createTestCore({ FAQ_DIR: kb.dir });
    try {
      const c = new Conversation(own.core);
      c.adapter.use(closeCallOn('is a cracked screen covered', [intent, 'faq.returns']));
      const ask = await c.send('is a cracked screen covered');
      expect(buttons(ask[0])).toEqual([title, 'Returns & refunds', 'Something else']);
      expect((await c.say(title))[0]).toBe(answer);
    } finally {
      await own.cleanup();
      await kb.cleanup();
    }
  });

  it('asks which intent was meant when the top two are close, then routes the choice', async () => {
    const c = new Conversation(env.core);
    c.adapter.use(closeCall);
    const ask = await c.send('I have a problem with my refund payment');
    expect(ask[0]?.text).toBe(t('en', 'router.which'));
    expect(buttons(ask[0])).toEqual(['Returns & refunds', 'Payment', 'Something else']);
    const answer = await c.say('Payment');
    expect(answer[1]).toBe(t('en', 'faq.didThatHelp'));
  });

  it('lists the choices in the customer\'s language on a channel without buttons', async (ctx) => {
    if (!env.core.config.LANGUAGES.includes('fa')) return ctx.skip();
    // botbuilder joined Persian choices with English: "…(2) ارسال و تحویل, or (3) موضوع دیگر".
    const c = new Conversation(env.core, { channelId: 'sms', locale: 'fa-IR' });
    c.adapter.use(closeCallOn('سفارشم کجاست', ['order.status', 'faq.shipping']));
    const [ask] = await c.say('سفارشم کجاست');
    expect(ask).toContain(t('fa', 'router.which'));
    expect(ask).toContain(t('fa', 'choice.orMore'));
    expect(ask).not.toMatch(/\bor\b|, \(/);
  });

  // The customer's message was logged with no outcome at all: the lead's CSV had an empty cell.
  it('logs the message it asks about as prompted', async () => {
    const c = new Conversation(env.core, { conversationId: 'router-which-log' });
    c.adapter.use(closeCall);
    await c.send('I have a problem with my refund payment');
    const log = [];
    for await (const r of env.core.turnLog.read()) if (r.conversationId === 'router-which-log') log.push(r);
    expect(log.map((r) => [r.direction, r.outcome, r.dialog])).toEqual([
      ['in', 'prompted', 'main'],
      ['out', 'prompted', 'main'],
    ]);
  });

  it('a reply that picks no choice is routed, not met with the same question again', async () => {
    // The prompt's retry asked "which of these did you mean?" word for word for as long as the customer typed anything
    // but a choice. An order number goes with the first guess, which keeps it.
    const c = new Conversation(env.core);
    c.adapter.use(closeCallOn('you charged me twice for the same order', ['complaint', 'faq.payment']));
    await c.send('you charged me twice for the same order');
    const details = await c.say('order 10248');
    expect(details[0]).toBe(t('en', 'complaint.askCategory'));
    await c.say('Billing');
    expect((await c.say('they took the money two times')).join(' ')).toMatch(/ticket T-\d+/);
    // A clear new request stands.
    const d = new Conversation(env.core);
    d.adapter.use(closeCall);
    await d.send('I have a problem with my refund payment');
    expect((await d.say('how do I reset my password?'))[1]).toBe(t('en', 'faq.didThatHelp'));
  });

  // After "pedido?" (shipping prices, or cancelling?), "10231" got the shipping prices: the order was never looked up.
  it('an order number for an answer goes to a flow about one order, else to that order\'s status', async () => {
    const c = new Conversation(env.core);
    c.adapter.use(closeCallOn('my order', ['faq.shipping', 'faq.payment']));
    await c.send('my order');
    expect((await c.say('10231'))[0]).toMatch(/I found order 10231/);
    const d = new Conversation(env.core);
    d.adapter.use(closeCallOn('my order', ['faq.shipping', 'faq.cancel']));
    await d.send('my order');
    expect((await d.say('10231'))[0]).toMatch(/I found order 10231/);
  });

  // "pedido 10775 con correo …" asked which was meant; "Seguir un pedido" then asked for the order number again.
  it('a choice keeps the order the question named', async () => {
    const c = new Conversation(env.core);
    c.adapter.use(closeCallOn('order 10231 please', ['order.status', 'faq.cancel']));
    await c.send('order 10231 please');
    expect((await c.say('Track an order'))[0]).toMatch(/I found order 10231/);
  });

  it('"Something else" goes to the fallback', async () => {
    const c = new Conversation(env.core);
    c.adapter.use(closeCall);
    await c.send('I have a problem with my refund payment');
    expect(await c.say('Something else')).toEqual([t('en', 'fallback.reply')]);
  });

  it('answers a second question of the same message once the first is resolved, before "anything else?"', async () => {
    // The payment answer came back and the shipping question was never answered.
    const c = new Conversation(env.core, { conversationId: 'second-question' });
    const first = await c.say('can i pay with paypal? and how long does shipping take?');
    expect(first[0]).toMatch(/PayPal/);
    expect(first).not.toContainEqual(expect.stringMatching(/business days/));
    const second = await c.say('yes');
    expect(second.slice(0, 2)).toEqual([t('en', 'faq.glad'), t('en', 'router.alsoAsked', { topic: 'Shipping & delivery' })]);
    // The sentence that asked picks the answer: delivery times, not the list of countries.
    expect(second[2]).toMatch(/Standard shipping takes 3–5 business days/);
    expect(second[3]).toBe(t('en', 'faq.didThatHelp'));
    expect(await c.say('yes')).toEqual([t('en', 'faq.glad'), t('en', 'wrapup.anythingElse')]);
    // The turn log keeps the second question on the message that asked it.
    const asked = [];
    for await (const r of env.core.turnLog.read()) if (r.conversationId === 'second-question' && r.direction === 'in' && r.intent === 'faq.payment') asked.push(r);
    expect(asked[0]?.data).toMatchObject({ also: 'faq.shipping' });
  });

  it('answers two questions in the order asked; a second one about an order keeps the number and is still verified', async () => {
    // "can I pay with klarna? also how do I delete my account?" got the account first.
    const c = new Conversation(env.core);
    expect((await c.say('do you ship to canada? and where is my order 10435'))[0]).toMatch(/We ship to the US, Canada/);
    const next = await c.say('yes');
    expect(next[1]).toBe(t('en', 'router.alsoAsked', { topic: 'Track an order' }));
    expect(next[2]).toMatch(/I found order 10435/);
    expect((await c.say('02139')).join(' ')).toMatch(/order 10435 is on its way with UPS/);
    // Order first: verified, its status, then the other question.
    const d = new Conversation(env.core);
    expect((await d.say('where is my order 10435? also, do you ship to canada?'))[0]).toMatch(/I found order 10435/);
    const status = await d.say('02139');
    expect(status[0]).toMatch(/order 10435 is on its way with UPS/);
    expect(status.slice(1, 3)).toEqual([t('en', 'router.alsoAsked', { topic: 'Shipping & delivery' }), expect.stringMatching(/We ship to the US, Canada/)]);
  });

  it('a question about two orders is answered for both, one after the other, each verified', async () => {
    // Only 10452 was answered; 10469 was never mentioned again.
    const c = new Conversation(env.core);
    expect((await c.say('where are my orders 10452 and 10469'))[0]).toMatch(/I found order 10452/);
    const first = await c.say('73301');
    expect(first[0]).toMatch(/order 10452 is on its way with FedEx/);
    expect(first.slice(1)).toEqual([t('en', 'router.alsoAsked', { topic: 'Track an order' }), expect.stringMatching(/I found order 10469/)]);
    expect((await c.say('1010'))[0]).toMatch(/10469/);
    // A third waits behind the second.
    const d = new Conversation(env.core);
    await d.say('where are my orders 10452, 10469 and 10435?');
    await d.say('73301');
    expect((await d.say('1010')).join(' ')).toMatch(/10469.*I found order 10435/s);
  });

  it('takes a bare postcode beside the order number as its verification, not as a second order', async () => {
    // The status came, then "Now for your other question… I couldn't find an order with the number 98101".
    const c = new Conversation(env.core);
    expect(await c.say('order 10401, 98101')).toEqual([expect.stringMatching(/order 10401 is on its way/), t('en', 'wrapup.anythingElse')]);
    // A second order beside them still waits its turn.
    const d = new Conversation(env.core);
    expect((await d.say('where are 10401 and 10367? 98101')).join(' ')).toMatch(/order 10401 is on its way.*I found order 10367/s);
  });

  it('carries a waiting second question over a change of subject and past an answer that did not help; "cancel" drops it', async () => {
    const c = new Conversation(env.core);
    await c.say('can i pay with paypal? and how long does shipping take?');
    // Another question instead of yes or no: answered, and the waiting one follows it.
    await c.say('how do I reset my password?');
    const after = await c.say('yes');
    expect(after[1]).toBe(t('en', 'router.alsoAsked', { topic: 'Shipping & delivery' }));
    // "No, that did not help" was taken for "forget the rest": the shipping question was never answered.
    const d = new Conversation(env.core);
    await d.say('do you ship to canada. and how do i reset my password');
    const no = await d.say('no');
    expect(no).toContain(t('en', 'router.alsoAsked', { topic: 'My account' }));
    expect(no.join(' ')).toMatch(/Forgot password/);
    // A customer who stops the flow hears nothing more about it.
    const e = new Conversation(env.core);
    await e.say('can i pay with paypal? and how long does shipping take?');
    expect((await e.say('cancel')).join(' ')).not.toContain('Now for your other question');
  });

  it('every dialog id is unique (DialogSet would silently rename a duplicate)', () => {
    const main = createMainDialog(env.core.services);
    const ids: string[] = [];
    const walk = (dialog: { id: string; dialogs?: { getDialogs?: () => Array<{ id: string }> } }) => {
      ids.push(dialog.id);
      for (const child of dialog.dialogs?.getDialogs?.() ?? []) walk(child as never);
    };
    walk(main as never);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses two dialogs with one id, naming both classes', () => {
    // A dialog copied from another keeps its id constant; "Two dialogs share the id" did not say which two.
    class WarrantyDialog extends FaqDialog {}
    const { services } = env.core;
    const build = () => new MainDialog([new FaqDialog(services), new WarrantyDialog(services)], new FallbackDialog(services), new WrapUpDialog(services), new SurveyDialog(services), services.intentLabels);
    expect(build).toThrow('FaqDialog and WarrantyDialog both have the dialog id "faq"');
  });

  it('intents route to the dialog that declares them', () => {
    const main = createMainDialog(env.core.services);
    expect(main.dialogFor('faq.invoice').id).toBe('faq');
    expect(main.dialogFor('order.status').id).toBe('orderStatus');
    expect(main.dialogFor('complaint').id).toBe('complaint');
    expect(main.dialogFor('goodbye').id).toBe('smallTalk');
    expect(main.dialogFor('None').id).toBe('fallback');
    expect(main.dialogFor('no.such.intent').id).toBe('fallback');
  });
});

describe('sarcastic thanks', () => {
  it('"thanks for nothing" is taken as a complaint, not answered "you\'re welcome"; plain thanks still is', async () => {
    const angry = new Conversation(env.core, { conversationId: 'sarcastic-thanks' });
    const replies = await angry.say('thanks for nothing, my parcel is lost');
    expect(replies).not.toContain(t('en', 'thanks.reply'));
    const records = [];
    for await (const r of env.core.turnLog.read()) if (r.conversationId === 'sarcastic-thanks' && r.direction === 'in') records.push(r);
    // The log keeps what the classifier read; the complaint flow took the turn.
    expect(records.at(-1)).toMatchObject({ intent: 'thanks', dialog: 'complaint' });
    const glad = new Conversation(env.core, { conversationId: 'plain-thanks' });
    expect(await glad.say('thanks a lot')).toContain(t('en', 'thanks.reply'));
  });
});
