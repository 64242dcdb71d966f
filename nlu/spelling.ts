/**
 * Spell correction that leaves real words alone. NLP.js "corrects" every word its corpus never used to the nearest
 * corpus word one edit away, so a correctly spelled word the corpus lacks turns into another intent's vocabulary:
 * "is shipping free over a certain amount" read "certain" as "curtain" and came out a complaint (0.95), "the current
 * situation of my order" read "currency". With a word list of the language, only words it does not know (typos
 * such as "shippment", "passwrd") are corrected.
 */
import { Worker } from 'node:worker_threads';
import type { Container } from '@nlpjs/core';
import { workerSource } from '../bot/workerSource.js';
import { SortedWords } from './sortedWords.js';
import { foldWord, hasWordList } from './wordLists.js';

const loaded = new Map<string, SortedWords>();

/**
 * Loads the word lists of `langs` once per process. They are read on a worker thread: parsing them allocates a string
 * per word, and in the bot's own heap that peak left RSS about 70 MB higher for good; only the finished tables
 * (about 15 MB) cross over.
 */
export async function loadWordLists(langs: readonly string[]): Promise<void> {
  const missing = langs.filter((lang) => hasWordList(lang) && !loaded.has(lang));
  if (!missing.length) return;
  const { source, evaluate } = workerSource(new URL('./wordListWorker.ts', import.meta.url));
  const worker = new Worker(source, { eval: evaluate, workerData: { langs: missing } });
  const tables = await new Promise<Record<string, string[] | undefined>>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the word-list worker exited (${code}) before answering`)));
  });
  await worker.terminate();
  for (const [lang, table] of Object.entries(tables)) if (table) loaded.set(lang, SortedWords.fromTable(table));
}

/** The language's word list, once `loadWordLists` has read it. */
export function wordList(lang: string): SortedWords | undefined {
  return loaded.get(lang);
}

interface Stemmer {
  stemWord(word: string): string;
}

interface SpellCheckInput {
  text?: string;
  utterance?: string;
  tokens: Record<string, number>;
  settings?: { spellCheck?: boolean; spellCheckDistance?: number };
}

interface DomainClassifier {
  settings?: { spellCheck?: boolean; spellCheckDistance?: number };
  spellCheck: { checkToken(token: string, distance: number): string };
  doSpellCheck(input: SpellCheckInput): Promise<SpellCheckInput>;
}

/**
 * Makes each of the language's trained classifiers skip the correction of tokens that come from words in the
 * language's word list (call after the model is trained or loaded). Languages without a list keep NLP.js's behaviour.
 */
export function guardSpellCheck(container: Container, domains: Record<string, object> | undefined, lang: string): void {
  const words = wordList(lang);
  const stemmer = container.get<Stemmer | undefined>(`stemmer-${lang}`);
  if (!words || !stemmer) return;
  for (const classifier of Object.values(domains ?? {}) as DomainClassifier[]) {
    classifier.doSpellCheck = async (input) => {
      const on = input.settings?.spellCheck ?? classifier.settings?.spellCheck;
      if (!on) return input;
      const distance = input.settings?.spellCheckDistance ?? classifier.settings?.spellCheckDistance ?? 1;
      const real = new Set<string>();
      for (const word of (input.text ?? input.utterance ?? '').match(/\p{L}+/gu) ?? []) {
        const folded = foldWord(word);
        if (words.has(folded)) real.add(stemmer.stemWord(folded));
      }
      const tokens: Record<string, number> = {};
      for (const [token, count] of Object.entries(input.tokens)) {
        tokens[real.has(token) ? token : classifier.spellCheck.checkToken(token, distance)] = count;
      }
      input.tokens = tokens;
      return input;
    };
  }
}
