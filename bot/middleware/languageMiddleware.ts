/**
 * Decides the conversation's language for this turn. In order: the customer's explicit choice ("English please",
 * a language menu), the channel's locale, detection on the first substantial message; else the default. Once chosen
 * or detected it is sticky: NLP.js's guesser is unreliable on short texts, so two words never switch a conversation.
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { catalogue, LOCALE_TAGS, t } from '../../i18n/index.js';
import { normalizePhrase } from '../../dialogs/supportDialog.js';
import type { LanguageDetector } from '../../nlu/languageDetect.js';
import { type ConversationDataAccessor, getConversationData } from '../conversationData.js';
import { cleanText } from './inputMiddleware.js';
import { markTurn, turnInfo } from '../turnInfo.js';

/** Sets `turnInfo(context).locale` and the activity's locale once per turn. */
export class LanguageMiddleware implements Middleware {
  constructor(
    private readonly conversationData: ConversationDataAccessor,
    private readonly supported: readonly string[],
    private readonly defaultLocale: string,
    private readonly detector: LanguageDetector,
  ) {}

  /** The supported language a BCP-47 tag ("es-MX") belongs to, if any. */
  supportedLanguage(tag: string | undefined): string | undefined {
    const lang = tag?.slice(0, 2).toLowerCase();
    return lang && this.supported.includes(lang) ? lang : undefined;
  }

  /** Every phrase that asks for a language, normalised, mapped to that language (built once). */
  private switchPhrases: Map<string, string> | undefined;

  /** The language a message explicitly asks for ("in Spanish please", "中文", "فارسی"), if it is only that. */
  requestedLanguage(text: string): string | undefined {
    // Requests are short: skip the normalisation for everything else.
    if (text.length > 40) return undefined;
    if (!this.switchPhrases) {
      this.switchPhrases = new Map();
      for (const lang of this.supported) {
        for (const p of (catalogue(lang)?.['language.switchWords'] ?? '').split('|')) {
          const key = normalizePhrase(p);
          if (key && !this.switchPhrases.has(key)) this.switchPhrases.set(key, lang);
        }
      }
    }
    const wanted = normalizePhrase(text.replace(/\b(please|pls|por favor)\b/gi, ''));
    return wanted ? this.switchPhrases.get(wanted) : undefined;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const data = await getConversationData(this.conversationData, context);
    const info = turnInfo(context);
    data.customerId ??= info.customerId || undefined;
    const text = context.activity.type === ActivityTypes.Message ? cleanText(String(context.activity.text ?? '')) : '';
    const fromChannel = this.supportedLanguage(context.activity.locale);
    const requested = text ? this.requestedLanguage(text) : undefined;

    if (requested) {
      data.locale = requested;
      data.localeSource = 'chosen';
    } else if (data.localeSource !== 'chosen') {
      if (fromChannel && fromChannel !== data.locale) {
        data.locale = fromChannel;
        data.localeSource = 'channel';
      } else if (!fromChannel && data.localeSource !== 'detected' && text) {
        const guess = this.detector.detect(text);
        // Scripts are decisive even in a short message; Latin-script guesses need a substantial one.
        if (guess.reliable && this.supported.includes(guess.lang)) {
          data.locale = guess.lang;
          data.localeSource = 'detected';
        }
      }
    }
    data.locale ??= this.defaultLocale;
    data.localeSource ??= 'default';
    info.locale = data.locale;
    // botbuilder's prompts recognise yes/no and numbers in the activity's culture: make it the conversation's.
    context.activity.locale = LOCALE_TAGS[data.locale] ?? data.locale;

    if (requested) {
      markTurn(context, 'language', 'answered', { data: { languageChosen: requested } });
      await context.sendActivity(t(requested, 'language.switched'));
      return;
    }
    return next();
  }
}
