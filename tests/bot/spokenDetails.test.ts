/**
 * Order numbers, postcodes and email addresses as voice typing writes them. On SMS, "one oh four oh one" and "10 4 01"
 * got "That doesn't look like an order number", and "the email is diego dot dubois at example dot com" read as a
 * question about our contact details.
 */
import { describe, expect, it } from 'vitest';
import { spokenEmails, spokenNumbers } from '../../bot/middleware/inputMiddleware.js';

const read = (text: string) => spokenEmails(spokenNumbers(text));

describe('details said aloud', () => {
  it.for([
    ['um so yeah my order number is one oh four oh one', 'um so yeah my order number is 10401'],
    ['Nine eight one oh one', '98101'],
    ['mi pedido es el uno cero cuatro cero uno', 'mi pedido es el 10401'],
    ['my order number is 10 4 01', 'my order number is 10401'],
    ['it is 104-01', 'it is 10401'],
    ['uh the email is diego dot dubois at example dot com', 'uh the email is diego.dubois@example.com'],
    ['diego punto dubois arroba example punto com', 'diego.dubois@example.com'],
    ['mi correo es ana arroba correo punto es', 'mi correo es ana@correo.es'],
    ['email: li underscore wei at mail dot example dot com', 'email: li_wei@mail.example.com'],
  ])('"%s" is read as "%s"', ([said, written]) => {
    expect(read(said as string)).toBe(written);
  });

  // Quantities, prices, dates, phone numbers, and "at" in a sentence that speaks of no email.
  it.for([
    'I bought two four packs',
    'one or two things',
    '2 of my 4 mugs',
    'price 1 200',
    'call me on 555 123 4567',
    'order 10401',
    'on 2026-11-27',
    'it costs 12.50 or 3 4 5',
    'can you look at example dot com',
    'i am at home dot com',
    'meet me at noon',
  ])('"%s" stays as written', (text) => {
    expect(read(text)).toBe(text);
  });
});
