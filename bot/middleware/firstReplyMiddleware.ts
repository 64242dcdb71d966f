/**
 * Opens the turn's first reply with what the customer must hear before it. A photo sent with its words: the words were
 * answered and the photo dropped without a word, and the customer took it that the team had it; now the reply says the
 * file was not opened. A language asked for beside a question: "¡Claro! Seguimos en español." opens the answer (a
 * message of its own went out before the question was read, and the log lost the message's intent and outcome).
 * Registered before the turn log, so the log holds the reply as the customer saw it; a separate note after the reply hid
 * the reply's buttons and took the customer's next words away from the question asked.
 */
import { type Activity, ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { t } from '../../i18n/index.js';
import { turnInfo } from '../turnInfo.js';

/**
 * Whether the activity carries a file the customer sent (a photo, a document): an attachment with a link, or of a
 * media type. Teams repeats every message as a `text/html` attachment, and cards are the bot's own: neither counts.
 */
export function sentFiles(activity: Partial<Activity>): boolean {
  return (activity.attachments ?? []).some((a) => {
    const type = a.contentType ?? '';
    if (type.startsWith('text/html') || type.startsWith('application/vnd.microsoft.card.')) return false;
    return Boolean(a.contentUrl) || /^(image|audio|video)\//.test(type);
  });
}

/** `note` and `text` as one message; full-width punctuation needs no space after it. */
function opening(note: string, text: string | undefined): string {
  return text ? `${note}${/[\u3000-\u303f\uff00-\uffef]$/.test(note) ? '' : ' '}${text}` : note;
}

/** Prefixes the turn's first reply with the files note (words and files sent) and the turn's `preface`, if any. */
export class FirstReplyMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (a.type !== ActivityTypes.Message) return next();
    // A message that is only a file gets its own answer from the input middleware.
    const files = typeof a.text === 'string' && a.text.trim() !== '' && sentFiles(a);
    let told = false;
    context.onSendActivities(async (_ctx, activities, send) => {
      const first = told ? undefined : activities.find((r) => r.type === ActivityTypes.Message);
      if (first) {
        told = true;
        const info = turnInfo(context);
        const notes = [info.preface, files ? t(info.locale, 'input.attachmentIgnored') : undefined].filter((n): n is string => Boolean(n));
        // A card with no text (Teams' menu) carries the notes as its text.
        for (const note of notes) first.text = opening(note, first.text);
      }
      return send();
    });
    return next();
  }
}
