/** Language detection restricted to the supported languages; says when a guess is too weak to act on. */
import { Language } from '@nlpjs/language';
import type { Corpus } from './corpus.js';
import { EMAIL_PATTERN } from './entities.js';

const ALPHA3: Record<string, string> = { en: 'eng', es: 'spa', zh: 'cmn', fa: 'fas' };
/** Languages told apart by their script, not by words or letters. */
const NON_LATIN_LANGUAGES = new Set(['zh', 'fa']);
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/g;
const LETTER = /\p{L}/gu;
/** A run of Latin letters: a word, as far as comparing scripts goes. */
const LATIN_RUN = /\p{Script=Latin}+/gu;

/** A detection result. */
export interface Detection {
  lang: string;
  /** Whether the text says enough to switch a conversation's language on it. */
  reliable: boolean;
  score: number;
  /** Whether the text has words only `lang` uses (two or more) and none that only another language does. */
  undisputed?: boolean;
}

/** The intents whose short utterances are set phrases of their language: "hola", "buenas tardes", "thank you". */
const SET_PHRASE_INTENTS = new Set(['greeting', 'thanks', 'goodbye']);
/** The longest set phrase, in words: longer messages are left to the guesser. */
const SET_PHRASE_WORDS = 3;
/** How many times more often a phrase's language must use it, in all its corpus, than any other language. */
const SET_PHRASE_LEAD = 10;

/** A phrase as the cues key it: lower case, no accents ("adios" is "adiós"), no punctuation, single spaces. */
function phraseKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Letters a set phrase needs: "ey" and "ty" are too short to tell a language by. */
const SET_PHRASE_LETTERS = 3;
/** Latin letters. */
const LATIN = /\p{Script=Latin}/u;

/** What the corpora say about which language a short message is in (`languageCues`). */
export interface LanguageCues {
  /** Set phrases ("hola", "buenas tardes", "thank you") and the language each names. */
  phrases: ReadonlyMap<string, string>;
  /** Words of a Latin-script language's corpus that the other Latin-script corpora (almost) never use. */
  words: ReadonlyMap<string, string>;
}

/** The language a key belongs to: the one whose corpus uses it at least ten times as often as any other's. */
function leadingLanguage(byLang: ReadonlyMap<string, number> | undefined): string | undefined {
  const [[lang, top] = ['', 0], [, next] = ['', 0]] = [...(byLang ?? [])].sort((a, b) => b[1] - a[1]);
  return lang && !NON_LATIN_LANGUAGES.has(lang) && top >= SET_PHRASE_LEAD * next ? lang : undefined;
}

/**
 * The corpora's language cues. Set phrases: the short greetings, thanks and goodbyes of the corpora, each given to the
 * language whose whole corpus uses it, as words, at least ten times as often as any other. "hola" is in the English
 * corpus too (English customers say it) but in 1 English utterance against 193 Spanish ones; "ciao" and "thx" stay
 * unnamed. Words: every word of the Latin-script corpora, given to a language by the same rule (`withoutCues` then
 * drops the words the language's own word list lacks or another's has: "app", "ticket", "whatsapp" in Spanish).
 */
export function languageCues(corpora: ReadonlyMap<string, Corpus>): LanguageCues {
  const counts = new Map<string, Map<string, number>>();
  for (const [lang, corpus] of corpora) {
    for (const item of corpus.data) {
      for (const u of item.utterances) {
        const words = phraseKey(u).split(' ');
        for (let n = 1; n <= SET_PHRASE_WORDS; n++) {
          for (let i = 0; i + n <= words.length; i++) {
            const gram = words.slice(i, i + n).join(' ');
            const byLang = counts.get(gram) ?? new Map<string, number>();
            byLang.set(lang, (byLang.get(lang) ?? 0) + 1);
            counts.set(gram, byLang);
          }
        }
      }
    }
  }
  const phrases = new Map<string, string>();
  for (const [lang, corpus] of corpora) {
    // Chinese and Persian are told by their script; the Latin phrases of their corpora ("thx a lot", "byebye", "3q")
    // are borrowed, and named the language of English customers' first words.
    if (NON_LATIN_LANGUAGES.has(lang)) continue;
    for (const item of corpus.data) {
      if (!SET_PHRASE_INTENTS.has(item.intent)) continue;
      for (const u of item.utterances) {
        const key = phraseKey(u);
        if (!key || key.split(' ').length > SET_PHRASE_WORDS || phrases.has(key)) continue;
        if (!LATIN.test(key) || key.replace(/[^\p{L}]/gu, '').length < SET_PHRASE_LETTERS) continue;
        const named = leadingLanguage(counts.get(key));
        if (named) phrases.set(key, named);
      }
    }
  }
  const words = new Map<string, string>();
  for (const [gram, byLang] of counts) {
    if (gram.includes(' ') || !LATIN_WORD.test(gram)) continue;
    const named = leadingLanguage(byLang);
    if (named) words.set(gram, named);
  }
  return { phrases, words };
}

