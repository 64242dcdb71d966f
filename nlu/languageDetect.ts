/** Language detection restricted to the supported languages; says when a guess is too weak to act on. */
import { Language } from '@nlpjs/language';

const ALPHA3: Record<string, string> = { en: 'eng', es: 'spa', zh: 'cmn', fa: 'fas' };
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/g;
const LETTER = /\p{L}/gu;

/** A detection result. */
export interface Detection {
  lang: string;
  /** Whether the text says enough to switch a conversation's language on it. */
  reliable: boolean;
  score: number;
}

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

/** Detects which supported language a text is in. */
export class LanguageDetector {
  private readonly guesser = new Language();

  constructor(
    private readonly languages: readonly string[],
    private readonly fallback: string,
  ) {}

  detect(text: string): Detection {
    const letters = text.match(LETTER)?.length ?? 0;
    if (letters === 0) return { lang: this.fallback, reliable: false, score: 0 };
    const han = text.match(HAN)?.length ?? 0;
    const arabic = text.match(ARABIC_SCRIPT)?.length ?? 0;
    // Scripts decide outright: among our languages only Chinese uses Han and only Persian the Arabic script.
    if (han / letters > 0.3 && this.languages.includes('zh')) return { lang: 'zh', reliable: han >= 2, score: 1 };
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
    if (rivalVotes - own >= FUNCTION_WORD_LEAD) return { lang: rival, reliable: words >= MIN_WORDS_FOR_LATIN, score: best.score };
    const contested = rivalVotes > own;
    // The words agree with the letters and no other language's words appear: the margin is no reason to doubt it.
    // "how long does shipping take to canada" (three English function words, no Spanish one) was too close to call
    // on letters alone, and a Spanish page answered it "no lo he entendido".
    const undisputed = own >= FUNCTION_WORD_LEAD && rivalVotes === 0;
    return { lang: best.alpha2, reliable: words >= MIN_WORDS_FOR_LATIN && (margin >= MIN_MARGIN || undisputed) && !contested, score: best.score };
  }
}
