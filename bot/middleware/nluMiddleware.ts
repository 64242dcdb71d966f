/** Runs the recogniser once per customer message; dialogs and the turn log read the result from the turn. */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { IntentLabels } from '../../dialogs/intentLabels.js';
import { forceIntent, type NlpRecognizer } from '../../nlu/recognizer.js';
import { turnInfo } from '../turnInfo.js';

/**
 * The chat commands messaging apps send for their own buttons: Telegram's Start button sends "/start" (also as
 * "/start@ShopBot" in groups, or "/start <payload>" from a link), and bots conventionally answer "/help" and "/menu".
 * Each is a greeting: the hello and the menu. "/start" read as the contact FAQ and asked "which of these did you
 * mean?". A command with words after it ("/help where is my order 10231") is read for the words. Messenger's Get
 * Started button posts back the payload its page set up, conventionally "GET_STARTED" (it got "Sorry, I didn't quite
 * get that").
 */
export const GREETING_COMMAND = /^(?:\/(?:start(?:@\w+)?(?:\s+\S+)?|(?:help|menu)(?:@\w+)?)|GET_STARTED(?:_PAYLOAD)?)$/i;

/** Puts a `SupportRecognition` on every message turn that has text. */
export class NluMiddleware implements Middleware {
  constructor(
    private readonly recognizer: NlpRecognizer,
    private readonly labels: IntentLabels,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const info = turnInfo(context);
    if (context.activity.type === ActivityTypes.Message && info.text) {
      const { text, locale } = info.reading ?? { text: info.text, locale: info.locale };
      const recognition = await this.recognizer.recognizeText(text, locale);
      // Button labels ("Track an order") name their intent exactly; they bypass the classifier.
      const labelled = GREETING_COMMAND.test(text) ? 'greeting' : this.labels.intentOf(text, locale);
      info.recognition = labelled ? forceIntent(recognition, labelled) : recognition;
    }
    return next();
  }
}
