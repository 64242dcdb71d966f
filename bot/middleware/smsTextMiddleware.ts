/**
 * SMS costs by the segment: a message of GSM-7 characters takes 160 characters a segment, one with any other character
 * is sent as UCS-2 at 70. A single en dash ("3–5 days") or curly quote turned the 335-character returns answer from three
 * segments into five. On SMS, typographic punctuation becomes its plain form when that leaves the whole message in
 * GSM-7; a message that needs UCS-2 anyway (Chinese, Persian, Spanish "á") keeps its typography. Registered after the
 * turn log, which keeps the text as written.
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';

/** GSM 03.38: the default alphabet and its extension table (two septets each). */
const GSM_7 = new Set([
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ...'^{}\\[~]|€\f',
]);

/** Typographic characters and the plain ones that say the same on a phone. */
const PLAIN: Array<[RegExp, string]> = [
  [/[‘’‚‛′]/g, "'"],
  [/[“”„‟″«»]/g, '"'],
  [/[‐‑‒–—―−]/g, '-'],
  [/…/g, '...'],
  [/•/g, '-'],
  [/[\u00a0\u2007\u2009\u202f]/g, ' '],
  [/[\u200b\u200e\u200f\u2060]/g, ''],
];

/** `text` with plain punctuation, when that makes all of it GSM-7; else `text` as it is. */
export function smsText(text: string): string {
  let plain = text;
  for (const [mark, replacement] of PLAIN) plain = plain.replace(mark, replacement);
  return [...plain].every((c) => GSM_7.has(c)) ? plain : text;
}

/** Rewrites the turn's messages with `smsText` on the SMS channel. */
export class SmsTextMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.channelId !== 'sms') return next();
    context.onSendActivities(async (_ctx, activities, send) => {
      for (const a of activities) if (a.type === ActivityTypes.Message && typeof a.text === 'string') a.text = smsText(a.text);
      return send();
    });
    return next();
  }
}
