/** Entity patterns shared by every language: order numbers and email addresses. */
import { normalizeScript } from './normalize.js';

/** Order numbers: 5–8 digits, optionally written "#10231" or "ORD-10231". */
export const ORDER_NUMBER_PATTERN = /\bord-?\d{5,8}\b|#\d{5,8}\b|\b\d{5,8}\b/gi;
/** A template slot standing for an order number ("{{Order Number}}"), as canned replies and utterance sets write it. */
export const ORDER_NUMBER_SLOT = /\{\{\s*(?:order|purchase)[\s_-]*(?:number|no|id)\s*\}\}/gi;
/** The placeholder an order number becomes in corpora and in the text the classifier reads. */
export const ORDER_NUMBER_TOKEN = '@orderNumber';
/** Email addresses (pragmatic, not RFC 5322). */
export const EMAIL_PATTERN = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/giu;

/** Entities as the recogniser returns them: each name maps to the values found, in order. */
export interface Entities {
  orderNumber?: string[];
  email?: string[];
}

/** Pulls the entities out of a text; order numbers are returned as bare ASCII digits (Persian "۱۰۴۳۵" too). */
export function extractEntities(raw: string): Entities {
  const out: Entities = {};
  const text = normalizeScript(raw);
  // Emails first, and blanked out, so digits inside an address are never read as an order number.
  const emails = text.match(EMAIL_PATTERN) ?? [];
  if (emails.length) out.email = emails;
  const rest = text.replace(EMAIL_PATTERN, ' ');
  const orders = (rest.match(ORDER_NUMBER_PATTERN) ?? []).map((m) => m.replace(/\D/g, ''));
  if (orders.length) out.orderNumber = [...new Set(orders)];
  return out;
}
