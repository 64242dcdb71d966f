import type { Middleware } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { turnInfo } from '../../bot/turnInfo.js';
import { createMainDialog } from '../../dialogs/index.js';
import { t } from '../../i18n/index.js';
import { buttons, Conversation, createTestCore, type TestCore } from '../helpers/harness.js';

let env: TestCore;
beforeAll(async () => {
  env = await createTestCore();
});
afterAll(async () => env.cleanup());

/** Marks the turn's recognition as a close call between two intents, as the recogniser does for such texts. */
const closeCall: Middleware = {
  onTurn: async (context, next) => {
    const info = turnInfo(context);
    if (info.recognition && info.text === 'I have a problem with my refund payment') {
      info.recognition = { ...info.recognition, intent: 'faq.returns', score: 0.48, ambiguous: [{ intent: 'faq.returns', score: 0.48 }, { intent: 'faq.payment', score: 0.41 }] };
    }
    await next();
  },
};

describe('router', () => {
  it('asks which intent was meant when the top two are close, then routes the choice', async () => {
    const c = new Conversation(env.core);
    c.adapter.use(closeCall);
    const ask = await c.send('I have a problem with my refund payment');
    expect(ask[0]?.text).toBe(t('en', 'router.which'));
    expect(buttons(ask[0])).toEqual(['Returns & refunds', 'Payment', 'Something else']);
    const answer = await c.say('Payment');
    expect(answer[1]).toBe(t('en', 'faq.didThatHelp'));
  });

  it('"Something else" goes to the fallback', async () => {
    const c = new Conversation(env.core);
    c.adapter.use(closeCall);
    await c.send('I have a problem with my refund payment');
    expect(await c.say('Something else')).toEqual([t('en', 'fallback.reply')]);
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
