/** The word lists spell correction checks words against, read from their npm packages into `SortedWords` tables. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SortedWords } from './sortedWords.js';

/** Word lists by language (MIT-licensed npm packages: one JSON array of words each, Spanish without accents). */
const WORD_LIST_PACKAGES: Record<string, string> = { en: 'an-array-of-english-words', es: 'an-array-of-spanish-words' };

/** Longer words are never in the lists' useful part; leaving them out keeps the table small. */
const MAX_WORD = 24;

/** Languages that have a word list. */
export function hasWordList(lang: string): boolean {
  return lang in WORD_LIST_PACKAGES;
}

/** Lower case without accents: how the lists spell words, and how NLP.js's normalisers prepare them for stemming. */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Reads the language's list into a table (`SortedWords.table()`). Parsing allocates a string per word (900,000 for
 * both lists, about 150 MB at the peak), which is why the bot does it on a worker thread.
 */
export function readWordTable(lang: string): string[] | undefined {
  const pkg = WORD_LIST_PACKAGES[lang];
  if (!pkg) return undefined;
  const list = JSON.parse(readFileSync(createRequire(import.meta.url).resolve(pkg), 'utf8')) as string[];
  // The lists are lower case and unaccented; only words beyond a-z ("ñ") need folding.
  return new SortedWords(list.map((w) => (/^[a-z]*$/.test(w) ? w : foldWord(w))), MAX_WORD).table();
}
