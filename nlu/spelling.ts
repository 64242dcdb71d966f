/**
 * Spell correction that leaves real words alone. NLP.js "corrects" every word its corpus never used to the nearest
 * corpus word one edit away, so a correctly spelled word the corpus lacks turns into another intent's vocabulary:
 * "is shipping free over a certain amount" read "certain" as "curtain" and came out a complaint (0.95), "how do I
 * bake bread" read "take". With the stems of the language's real words that are at risk (found at training time from
 * a word list, `nlu/wordLists.ts`), only words the language does not have (typos such as "refunnd") are corrected.
 */
import { Worker } from 'node:worker_threads';
import { workerSource } from '../bot/workerSource.js';
import { unstretchedBy } from './normalize.js';
import { hasWordList } from './wordLists.js';

/** What training learns from the word lists (`nlu/wordLists.ts`). */
export interface WordListFacts {
  /** Per language, the real-word stems at risk of spell correction. */
  realWordStems: Record<string, string[]>;
  /** Corpus words that do not name a language (`notCues`). */
  notCues: string[];
}

/**
 * The real-word stems at risk for each language that has a word list, given its corpus features, and which of the
 * candidate language cues are no cues. Runs on a worker thread: stemming 900,000 words takes seconds and allocates a
 * string per word, which in the bot's own heap left RSS about 70 MB higher for good.
 */
export async function findWordListFacts(featuresByLang: Record<string, string[]>, cues: ReadonlyMap<string, string>): Promise<WordListFacts> {
  const jobs = Object.entries(featuresByLang)
    .filter(([lang]) => hasWordList(lang))
    .map(([lang, features]) => ({ lang, features }));
  if (!jobs.length && !cues.size) return { realWordStems: {}, notCues: [] };
  const { source, evaluate } = workerSource(new URL('./wordListWorker.ts', import.meta.url));
  const worker = new Worker(source, { eval: evaluate, workerData: { jobs, cues: [...cues] } });
  try {
    return await new Promise<WordListFacts>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the word-list worker exited (${code}) before answering`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** Tokens shorter than this are never corrected: NLP.js's own limit ("teh" stays). */
const MIN_CORRECTED = 4;

/**
 * A token as NLP.js's spell checker corrects it, or else as the one feature that two neighbouring letters swapped
 * would give, as it is or stemmed (`stem`): its edit distance counts a swap as two edits, so "emial" and "chnage"
 * stayed unknown and "how to chnage my emial on the account" read as invoices (1.0), "talk to a humna" as a goodbye.
 */
function corrected(spellCheck: DomainClassifier['spellCheck'], token: string, distance: number, stem?: (word: string) => string): string {
  const read = spellCheck.checkToken(token, distance);
  if (read !== token || spellCheck.features[token] || token.length < MIN_CORRECTED) return read;
  const swapped = new Set<string>();
  for (let i = 0; i + 1 < token.length; i += 1) {
    if (token[i] === token[i + 1]) continue;
    const candidate = token.slice(0, i) + token[i + 1] + token[i] + token.slice(i + 2);
    const feature = [candidate, stem?.(candidate)].find((c) => c && spellCheck.features[c]);
    if (feature) swapped.add(feature);
  }
  return swapped.size === 1 ? ([...swapped][0] as string) : token;
}

interface SpellCheckInput {
  tokens: Record<string, number>;
  settings?: { spellCheck?: boolean; spellCheckDistance?: number };
}

interface DomainClassifier {
  settings?: { spellCheck?: boolean; spellCheckDistance?: number };
  spellCheck: { features: Record<string, number>; checkToken(token: string, distance: number): string };
  doSpellCheck(input: SpellCheckInput): Promise<SpellCheckInput>;
}

/**
 * A stretched token ("hellooooo") as the word it stretches: its runs cut to two letters, then to one, where the
 * classifier knows the result, else the one-letter form for spell correction ("thanksss" → "thanks" → "thank").
 * Correction alone cannot reach it: every extra letter is an edit, and "hellooooo" read as None (1.0).
 */
export function unstretched(token: string, features: Readonly<Record<string, unknown>>): string | undefined {
  return unstretchedBy(token, (candidate) => !!features[candidate]);
}

/**
 * Makes the language's trained classifiers leave the tokens in `realStems` uncorrected, and read a stretched token as
 * the word it stretches (call after training or loading).
 */
export function guardSpellCheck(domains: Record<string, object> | undefined, realStems: ReadonlySet<string>, stem?: (word: string) => string): void {
  for (const classifier of Object.values(domains ?? {}) as DomainClassifier[]) {
    classifier.doSpellCheck = async (input) => {
      const on = input.settings?.spellCheck ?? classifier.settings?.spellCheck;
      if (!on) return input;
      const distance = input.settings?.spellCheckDistance ?? classifier.settings?.spellCheckDistance ?? 1;
      const { spellCheck } = classifier;
      const tokens: Record<string, number> = {};
      for (const [token, count] of Object.entries(input.tokens)) {
        const read = realStems.has(token) ? token : corrected(spellCheck, unstretched(token, spellCheck.features) ?? token, distance, stem);
        tokens[read] = count;
      }
      input.tokens = tokens;
      return input;
    };
  }
}
