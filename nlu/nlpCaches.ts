/**
 * Bounds on NLP.js's own caches. Its tokenizers keep every text they see for an hour, its classifiers every text's
 * features for an hour, and its stemmers every word for ever. Live traffic is mostly text that never repeats (order
 * numbers, e-mail addresses, typos), so those caches grew by about 0.6 KB per new message: 36 MB after 60,000
 * messages, and the stemmers' share never came back. Each cache is now emptied once it has taken `max` new
 * entries; a repeat that would have hit costs one recomputation. The engine's own LRUs in front of NLP.js keep the
 * texts that really do repeat.
 */
import type { Container } from '@nlpjs/core';

/** Entries each NLP.js cache may take before it is emptied. */
export const NLP_CACHE_ENTRIES = 10_000;

type Method = (...args: unknown[]) => unknown;

/** Wraps `target[method]` so that once `max` calls have missed the cache (`isHit` false), `reset` empties it. */
function capMisses<T extends object>(target: T, method: string, isHit: (self: T, args: unknown[]) => boolean, reset: (self: T) => void, max: number): void {
  const original = (target as Record<string, unknown>)[method];
  if (typeof original !== 'function') return;
  let misses = 0;
  Object.defineProperty(target, method, {
    configurable: true,
    writable: true,
    value: function capped(this: T, ...args: unknown[]): unknown {
      if (!isHit(this, args)) {
        misses += 1;
        if (misses > max) {
          reset(this);
          misses = 1;
        }
      }
      return (original as Method).apply(this, args);
    },
  });
}

const has = (bag: Record<string, unknown> | undefined, key: unknown): boolean => bag !== undefined && typeof key === 'string' && Object.hasOwn(bag, key);

interface TokenizerCache {
  cache?: { normalized: Record<string, unknown>; nonNormalized: Record<string, unknown> };
}
interface StemmerCache {
  cache?: Record<string, unknown>;
}
interface ClassifierCache {
  cache?: { results: Record<string, Record<string, unknown> | undefined> };
}
interface PrepareInput {
  text?: string;
  utterance?: string;
  settings?: { locale?: string };
}

/** The NLP.js objects holding caches: each language's tokenizer, stemmer and trained classifiers. */
export interface NlpCacheHolders {
  container: Container;
  nluManager?: { domainManagers?: Record<string, { domains?: Record<string, object> }> };
}

/** Caps the caches of every language's tokenizer, stemmer and classifier (call after the model is trained or loaded). */
export function boundNlpCaches(nlp: NlpCacheHolders, langs: readonly string[], max = NLP_CACHE_ENTRIES): void {
  for (const lang of langs) {
    const tokenizer = nlp.container.get<TokenizerCache | undefined>(`tokenizer-${lang}`);
    if (tokenizer) {
      capMisses(
        tokenizer,
        'tokenize',
        (self, [text, normalize]) => has(normalize ? self.cache?.normalized : self.cache?.nonNormalized, text),
        (self) => (self.cache = undefined),
        max,
      );
    }
    const stemmer = nlp.container.get<StemmerCache | undefined>(`stemmer-${lang}`);
    // Only NLP.js's BaseStemmer keeps `cache` (the Persian stemmer bounds its own).
    if (stemmer?.cache && typeof stemmer.cache === 'object' && !(stemmer.cache instanceof Map)) {
      capMisses(stemmer, 'stemWord', (self, [word]) => has(self.cache, `.${String(word)}`), (self) => (self.cache = {}), max);
    }
    for (const classifier of Object.values(nlp.nluManager?.domainManagers?.[lang]?.domains ?? {}) as ClassifierCache[]) {
      capMisses(
        classifier,
        'defaultPipelinePrepare',
        (self, [input]) => {
          const i = input as PrepareInput;
          return has(self.cache?.results[i.settings?.locale ?? ''], i.text || i.utterance);
        },
        (self) => {
          if (self.cache) self.cache.results = {};
        },
        max,
      );
    }
  }
}

/** How many entries NLP.js's caches hold for a language (for tests and diagnostics). */
export function nlpCacheSizes(nlp: NlpCacheHolders, lang: string): { tokenizer: number; stemmer: number; classifier: number } {
  const tokenizer = nlp.container.get<TokenizerCache | undefined>(`tokenizer-${lang}`)?.cache;
  const stemmer = nlp.container.get<StemmerCache | undefined>(`stemmer-${lang}`)?.cache;
  const classifiers = Object.values(nlp.nluManager?.domainManagers?.[lang]?.domains ?? {}) as ClassifierCache[];
  return {
    tokenizer: tokenizer ? Object.keys(tokenizer.normalized).length + Object.keys(tokenizer.nonNormalized).length : 0,
    stemmer: stemmer && !(stemmer instanceof Map) ? Object.keys(stemmer).length : 0,
    classifier: classifiers.reduce((n, c) => n + Object.values(c.cache?.results ?? {}).reduce((m, r) => m + Object.keys(r ?? {}).length, 0), 0),
  };
}
