/**
 * Decides the conversation's language for this turn. In order: the customer's explicit choice ("English please",
 * a language menu), a message plainly written in another language, the channel's locale; else the default. Once chosen
 * or detected it is sticky: NLP.js's guesser is unreliable on short texts, so two words never switch a conversation.
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { isTimeZone } from '../../i18n/dates.js';
import { catalogue, LOCALE_TAGS, t } from '../../i18n/index.js';
import { normalizePhrase } from '../../dialogs/supportDialog.js';
import { splitClauses, splitSentences } from '../../nlu/engine.js';
import { type LanguageDetector, MIN_WORDS_FOR_LATIN, SPANISH_OPENING_MARK } from '../../nlu/languageDetect.js';
import { type ConversationDataAccessor, getConversationData } from '../conversationData.js';
import { cleanText } from './inputMiddleware.js';
import { GREETING_COMMAND } from './nluMiddleware.js';
import { markTurn, turnInfo } from '../turnInfo.js';

/**
 * Words a Latin-script message needs to overrule the channel's language or an earlier guess: none of the 1,342 English
 * corpus and held-out sentences that long read reliably as Spanish; from four words on, six did. Four will do when
 * their function words leave the guess undisputed (for the conversation until the customer has written four words
 * in one message, for that message alone after): of the corpus and held-out sentences of four or five words,
 * none of 941 English ones reads so as Spanish, nor any of 1,521 Spanish ones as English ("necesito ayuda con una
 * devolución" on an English Telegram app got "Sorry, I didn't quite get that").
 */
const OVERRIDE_WORDS = 6;
/** Scripts that name their language outright among ours (Han, Arabic). */
const NON_LATIN = /[\u3400-\u9fff\u0600-\u06ff]/;

/** Han characters: Chinese phrases are matched without word boundaries. */
const HAN = /[\u3400-\u9fff]/;
/**
 * The longest message read for a request for a language: one beside a question ("can we speak spanish? where is order
 * 10401") runs past the 80 characters a request alone needs.
 */
const MAX_REQUEST_CHARS = 200;

/** Whether the normalised `text` holds the request phrase `needle` (padded with spaces unless it is Chinese). */
function asks(needle: string, text: string): boolean {
  return ` ${text} `.includes(needle);
}

/** The language a message is written in, and whether it sets the conversation's or only its own. */
interface Written {
  lang: string;
  sticky: boolean;
}

/** Space-separated words in a message. */
function wordsIn(text: string): number {
  return text.trim().split(/\s+/).length;
}

/** Sets `turnInfo(context).locale` and the activity's locale once per turn. */
export class LanguageMiddleware implements Middleware {
  constructor(
    private readonly conversationData: ConversationDataAccessor,
    private readonly supported: readonly string[],
    private readonly defaultLocale: string,
    private readonly detector: LanguageDetector,
    /** Whether a person has (or is about to have) the conversation: then a request for a language is theirs to answer. */
    private readonly handedOver: (conversationId: string, channelId: string) => Promise<boolean> = async () => false,
    /** Whether words in a language ask the bot for something it does (a task the NLU reads, not small talk). */
    private readonly asksTask: (text: string, lang: string) => Promise<boolean> = async () => false,
    /** Asks the question the customer was answering again, in the turn's language; false when none was open. */
    private readonly askAgain: (context: TurnContext) => Promise<boolean> = async () => false,
  ) {}

  /** The supported language a BCP-47 tag ("es-MX") belongs to, if any. */
  supportedLanguage(tag: string | undefined): string | undefined {
    const lang = tag?.slice(0, 2).toLowerCase();
    return lang && this.supported.includes(lang) ? lang : undefined;
  }

  /**
   * The language a message explicitly asks for ("in Spanish please", "中文", "فارسی"), if it is only that, or asks for
   * in passing; then `rest` holds the message's other clauses, if it has any.
   */
  languageRequest(text: string): { lang: string; rest?: string } | undefined {
    // Requests are short, and those beside a question not much longer: skip the normalisation for everything else.
    if (text.length > MAX_REQUEST_CHARS) return undefined;
    const phrases = this.phrases();
    const wanted = normalizePhrase(text.replace(/\b(please|pls|por favor)\b/gi, ''));
    if (!wanted) return undefined;
    const whole = phrases.whole.get(wanted);
    if (whole) return { lang: whole };
    // With its "please" a phrase that only names a language asks for it, in a sentence too: "in Spanish please, it has
    // nothing to do with an order" was taken for the answer to the question.
    const said = normalizePhrase(text);
    const readings = said === wanted ? [wanted] : [wanted, said];
    const asked = new Set(phrases.passing.filter(({ needle }) => readings.some((r) => asks(needle, r))).map(({ lang }) => lang));
    if (asked.size !== 1) return undefined;
    const [lang] = asked as Set<string>;
    // Every clause that asks for a language goes: what is left is the customer's other business, if any.
    const rest = splitSentences(text)
      .map((sentence) => splitClauses(sentence).filter((clause) => !phrases.passing.some(({ needle }) => asks(needle, normalizePhrase(clause)))).join(', '))
      .filter((sentence) => /\p{L}/u.test(sentence))
      .join(' ');
    return { lang: lang as string, ...(rest ? { rest } : {}) };
  }

