import { describe, expect, it } from 'vitest';
import { spokenNumbers } from '../../bot/middleware/inputMiddleware.js';

describe('spokenNumbers', () => {
  // Voice typing on SMS: "one oh four oh one" and "10 4 01" got "That doesn't look like an order number".
  it('writes an order number or postcode said in words or small groups as one number', () => {
    const cases: Array<[string, string]> = [
      ['um so yeah my order number is one oh four oh one', 'um so yeah my order number is 10401'],
      ['Nine eight one oh one', '98101'],
      ['mi pedido es el uno cero cuatro cero uno', 'mi pedido es el 10401'],
      ['my order number is 10 4 01', 'my order number is 10401'],
      ['it is 104-01', 'it is 10401'],
    ];
    for (const [said, written] of cases) expect(spokenNumbers(said), said).toBe(written);
  });

  it('leaves quantities, prices, dates and phone numbers as they are', () => {
    for (const text of ['I bought two four packs', 'one or two things', '2 of my 4 mugs', 'price 1 200', 'call me on 555 123 4567', 'order 10401', 'on 2026-11-27', 'it costs 12.50 or 3 4 5']) {
      expect(spokenNumbers(text), text).toBe(text);
    }
  });
});
