import { describe, expect, it } from 'vitest';
import { ibanValid, luhnValid, redact, redactDeep, redactPayment } from '../../bot/redaction.js';

describe('redaction', () => {
  it.each([
    ['my email is Jane.Doe+shop@Mail.Example.co.uk thanks', 'my email is [email] thanks'],
    ['reach me at jane dot doe at gmail dot com', 'reach me at [email]'],
    ['write to jane(at)example(dot)org', 'write to [email]'],
    ['card 4111 1111 1111 1111 exp 12/27', 'card [card] exp 12/27'],
    ['it was charged to 5500-0000-0000-0004', 'it was charged to [card]'],
    ['amex 378282246310005!', 'amex [card]!'],
    ['call me on +1 (415) 555-0132 after 6', 'call me on [phone] after 6'],
    ['my mobile: 07700 900123', 'my mobile: [phone]'],
    ['+44 20 7946 0958 or 020 7946 0958', '[phone] or [phone]'],
    ['tel 0049 30 901820', 'tel [phone]'],
    ['number is 4155550132', 'number is [phone]'],
    // An account number pasted for a refund was stored word for word in the turn log.
    ['send the refund to IBAN DE89 3704 0044 0532 0130 00 please', 'send the refund to IBAN [iban] please'],
    ['iban: gb82west12345698765432.', 'iban: [iban].'],
    // As people paste them: dashes, dots, a space after the country, odd groups, no-break spaces, a currency after.
    ['DE89-3704-0044-0532-0130-00 please', '[iban] please'],
    ['DE89.3704.0044.0532.0130.00', '[iban]'],
    ['DE 89 3704 0044 0532 0130 00', '[iban]'],
    ['DE89 370 400 440 532 013 000', '[iban]'],
    ['DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000', '[iban]'],
    ['DE89370400440532013000EUR', '[iban]EUR'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    'where is order 10231?',
    'order #10435 and ORD-10622',
    'it cost $1,299.99 on 2026-11-25',
    'I paid 49.95 on 12/11/2026 at 14:30',
    'tracking UPS700095028',
    'postcode SW1A 1AA please',
    'look at google.com for it',
    'I will arrive at noon',
    'reference 12345678',
    '4111 1111 1111 1112 is not a valid card',
  ])('keeps non-personal text: %s', (input) => {
    expect(redact(input)).toBe(input);
  });

  it('checks IBANs with their mod-97 check digits', () => {
    expect(ibanValid('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(ibanValid('DE88 3704 0044 0532 0130 00')).toBe(false);
    expect(ibanValid('GB82WEST1234')).toBe(false);
    expect(redact('code AB12 CDEF GHIJ KLMN is a voucher')).toBe('code AB12 CDEF GHIJ KLMN is a voucher');
    // A country code and two digits before ordinary words: whatever letters follow, never an IBAN.
    const words = ['days', 'and', 'counting', 'still', 'waiting', 'for', 'my', 'parcel', 'the', 'refund', 'box', 'was', 'empty'];
    for (let i = 0; i < 300; i += 1) {
      const text = `order 10435 is at ${10 + (i % 90)} ${Array.from({ length: 6 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ')} now`;
      expect(redact(text), text).toBe(text);
    }
  });

  it('redacts payment data alone where contact details must stay', () => {
    expect(redactPayment('call me on 07700 900123 or jo@example.com; refund to DE89 3704 0044 0532 0130 00, card 4111 1111 1111 1111')).toBe(
      'call me on 07700 900123 or jo@example.com; refund to [iban], card [card]',
    );
  });

  it('checks cards with Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('0000')).toBe(false);
  });

  it('redacts strings anywhere inside structured data', () => {
    expect(redactDeep({ email: ['a@b.co'], nested: { note: 'call +1 415 555 0132' }, n: 3 })).toEqual({
      email: ['[email]'],
      nested: { note: 'call [phone]' },
      n: 3,
    });
  });
});
