/**
 * The word lists spell correction consults, and what the engine keeps of them: the stems of real words that NLP.js
 * would otherwise "correct" into a corpus word. Computed when the model is trained and cached with it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { containerBootstrap } from '@nlpjs/core';
import { languagePlugin } from './languages.js';

/** Word lists by language (MIT-licensed npm packages: one JSON array of words each, Spanish without accents). */
const WORD_LIST_PACKAGES: Record<string, string> = { en: 'an-array-of-english-words', es: 'an-array-of-spanish-words' };

/** NLP.js's spell checker leaves tokens shorter than this alone. */
const MIN_CORRECTED = 4;

/** Languages that have a word list. */
export function hasWordList(lang: string): boolean {
  return lang in WORD_LIST_PACKAGES;
}

/** The word-list packages and their versions, for the model's cache key. */
export function wordListVersions(): string {
  const require = createRequire(import.meta.url);
  return Object.values(WORD_LIST_PACKAGES)
    .map((pkg) => `${pkg}@${(JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version}`)
    .join(',');
}

/** Lower case without accents: how the lists spell words, and how NLP.js's normalisers prepare them for stemming. */
function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The string and its one-character deletions: two strings within one edit of each other share one of these. */
function deletions(s: string): string[] {
  const out = [s];
  for (let i = 0; i < s.length; i += 1) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

/**
 * Stems of the language's real words that are not corpus features but lie one edit from one: exactly the tokens
 * NLP.js's spell checker would turn into a corpus word ("certain" into "curtain"). Stems the same way the engine's
 * pipeline does (the language's NLP.js stemmer on folded words). Slow (seconds: it stems 275,000 English or 637,000
 * Spanish words), so it runs on a worker thread at training time.
 */
export async function realWordStems(lang: string, features: readonly string[]): Promise<string[]> {
  const pkg = WORD_LIST_PACKAGES[lang];
  if (!pkg) return [];
  const container = await containerBootstrap();
  container.use(languagePlugin(lang));
  const stemmer = container.get<{ stemWord(word: string): string }>(`stemmer-${lang}`);
  const known = new Set(features);
  const near = new Set(features.flatMap(deletions));
  const words = wordList(pkg);
  const out = new Set<string>();
  for (const word of words) {
    const stem = stemmer.stemWord(/^[a-z]*$/.test(word) ? word : foldWord(word));
    // Near in the deletion sense also admits swapped letters, two edits: those are real words too, so keeping them
    // from correction is still right, just not needed.
    if (stem.length >= MIN_CORRECTED && !known.has(stem) && !out.has(stem) && deletions(stem).some((d) => near.has(d))) out.add(stem);
  }
  return [...out].sort();
}

/** A word-list package's words. */
function wordList(pkg: string): string[] {
  return JSON.parse(readFileSync(createRequire(import.meta.url).resolve(pkg), 'utf8')) as string[];
}

/**
 * The candidate language cues (word → the language whose corpus uses it) that are no sign of that language: a word its
 * language's list lacks (brands and loans: "whatsapp", "iphone" in the Spanish corpus) or another language's list has
 * ("app", "ticket", "he", "son", "vale" are English words too). An English customer's "ticket?" got a Spanish answer.
 * Slow (it reads every list), so it runs on the training worker.
 */
export function notCues(candidates: ReadonlyArray<readonly [word: string, lang: string]>): string[] {
  const lists = new Map(Object.entries(WORD_LIST_PACKAGES).map(([lang, pkg]) => [lang, new Set(wordList(pkg).map(foldWord))]));
  return candidates
    .filter(([word, lang]) => {
      const own = lists.get(lang);
      if (own && !own.has(word)) return true;
      return [...lists].some(([other, list]) => other !== lang && list.has(word));
    })
    .map(([word]) => word)
    .sort();
}
