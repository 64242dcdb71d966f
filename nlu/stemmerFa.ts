/**
 * Persian word endings for the classifier. NLP.js's Persian stemmer leaves words unchanged, and Persian attaches
 * plural and possessive endings to the noun: a customer's "پشتیبانی‌تون" or "سفارشامو" is a word the corpus may never
 * have seen although "پشتیبانی" and "سفارش" are in it. A dictionary-free suffix stripper mangles stems ("کارت" card →
 * "کار" work), so this one only touches words the training corpus does not contain, and strips an ending only when
 * what remains is a word it does contain. Known words are left as they are (measured: stripping them too did not help).
 */

/** Endings tried on an unseen word, longest first; "ا" is the colloquial plural ("سفارشامو": my orders). */
const ENDINGS = [
  'هایتان', 'هایشان', 'هایمان', 'هاتون', 'هاشون', 'هامون', 'هامو', 'هاتو', 'هاشو', 'هارو',
  'امون', 'اتون', 'اشون', 'امو', 'اتو', 'اشو', 'ارو',
  'هایی', 'های', 'ها', 'ات', 'تون', 'شون', 'مون', 'مو', 'شو', 'تو', 'رو', 'ام', 'اش', 'ای', 'یم', 'ید', 'ند',
  'م', 'ش', 'ت', 'ی', 'و', 'ه', 'ا',
] as const;
/** Shortest stem an ending may leave: two-letter remains are mostly function words ("روش" → "رو"). */
const MIN_STEM = 3;

/** Vocabulary-checked suffix stripping, with the `stem`/`stemWord` interface NLP.js calls as `stemmer-fa`. */
export class PersianStemmer {
  readonly name = 'stemmer-fa';
  private readonly cache = new Map<string, string>();

  /** `vocabulary`: the training corpus's tokens, as the Persian tokenizer produces them. */
  constructor(private readonly vocabulary: ReadonlySet<string>) {}

  stemWord(word: string): string {
    if (this.vocabulary.has(word)) return word;
    const hit = this.cache.get(word);
    if (hit !== undefined) return hit;
    let out = word;
    for (const ending of ENDINGS) {
      if (word.length - ending.length < MIN_STEM || !word.endsWith(ending)) continue;
      const stem = word.slice(0, -ending.length);
      if (this.vocabulary.has(stem)) {
        out = stem;
        break;
      }
    }
    if (this.cache.size < 50_000) this.cache.set(word, out);
    return out;
  }

  stem(tokens: string[]): string[] {
    return tokens.map((t) => this.stemWord(t));
  }
}
