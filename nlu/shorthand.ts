/**
 * Chat shorthand ("u", "pls", "acct", "xq"): each language's corpus lists its own, and every text is read with them
 * spelled out before training and classification. The classifier only knows the words its utterances use, so "can u
 * tell me where my parcel is" read as None (0.60) while "can you tell me where my parcel is" read as order status
 * (0.93); listing a word once beats adding a shorthand copy of every utterance that might contain it.
 */

/**
 * Whole-word expansions of one language (a key may be a phrase: "were is"); case-insensitive, and never inside a word or
 * a placeholder ("@email").
 */
export class Shorthand {
  private readonly pattern: RegExp | undefined;
  private readonly words: ReadonlyMap<string, string>;

  constructor(words: Readonly<Record<string, string>> = {}) {
    this.words = new Map(Object.entries(words).map(([short, long]) => [short.toLowerCase(), long]));
    const keys = [...this.words.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    // Letters, digits, apostrophes and "@" continue a word, so "u" in "you", "u'll", "@user" or "ur@mail.com" stays.
    this.pattern = keys.length ? new RegExp(`(?<![\\p{L}\\p{N}\\p{M}@'’])(?:${keys.join('|')})(?![\\p{L}\\p{N}\\p{M}@'’])`, 'giu') : undefined;
  }

  /** `text` with every listed word spelled out. */
  expand(text: string): string {
    return this.pattern ? text.replace(this.pattern, (word) => this.words.get(word.toLowerCase()) ?? word) : text;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