/** `cues` without the words that name no language (`notCues`, found at training from the word lists). */
export function withoutCues(cues: LanguageCues, notCues: ReadonlySet<string>): LanguageCues {
  return { phrases: cues.phrases, words: new Map([...cues.words].filter(([word]) => !notCues.has(word))) };
}

/** Words of one language, and none of another's, that name a message's language clearly (`wordsLanguage`). */
const CLEAR_CUE_WORDS = 2;
/** A word of Latin letters only, two or more: "a" and "y" say nothing. */
const LATIN_WORD = /^\p{Script=Latin}{2,}$/u;

/** Words a Latin-script message needs before the n-gram guesser is trusted (it is poor on short texts). */
export const MIN_WORDS_FOR_LATIN = 4;
/** How far ahead of the runner-up the best Latin-script guess must be. */
const MIN_MARGIN = 0.15;

/**
 * Short words each Latin-script language cannot do without, and the other rarely uses. The n-gram guesser reads
 * letters, not words: "please transfer me to a live person" came out Spanish and switched the conversation. Words both
 * languages write ("a", "no", "me", "son") are left out.
 */
const FUNCTION_WORDS: Record<string, ReadonlySet<string>> = {
  en: new Set('the an to of in on for with my i you your is are was it this that do does can how what where when why please and or not have has get want need there be from at by just if would could should any'.split(' ')),
  es: new Set('el la los las un una de del que qué en y por para con mi mis te se es está lo le como cómo dónde donde cuando cuándo quiero tengo puedo hola gracias pero muy ya otro otra al su sus algo nada hay más usted'.split(' ')),
};
/** Function words one language needs over another to outvote the n-gram guess. */
const FUNCTION_WORD_LEAD = 2;

/** Each language's count of function words in `text`. */
function functionWordVotes(text: string, languages: readonly string[]): Map<string, number> {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  return new Map(languages.map((l) => [l, words.filter((w) => FUNCTION_WORDS[l]?.has(w)).length]));
}

/** Spanish's inverted question and exclamation marks ("¿…?", "¡…!"): as plain a sign of the language as a script. */
export const SPANISH_OPENING_MARK = /[¿¡]/;

/** Detects which supported language a text is in. */
export class LanguageDetector {
  private readonly guesser = new Language();

  constructor(
    private readonly languages: readonly string[],
    private readonly fallback: string,
    /** What the corpora say about short messages (`languageCues`). */
    private readonly cues: LanguageCues = { phrases: new Map(), words: new Map() },
  ) {}

  /** The supported language a short set phrase ("hola", "buenas tardes", "thank you") belongs to, if it names one. */
  phraseLanguage(text: string): string | undefined {
    const lang = this.cues.phrases.get(phraseKey(text));
    return lang && this.languages.includes(lang) ? lang : undefined;
  }

  /**
   * The supported Latin-script language whose corpus alone uses more of the message's words than any other's does,
   * if one does: "track pkg", "cancel fee?" and "broken item" read as Spanish on their letters, "reembolso?" as
   * English, too short for the guesser either way.
   */
  wordsLanguage(text: string, clear = false): string | undefined {
    const votes = new Map<string, number>();
    for (const word of new Set(phraseKey(text).split(' '))) {
      const lang = this.cues.words.get(word);
      if (lang && this.languages.includes(lang)) votes.set(lang, (votes.get(lang) ?? 0) + 1);
    }
    const [[lang, top] = ['', 0], [, next] = ['', 0]] = [...votes].sort((a, b) => b[1] - a[1]);
    // Clearly: two words or more of one language's and none of another's. So read, none of the 1,335 held-out and
    // terse English and Spanish sentences, nor of the 6,075 corpus ones (a set phrase aside), named the wrong language.
    if (clear) return top >= CLEAR_CUE_WORDS && next === 0 ? lang : undefined;
    return top > next ? lang : undefined;
  }

