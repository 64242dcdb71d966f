/**
 * Spell correction that leaves real words alone. NLP.js "corrects" every word its corpus never used to the nearest
 * corpus word one edit away, so a correctly spelled word the corpus lacks turns into another intent's vocabulary:
 * "is shipping free over a certain amount" read "certain" as "curtain" and came out a complaint (0.95), "the current
 * situation of my order" read "currency". With a word list of the language, only words it does not know (typos
 * such as "shippment", "passwrd") are corrected.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Container } from '@nlpjs/core';
import { SortedWords } from './languages.js';

/** Word lists by language (MIT-licensed npm packages: one JSON array of words each, Spanish without accents). */
const WORD_LIST_PACKAGES: Record<string, string> = { en: 'an-array-of-english-words', es: 'an-array-of-spanish-words' };

/** Longer words are never in the lists' useful part; leaving them out keeps the table small. */
const MAX_WORD = 24;

/** Lower case without accents: how the lists spell words, and how NLP.js's normalisers prepare them for stemming. */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const loaded = new Map<string, SortedWords | null>();

/** The language's word list (read once per process), or undefined when it has none. */
export function wordList(lang: string): SortedWords | undefined {
  if (!loaded.has(lang)) {
    const pkg = WORD_LIST_PACKAGES[lang];
    let words: SortedWords | null = null;
    if (pkg) {
      // Read rather than required: the parsed arrays (275,000 English and 637,000 Spanish strings, tens of MB the
      // collector would mark for ever) go once their words are in the table. Only words beyond a-z need folding ("ñ").
      const file = createRequire(import.meta.url).resolve(pkg);
      const list = JSON.parse(readFileSync(file, 'utf8')) as string[];
      words = new SortedWords(list.map((w) => (/^[a-z]*$/.test(w) ? w : foldWord(w))), MAX_WORD);
    }
    loaded.set(lang, words);
  }
  return loaded.get(lang) ?? undefined;
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
