/**
 * Right-to-left messages that open with a Latin word (an agent's name, the brand, an order's carrier) start with a
 * right-to-left mark. Web Chat and messaging apps lay each message out by its first strong character, so Persian
 * customers read "admin از تیم ما به گفتگو پیوست." as ".از تیم ما به گفتگو پیوست admin", the full stop and the words
 * around the name out of order. Registered after the turn log, which keeps the text as written.
 */
import { type Activity, ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { turnInfo } from '../turnInfo.js';

/** Languages written right to left, among those the bot may speak. */
const RIGHT_TO_LEFT = new Set(['fa', 'ar', 'he', 'ur']);
/** The first strongly directional letter of a text. */
const STRONG = /[\p{Script=Latin}\p{Script=Arabic}\p{Script=Hebrew}]/u;
const RIGHT_TO_LEFT_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}]/u;
/** U+200F RIGHT-TO-LEFT MARK: an invisible strong right-to-left character. */
const RLM = '\u200f';

/** `text` opened with a right-to-left mark when it is right-to-left text whose first strong letter is Latin. */
export function startRightToLeft(text: string): string {
  const first = text.match(STRONG)?.[0];
  return first && !RIGHT_TO_LEFT_LETTER.test(first) && RIGHT_TO_LEFT_LETTER.test(text) ? `${RLM}${text}` : text;
}

/** Opens the turn's right-to-left messages (and a person's label on them) with a right-to-left mark where needed. */
export class DirectionMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    // The turn's language is settled before this runs (LanguageMiddleware): most turns need no hook at all.
    if (!RIGHT_TO_LEFT.has(turnInfo(context).locale)) return next();
    context.onSendActivities(async (_ctx, activities, send) => {
      for (const a of activities) if (a.type === ActivityTypes.Message) orient(a);
      return send();
    });
    return next();
  }
}

function orient(activity: Partial<Activity>): void {
  if (typeof activity.text === 'string') activity.text = startRightToLeft(activity.text);
  const agent = (activity.channelData as { agent?: { label?: unknown } } | undefined)?.agent;
  if (agent && typeof agent.label === 'string') agent.label = startRightToLeft(agent.label);
}