  /**
   * The language of a message when nothing else names one (no channel locale, no choice): Spanish's opening marks, a
   * script, or a reliable guess; and on the customer's first words (`firstWords`), also a set phrase or the corpora's
   * words. Undefined when none of them says.
   */
  opening(text: string, firstWords = true): string | undefined {
    const phrase = firstWords ? this.phraseLanguage(text) : undefined;
    if (phrase) return phrase;
    if (SPANISH_OPENING_MARK.test(text) && this.languages.includes('es')) return 'es';
    const guess = this.detect(text);
    if (guess.reliable) return this.languages.includes(guess.lang) ? guess.lang : undefined;
    return firstWords && guess.score > 0 && !NON_LATIN_LANGUAGES.has(guess.lang) ? this.wordsLanguage(text) : undefined;
  }

  detect(raw: string): Detection {
    // An email address is no word of the customer's language: "سفارش 10231 کجاست؟ ایمیل maya.patel@example.com" has
    // more Latin letters than Persian ones, and the Persian customer was answered in English.
    const text = raw.replace(EMAIL_PATTERN, ' ');
    const letters = text.match(LETTER)?.length ?? 0;
    if (letters === 0) return { lang: this.fallback, reliable: false, score: 0 };
    const han = text.match(HAN)?.length ?? 0;
    const arabic = text.match(ARABIC_SCRIPT)?.length ?? 0;
    // Scripts decide outright: among our languages only Chinese uses Han and only Persian the Arabic script. A Han
    // character says about as much as a Latin word, so brand names do not outweigh the sentence around them:
    // "iPhone上的Apple Pay你们收吗" (6 Han characters, 14 Latin letters) read as English.
    const latinWords = text.match(LATIN_RUN)?.length ?? 0;
    if ((han / letters > 0.3 || (han >= 2 && han >= latinWords)) && this.languages.includes('zh')) return { lang: 'zh', reliable: han >= 2, score: 1 };
    if (arabic / letters > 0.5 && this.languages.includes('fa')) return { lang: 'fa', reliable: arabic >= 4, score: 1 };
    const latin = this.languages.filter((l) => l !== 'zh' && l !== 'fa');
    if (latin.length === 0) return { lang: this.fallback, reliable: false, score: 0 };
    if (latin.length === 1) return { lang: latin[0] as string, reliable: false, score: 0 };
    const guesses = this.guesser.guess(text, latin.map((l) => ALPHA3[l] ?? l), 2);
    const [best, second] = guesses;
    if (!best) return { lang: this.fallback, reliable: false, score: 0 };
    const words = text.trim().split(/\s+/).length;
    const margin = best.score - (second?.score ?? 0);
    const votes = functionWordVotes(text, latin);
    const own = votes.get(best.alpha2) ?? 0;
    const [rival, rivalVotes] = [...votes].filter(([l]) => l !== best.alpha2).sort((a, b) => b[1] - a[1])[0] ?? [best.alpha2, 0];
    // The words outvote the letters; a smaller lead for another language leaves the guess too weak to act on.
    if (rivalVotes - own >= FUNCTION_WORD_LEAD) return { lang: rival, reliable: words >= MIN_WORDS_FOR_LATIN, score: best.score, undisputed: own === 0 };
    const contested = rivalVotes > own;
    // The words agree with the letters and no other language's words appear: the margin is no reason to doubt it.
    // "how long does shipping take to canada" (three English function words, no Spanish one) was too close to call
    // on letters alone, and a Spanish page answered it "no lo he entendido".
    const undisputed = own >= FUNCTION_WORD_LEAD && rivalVotes === 0;
    return { lang: best.alpha2, reliable: words >= MIN_WORDS_FOR_LATIN && (margin >= MIN_MARGIN || undisputed) && !contested, score: best.score, undisputed };
  }
}
