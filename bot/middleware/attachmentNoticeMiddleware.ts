/**
 * A photo sent with its words: the words were answered and the photo dropped without a word, and the customer took it
 * that the team had it. The turn's first reply now opens by saying the file was not opened. Registered before the
 * turn log, so the log holds the reply as the customer saw it; a separate note after the reply hid the reply's buttons
 * and took the customer's next words away from the question asked.
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

/** Prefixes the first reply to a message that came with words and files with a note that the files were not opened. */
export class AttachmentNoticeMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    // A message that is only a file gets its own answer from the input middleware.
    if (a.type === ActivityTypes.Message && typeof a.text === 'string' && a.text.trim() && sentFiles(a)) {
      let told = false;
      context.onSendActivities(async (_ctx, activities, send) => {
        const first = told ? undefined : activities.find((r) => r.type === ActivityTypes.Message);
        if (first) {
          // A card with no text (Teams' menu) carries the note as its text. Full-width punctuation needs no space.
          const note = t(turnInfo(context).locale, 'input.attachmentIgnored');
          first.text = first.text ? `${note}${/[\u3000-\u303f\uff00-\uffef]$/.test(note) ? '' : ' '}${first.text}` : note;
          told = true;
        }
        return send();
      });
    }
    return next();
  }
}
