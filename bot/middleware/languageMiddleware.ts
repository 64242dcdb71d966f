/** Decides the conversation's language for this turn: the customer's choice, the channel's locale, or the default. */
import type { Middleware, TurnContext } from 'botbuilder';
import { type ConversationDataAccessor, getConversationData } from '../conversationData.js';
import { LOCALE_TAGS } from '../../i18n/index.js';
import { turnInfo } from '../turnInfo.js';

/** Sets `turnInfo(context).locale` once per turn; later turns keep the conversation's language (sticky). */
export class LanguageMiddleware implements Middleware {
  constructor(
    private readonly conversationData: ConversationDataAccessor,
    private readonly supported: readonly string[],
    private readonly defaultLocale: string,
  ) {}

  /** The supported language a BCP-47 tag ("es-MX") belongs to, if any. */
  supportedLanguage(tag: string | undefined): string | undefined {
    const lang = tag?.slice(0, 2).toLowerCase();
    return lang && this.supported.includes(lang) ? lang : undefined;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const data = await getConversationData(this.conversationData, context);
    const fromChannel = this.supportedLanguage(context.activity.locale);
    if (!data.locale || (data.localeSource !== 'chosen' && fromChannel && fromChannel !== data.locale)) {
      data.locale = fromChannel ?? this.defaultLocale;
      data.localeSource = fromChannel ? 'channel' : 'default';
    }
    turnInfo(context).locale = data.locale;
    // botbuilder's prompts recognise yes/no and numbers in the activity's culture: make it the conversation's.
    context.activity.locale = LOCALE_TAGS[data.locale] ?? data.locale;
    return next();
  }
}
