/** Entity patterns shared by every language: order numbers, ticket ids and email addresses. */
import { normalizeScript } from './normalize.js';

/** Order numbers: 5–8 digits, optionally written "#10231" or "ORD-10231"; never the digits of a ticket id ("T-000042"). */
export const ORDER_NUMBER_PATTERN = /\bord-?\d{5,8}\b|#\d{5,8}\b|(?<!\bt-)\b\d{5,8}\b/gi;
/** Ticket ids as the bot hands them out ("T-000042"); customers also write "t000042" or "T 000042". */
export const TICKET_ID_PATTERN = /\bT[-\s]?(\d{6,})\b/gi;
/** The placeholder a ticket id becomes in the text the classifier reads. */
export const TICKET_ID_TOKEN = '@ticketId';
/** A template slot standing for an order number ("{{Order Number}}"), as canned replies and utterance sets write it. */
export const ORDER_NUMBER_SLOT = /\{\{\s*(?:order|purchase)[\s_-]*(?:number|no|id)\s*\}\}/gi;
/** The placeholder an order number becomes in corpora and in the text the classifier reads. */
export const ORDER_NUMBER_TOKEN = '@orderNumber';
/**
 * Email addresses (pragmatic, not RFC 5322). Chinese and Japanese write no space around one, so their characters end
 * it: "邮箱是wei.li@example.com" was taken whole as the address and failed verification.
 */
const CJK = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]`;
const LOCAL_CHAR = String.raw`[[\p{L}\p{N}._%+\-]--${CJK}]`;
const LABEL_CHAR = String.raw`[[\p{L}\p{N}\-]--${CJK}]`;
export const EMAIL_PATTERN = new RegExp(String.raw`${LOCAL_CHAR}+@${LABEL_CHAR}+(?:\.${LABEL_CHAR}+)+`, 'giv');

/**
 * A postcode named as one ("my zip is 98101", "postcode: 10115", "código postal 28013", "邮编75011", "کد پستی 12345"):
 * five digits, as an order number has, so "order 10401, my zip is 98101" asked about a second order, 98101.
 */
export const LABELLED_POSTCODE = /(?:\bzip(?:\s*code)?|\bpost(?:al)?\s*code|\bc[óo]digo\s+postal|邮编|邮政编码|郵遞區號|کد\s*پستی(?:\s?\u200c?ام)?)\s*(?:(?:is|es|:|=|-|是|为)\s*)?\d{5,8}\b/giu;

const NUM = String.raw`#?\d{5,8}\b`;
/** A number (an order's) that follows, as the corrected one does. */
const THEN_NUM = String.raw`(?=(?:(?:it'?s|it is|es|el|是|سفارش)\s*)*(?:(?:order|number|pedido|订单号?)\s*)?#?\d{5,8}\b)`;
/**
 * A number the customer takes back, with the words that take it back, in every language: "10693, no wait, 10690",
 * "I meant 10384, not 10367", "no el 10453", "不是10231，是10248", "۱۰۲۳۱ نیست، ۱۰۲۴۸ است". The first was looked up ("I
 * couldn't find an order with the number 10693"), or waited its turn as a second order.
 */
const CORRECTED = new RegExp(
  [
    String.raw`\b${NUM}[\s,.;:!-]*(?:no,?\s+wait|wait,?\s+no|no,?\s+sorry|sorry|oops|i\s+meant?|actually|wait|perd[oó]n|digo|quise decir|quiero decir|mejor dicho)(?:\s+again)?\b[\s,.;:!-]*${THEN_NUM}`,
    String.raw`[\s,]*\bnot\s+(?:order\s+)?${NUM}`,
    // After the right number, or before it ("no el 10453, el 10452"): "No el 10401 sigue sin llegar" opens with a no
    // ("No, 10401 still hasn't come").
    String.raw`(?<=\d[^\d]{0,60})[\s,]*\bno\s+el\s+(?:pedido\s+)?${NUM}`,
    String.raw`\bno\s+el\s+(?:pedido\s+)?${NUM}[\s,]*(?:sino\s+)?${THEN_NUM}`,
    String.raw`[\s,]*\bno\s+es\s+(?:el\s+)?(?:pedido\s+)?${NUM}`,
    // Not as a question: "不是10231吗？" (isn't it 10231?) and "سفارش ۱۰۲۳۱ نیست؟" confirm the number.
    String.raw`不是\s*(?:订单号?)?\s*${NUM}(?!\s*[吗嘛么？?])`,
    String.raw`${NUM}\s*[，,]?\s*(?:不对|错了|说错了)[，,]?\s*${THEN_NUM}`,
    String.raw`\b${NUM}\s*نیست(?!\s*[؟?])`,
    String.raw`\b${NUM}[\s،,]*(?:نه|ببخشید)[\s،,]*${THEN_NUM}`,
  ].join('|'),
  'giu',
);

/** `text` without the order numbers the customer took back and the words that took them back. */
export function withoutCorrectedNumbers(text: string): string {
  return text.replace(CORRECTED, ' ');
}

/** Whether `text` takes an order number back for another ("10693, no wait, 10690"). */
export function correctsOrderNumber(text: string): boolean {
  const plain = normalizeScript(text);
  return withoutCorrectedNumbers(plain) !== plain;
}

/** Entities as the recogniser returns them: each name maps to the values found, in order. */
export interface Entities {
  orderNumber?: string[];
  /** Ticket ids in the bot's own spelling, "T-000042". */
  ticketId?: string[];
  email?: string[];
}

/** Pulls the entities out of a text; order numbers are returned as bare ASCII digits (Persian "۱۰۴۳۵" too), ticket ids as "T-000042". */
export function extractEntities(raw: string): Entities {
  const out: Entities = {};
  const text = normalizeScript(raw);
  // Emails first, and blanked out, so digits inside an address are never read as an order number.
  const emails = text.match(EMAIL_PATTERN) ?? [];
  if (emails.length) out.email = emails;
  let rest = text.replace(EMAIL_PATTERN, ' ');
  // Ticket ids next, and blanked out too: "T 000042" is no order number.
  const tickets = [...rest.matchAll(TICKET_ID_PATTERN)].map((m) => `T-${m[1]}`);
  if (tickets.length) out.ticketId = [...new Set(tickets)];
  rest = withoutCorrectedNumbers(rest.replace(TICKET_ID_PATTERN, ' ').replace(LABELLED_POSTCODE, ' '));
  const orders = (rest.match(ORDER_NUMBER_PATTERN) ?? []).map((m) => m.replace(/\D/g, ''));
  if (orders.length) out.orderNumber = [...new Set(orders)];
  return out;
}
