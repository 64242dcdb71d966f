/** Runs the recogniser once per customer message; dialogs and the turn log read the result from the turn. */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { catalogue } from '../../i18n/index.js';
import { normalizePhrase } from '../../dialogs/supportDialog.js';
import { forceIntent, type NlpRecognizer } from '../../nlu/recognizer.js';
import { turnInfo } from '../turnInfo.js';

const labelMaps = new Map<string, Map<string, string>>();

/** Button labels ("Track an order") name their intent exactly; they bypass the classifier. */
function labelledIntent(text: string, lang: string): string | undefined {
  let labels = labelMaps.get(lang);
  if (!labels) {
    labels = new Map();
    for (const [key, label] of Object.entries(catalogue(lang) ?? {})) {
      if (key.startsWith('intent.')) labels.set(normalizePhrase(label), key.slice('intent.'.length));
    }
    labelMaps.set(lang, labels);
  }
  return labels.get(normalizePhrase(text));
}

/** Puts a `SupportRecognition` on every message turn that has text. */
export class NluMiddleware implements Middleware {
  constructor(private readonly recognizer: NlpRecognizer) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const info = turnInfo(context);
    if (context.activity.type === ActivityTypes.Message && info.text) {
      const recognition = await this.recognizer.recognizeText(info.text, info.locale);
      const labelled = labelledIntent(info.text, info.locale);
      info.recognition = labelled ? forceIntent(recognition, labelled) : recognition;
    }
    return next();
  }
}