  /**
   * Every phrase that asks for a language, normalised, mapped to that language (`whole`), and those of two words or
   * more (three Han characters) that ask for it within a longer message (`passing`), built once. A phrase that only
   * names the language ("in english", "用中文") asks for it said alone, but inside a sentence may say what something is
   * written in: "el manual viene en inglés y no lo entiendo" switched a Spanish customer to English.
   */
  private phrases(): { whole: Map<string, string>; passing: Array<{ needle: string; lang: string }> } {
    if (this.requestPhrases) return this.requestPhrases;
    const whole = new Map<string, string>();
    const passing: Array<{ needle: string; lang: string }> = [];
    for (const lang of this.supported) {
      const mentions = new Set((catalogue(lang)?.['language.mentionWords'] ?? '').split('|').map(normalizePhrase));
      for (const p of (catalogue(lang)?.['language.switchWords'] ?? '').split('|')) {
        const key = normalizePhrase(p);
        if (!key || whole.has(key)) continue;
        whole.set(key, lang);
        if (mentions.has(key)) continue;
        // Chinese is unspaced: its phrase matches anywhere; others match whole words, padded with spaces.
        if (HAN.test(key) ? key.length >= 3 : /\s/.test(key)) passing.push({ needle: HAN.test(key) ? key : ` ${key} `, lang });
      }
    }
    this.requestPhrases = { whole, passing };
    return this.requestPhrases;
  }

  private requestPhrases: { whole: Map<string, string>; passing: Array<{ needle: string; lang: string }> } | undefined;

