/** PII redaction: emails, phone numbers, payment card numbers and IBANs become typed placeholders before anything is stored. */

import { EMAIL_PATTERN, type Entities, extractEntities } from '../nlu/entities.js';

/** Placeholders written instead of personal data. */
export const PLACEHOLDER = { email: '[email]', phone: '[phone]', card: '[card]', iban: '[iban]' } as const;

// "jane dot doe at mail dot com": customers spell addresses out to dodge filters, or out of habit.
// A spelled-out domain needs at least one "dot" word, so "look at google.com" or "arrive at noon" stay as they are.
const DOT = String.raw`\s*(?:\(dot\)|\[dot\])\s*|\s+dot\s+`;
const TLD = '(?:com|org|net|edu|gov|info|biz|io|co|me|us|uk|ca|au|de|fr|es|it|nl|ie|ir|cn|in|mx|ar|br)';
const SPELLED_EMAIL = new RegExp(
  String.raw`[\p{L}\p{N}._%+-]+(?:\s+dot\s+[\p{L}\p{N}_%+-]+)*\s*(?:\(at\)|\[at\]|\s+at\s+)\s*[\p{L}\p{N}-]+(?:(?:${DOT})[\p{L}\p{N}-]+)*(?:${DOT})${TLD}(?![\p{L}\p{N}])`,
  'giu',
);
// IBAN candidates: country, check digits, then 11–30 letters and digits, run together or split by spaces (any
// kind), dots or dashes in any grouping; letters after it ("…3000EUR") are cut off by the check (ibanIn).
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}])[A-Z]{2}[\s.-]{0,2}\d{2}(?:[\s.-]{0,2}[A-Z0-9]){11,34}/giu;
// Card candidates: 13–19 digits, optionally grouped by single spaces or dashes.
const CARD_CANDIDATE = /(?<![\p{N}])(?:\d[ -]?){12,18}\d(?![\p{N}])/gu;
// Phone candidates: optional +country, 8–15 digits with the separators people use.
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}])(?:\+|00)?\d{1,4}?[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,4}(?![\p{L}\p{N}])/gu;

/** Luhn checksum, as card issuers use. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length >= 13 && sum % 10 === 0;
}

/** The IBAN check (ISO 13616, mod 97): two letters and a pasted account number pass only when they are one. */
export function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '').toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  let remainder = 0;
  for (const ch of iban.slice(4) + iban.slice(0, 4)) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/**
 * `match` with the IBAN it starts with replaced; unchanged when none. It may run on into words ("… 00 please",
 * "…000EUR"), so the IBAN ends where the match does or where letters follow its digits, and it must hold ten digits
 * or more: "is at 12 days and counting" starts with a country (AT) and two digits, and its letters pass the check
 * now and then.
 */
function ibanIn(match: string): string {
  const compact: string[] = [];
  const ends: number[] = [];
  for (let i = 0; i < match.length; i += 1) {
    if (/[\s.-]/.test(match[i]!)) continue;
    compact.push(match[i]!.toUpperCase());
    ends.push(i + 1);
  }
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const lengths = compact.map((_, i) => i + 1).filter((n) => n === compact.length || (isDigit(compact[n - 1]) && !isDigit(compact[n])));
  for (const length of lengths.reverse()) {
    const iban = compact.slice(0, length).join('');
    if ((iban.match(/\d/g)?.length ?? 0) >= 10 && ibanValid(iban)) return `${PLACEHOLDER.iban}${match.slice(ends[length - 1])}`;
  }
  return match;
}

/** Whether a digit run looks like a phone number rather than an order number, a date or an amount. */
function looksLikePhone(match: string): boolean {
  const digits = match.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15) return false;
  // Dates (2026-11-25, 25.11.2026, 11/25/2026) share the shape.
  if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(match.trim())) return false;
  // A bare run of 8 digits without any phone punctuation is as likely an order or reference number.
  const hasPhoneShape = /^(?:\+|00)/.test(match) || /[\s().-]/.test(match.trim());
  return hasPhoneShape || digits.length >= 10;
}

/** Replaces personal data in `text` by placeholders. Order numbers (5–8 digits), dates and prices are kept. */
export function redact(text: string): string {
  // Most texts hold no address and too few digits to be a phone or card: skip the expensive patterns for them.
  const mayHaveEmail = text.includes('@') || / at |\(at\)|\[at\]/i.test(text);
  let digits = 0;
  for (let i = 0; i < text.length && digits < 8; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
  }
  if (!mayHaveEmail && digits < 8) return text;
  return text
    .replace(EMAIL_PATTERN, PLACEHOLDER.email)
    .replace(SPELLED_EMAIL, PLACEHOLDER.email)
    // Before cards and phones, which would take the account number's digits out of it and leave the rest.
    .replace(IBAN_CANDIDATE, ibanIn)
    .replace(CARD_CANDIDATE, (m) => (luhnValid(m.replace(/\D/g, '')) ? PLACEHOLDER.card : m))
    .replace(PHONE_CANDIDATE, (m) => (looksLikePhone(m) ? PLACEHOLDER.phone : m));
}

/**
 * Payment data alone (card numbers, IBANs): for text kept as typed because it says how to reach the customer (a
 * message left for a call-back), where an account number pasted beside the phone number was kept as well.
 */
export function redactPayment(text: string): string {
  return text.replace(IBAN_CANDIDATE, ibanIn).replace(CARD_CANDIDATE, (m) => (luhnValid(m.replace(/\D/g, '')) ? PLACEHOLDER.card : m));
}

/** Redacts every string inside a JSON-like value (entities, survey comments…). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}

/**
 * The entities found in `kept`, the text as stored after redaction: none from a redacted span. "call me on 07700
 * 900123" is stored as "call me on [phone]", and its order numbers 07700 and 900123 put the phone number back.
 */
export function keptEntities(entities: Entities, kept: string): Record<string, string[]> {
  const found = Object.keys(entities).length ? extractEntities(kept) : {};
  const out: Record<string, string[]> = {};
  for (const key of ['orderNumber', 'ticketId', 'email'] as const) {
    const values = entities[key]?.filter((v) => found[key]?.includes(v));
    if (values?.length) out[key] = values;
  }
  return out;
}
