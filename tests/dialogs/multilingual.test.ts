import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import { Conversation, createTestCore, type TestCore } from '../helpers/harness.js';

let env: TestCore;
beforeAll(async () => {
  env = await createTestCore();
});
afterAll(async () => env.cleanup());

/** Per language: how a customer asks about order 10435 (shipped with UPS, postcode 02139) and complains about 10622. */
const SCRIPTS: Record<string, { script: RegExp; order: string; postcode: string; complaint: string }> = {
  en: { script: /[a-z]/i, order: 'where is my order 10435?', postcode: '02139', complaint: 'my order 10622 arrived broken, the glass is smashed and I am really upset' },
  es: { script: /[a-záéíóúñ¿¡]/i, order: '¿dónde está mi pedido 10435?', postcode: '02139', complaint: 'mi pedido 10622 llegó roto, el vaso está hecho pedazos y estoy muy molesto' },
  zh: { script: /[\u4e00-\u9fff]/, order: '我的订单10435到哪了', postcode: '02139', complaint: '订单10622收到的时候杯子碎了，包装也破了，太让人生气了' },
  fa: { script: /[\u0600-\u06FF]/, order: 'سفارش ۱۰۴۳۵ من کجاست؟', postcode: '۰۲۱۳۹', complaint: 'سفارش ۱۰۶۲۲ شکسته رسید، لیوان خرد شده بود و خیلی ناراحتم' },
};

describe.each(Object.entries(SCRIPTS))('flows in %s', (lang, s) => {
  it('order status: number from the message, verification, status in the language', async (ctx) => {
    if (!env.core.nlu.languages.includes(lang)) return ctx.skip();
    const c = new Conversation(env.core, { locale: `${lang}` });
    const [ask] = await c.say(s.order);
    expect(ask).toBe(t(lang, 'order.askVerification', { number: '10435' }));
    const [status] = await c.say(s.postcode);
    expect(status).toContain('UPS');
    expect(status).toMatch(s.script);
    expect(status?.startsWith(t(lang, 'order.status.shipped', { number: '10435', carrier: 'UPS', tracking: 'X', eta: 'Y' }).slice(0, 6))).toBe(true);
  });

  it('complaint: filed as a ticket with an empathetic reply in the language', async (ctx) => {
    if (!env.core.nlu.languages.includes(lang)) return ctx.skip();
    const c = new Conversation(env.core, { locale: `${lang}` });
    const [reply] = await c.say(s.complaint);
    expect(reply).toMatch(/T-\d{6}/);
    expect(reply?.startsWith(t(lang, 'complaint.empathy.damaged'))).toBe(true);
  });
});
