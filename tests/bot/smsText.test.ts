import { describe, expect, it } from 'vitest';
import { smsText } from '../../bot/middleware/smsTextMiddleware.js';

describe('smsText', () => {
  // One en dash sent the 335-character returns answer as UCS-2: five SMS segments instead of three.
  it('sends typographic punctuation in its plain form when the rest is GSM-7', () => {
    expect(smsText('Refunds take 5–7 business days… “Start return” on your ‘Orders’ page.')).toBe('Refunds take 5-7 business days... "Start return" on your \'Orders\' page.');
    expect(smsText('¿Dónde está? Pulsa «Pedidos»')).toBe('¿Dónde está? Pulsa «Pedidos»');
    expect(smsText('¿Qué pedido es? Pulsa «Pedidos» – gracias')).toBe('¿Qué pedido es? Pulsa "Pedidos" - gracias');
  });

  it('leaves a message that needs UCS-2 anyway as written', () => {
    for (const text of ['退款需要 5–7 个工作日。', 'بازپرداخت ۵ تا ۷ روز – کاری', 'Te reembolsamos en 5–7 días hábiles.']) expect(smsText(text)).toBe(text);
  });
});