  /**
   * The supported language a message is plainly written in, if any. With nothing established yet (`first`), a
   * reliable guess will do: scripts are decisive even in a short message, Latin-script guesses need a substantial one.
   * Against the channel's locale or an earlier guess, a Latin-script guess needs a longer message: a Chinese sentence on
   * an English page got "Sorry, I didn't quite get that" in English, but short English phrases ("ok cool, thx a lot")
   * can read as Spanish.
   */
  private writtenIn(text: string, first: boolean, opening: { firstMessage: boolean; nothingLong: boolean; unsettled: boolean }): Written | undefined {
    // With nothing established, the message's own signs decide; on the customer's first words, down to a set phrase or
    // a word only one corpus uses: "hola", "buenas tardes" and "reembolso?" got English and kept it. Later, "gracias" in
    // an English chat is a word, not a switch; and against a channel's locale "hi" is everybody's greeting (a Chinese
    // app's "hi" got English).
    if (first) {
      const lang = this.detector.opening(text, opening.firstMessage);
      return lang ? { lang, sticky: true } : undefined;
    }
    // Spanish alone opens a question or an exclamation with its mark turned over: as plain a sign as a script. After
    // "english please", "¿cuánto cuesta el envío?" (four words) got "Sorry, I didn't quite get that" in English.
    if (SPANISH_OPENING_MARK.test(text) && this.supported.includes('es')) return { lang: 'es', sticky: true };
    // The customer's first words against the channel's locale (often the browser's or the app's, not the customer's):
    // two words or more that only one language's corpus uses, and none of another's, name it. "mi pedido no llega" on
    // an English app was read in English, its "no" as a goodbye. First words run on until one message is long: after
    // "hola" (one word, answered in English), "quiero ayuda" got the English fallback.
    const voted = (opening.firstMessage || opening.nothingLong) && opening.unsettled ? this.detector.wordsLanguage(text, true) : undefined;
    if (voted) return { lang: voted, sticky: true };
    const script = NON_LATIN.test(text);
    const words = wordsIn(text);
    // Too short to overrule anything: skip the guesser (a letter n-gram pass over every language, on the turn path).
    if (!script && words < MIN_WORDS_FOR_LATIN) return undefined;
    const guess = this.detector.detect(text);
    if (!guess.reliable || !this.supported.includes(guess.lang)) return undefined;
    if (script || words >= OVERRIDE_WORDS) return { lang: guess.lang, sticky: true };
    if (!guess.undisputed) return undefined;
    // Four undisputed words: until the customer has written four words in one message they set the language ("hola",
    // then "necesito ayuda con una devolución" on an English app). Later they set only this message's: four English
    // words in a Spanish chat ("I don't have it", at the verification question) made it English, and the next "no
    // sé" was read as a no and ended the chat; kept for good, no Spanish after "hi can you help me" was understood.
    return { lang: guess.lang, sticky: opening.nothingLong };
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const data = await getConversationData(this.conversationData, context);
    const info = turnInfo(context);
    data.customerId ??= info.customerId || undefined;
    const text = context.activity.type === ActivityTypes.Message ? cleanText(String(context.activity.text ?? '')) : '';
    const fromChannel = this.supportedLanguage(context.activity.locale);
    const request = text ? this.languageRequest(text) : undefined;
    const requested = request?.lang;
    const before = data.locale ?? fromChannel ?? this.defaultLocale;
    let written: Written | undefined;

    if (requested) {
      data.locale = requested;
      data.localeSource = 'chosen';
    } else {
      // A language the customer chose still yields to a message plainly written in another, as a detected one does:
      // after "english please", "运费多少钱" got "Sorry, I didn't quite get that", and Persian sentences after "中文" got
      // Chinese fallbacks until the customer was offered a person. The channel's locale never overrules a choice.
      const established = data.localeSource === 'detected' || data.localeSource === 'chosen';
      // Unsettled: no choice and no detection yet, only the channel's locale or the default.
      const opening = { firstMessage: !data.wrote, nothingLong: !data.wroteLong, unsettled: !established };
      // Telegram's "/start" and Messenger's GET_STARTED are commands, not words: "start" is an English word.
      written = text && !GREETING_COMMAND.test(text) ? this.writtenIn(text, !fromChannel && !established, opening) : undefined;
      if (written?.sticky && written.lang !== data.locale) {
        data.locale = written.lang;
        data.localeSource = 'detected';
      } else if (fromChannel && fromChannel !== data.locale && !established) {
        data.locale = fromChannel;
        data.localeSource = 'channel';
      }
    }
    // Telegram's "/start" comes before the customer's first words, and "10231" or "👋" may: neither says a language.
    if (/\p{L}/u.test(text) && !GREETING_COMMAND.test(text)) data.wrote = true;
    if (text && (NON_LATIN.test(text) || wordsIn(text) >= MIN_WORDS_FOR_LATIN)) data.wroteLong = true;
    data.locale ??= this.defaultLocale;
    data.localeSource ??= 'default';
    // This message's own language, when it says so plainly but not for good.
    info.locale = written && !written.sticky ? written.lang : data.locale;
    // The customer's clock, for "tomorrow" and promised times: a customer in Sydney was told a parcel due today would
    // come "tomorrow", counted in the shop's zone.
    const zone = (context.activity as { localTimezone?: unknown }).localTimezone;
    if (isTimeZone(zone)) data.timeZone = zone;
    if (data.timeZone) info.timeZone = data.timeZone;
    // botbuilder's prompts recognise yes/no and numbers in the activity's culture: make it this message's language.
    context.activity.locale = LOCALE_TAGS[info.locale] ?? info.locale;

    // During a handoff the request goes on to the person like any other message, in the language it asks for: the bot
    // answered "我不会说英语，可以说中文吗" itself, in the middle of an agent's chat, and the agent never saw it.
    if (requested && !(await this.handedOver(context.activity.conversation.id, context.activity.channelId))) {
      info.data = { ...info.data, languageChosen: requested };
      // Asked beside a question, the question is answered too, read in the words' own language: "can we speak spanish?
      // where is order 10401" got "¡Claro! Seguimos en español. ¿En qué puedo ayudarte?" and the order went unasked.
      const readIn = request.rest && (this.detector.opening(request.rest) ?? before);
      if (request.rest && readIn && (await this.asksTask(request.rest, readIn))) {
        info.reading = { text: request.rest, locale: readIn };
        // The answer opens with it: a message of its own went out before the question was read, and the log lost the
        // message's intent and outcome.
        if (requested !== before) info.preface = t(requested, 'language.continuing');
        return next();
      }
      markTurn(context, 'language', 'answered');
      // In the middle of a question, the question again in the new language: "Sure, I'll continue in English. What
      // is it about?" A Spanish complaint's category question came back in Spanish, with Spanish buttons.
      info.preface = t(requested, 'language.continuing');
      if (await this.askAgain(context)) return;
      delete info.preface;
      // "What can I help you with?" withdraws what was offered before: after "a person can help (Talk to a person)",
      // "en español" and then "vale" queued the customer for a person the Spanish reply had not offered.
      data.offeredChoices = undefined;
      await context.sendActivity(t(requested, 'language.switched'));
      return;
    }
    return next();
  }
}
