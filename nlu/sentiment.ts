/**
 * Sentiment: NLP.js's lexicon analyser, with our customer-support lexicon layered over the package's
 * dictionary and negation limited to the few words after it (NLP.js flips everything to the sentence end).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Container } from '@nlpjs/core';
import { SentimentAnalyzer } from '@nlpjs/sentiment';
import { z } from 'zod';
import { parseDocument } from '../storage/jsonDb.js';
import { normalizeScript, unstretchedBy } from './normalize.js';

const LEXICON_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sentiment');

/** Sentiment of one text: score in [-1, 1] and its label. */
export interface Sentiment {
  score: number;
  label: 'negative' | 'neutral' | 'positive';
}

/** Our per-language lexicon file (`nlu/sentiment/<lang>.json`). */
export const LexiconSchema = z.object({
  locale: z.string(),
  /** Words that flip the polarity of the next few words. */
  negations: z.array(z.string()),
  /** Words that strengthen the next polar word. */
  intensifiers: z.array(z.string()).default([]),
  /** Domain words and phrases with weights in [-1, 1]; they override the package dictionary. */
  words: z.record(z.string(), z.number().min(-1).max(1)),
  /** Whether the package's own dictionary is used underneath ours. */
  useBase: z.boolean().default(true),
  /** Package entries weaker than this are dropped: the general-purpose lists rate everyday words ("order", "all"). */
  baseMinWeight: z.number().min(0).max(1).default(0),
});
export type Lexicon = z.infer<typeof LexiconSchema>;

/** Where a clause ends: commas, stops, semicolons, question and exclamation marks, in Latin, CJK and Arabic script. */
const CLAUSE_BREAK = /[,.;:!?，。；：！？、،؛؟]+/u;
/** Tokens after a negation whose polarity it flips. */
const NEGATION_SCOPE = 2;
/** Longest phrase, in tokens, the lexicon may hold. */
const MAX_PHRASE_TOKENS = 5;
/** A text is labelled polar only beyond this normalised score. */
export const LABEL_THRESHOLD = 0.15;

interface Dictionary {
  /** Our lexicon, by exact lower-case word: "helpful" and "help" must not share a weight. */
  words: Record<string, number>;
  /** The package dictionary, by stem when `stem` is set. */
  base: Record<string, number>;
  stem?: (word: string) => string;
  negations: Set<string>;
  intensifiers: Set<string>;
}

interface PackageDictionaries {
  senticon?: Record<string, number>;
  afinn?: Record<string, number>;
  negations?: { words: string[] };
  stemmed?: boolean;
}

/** Loads `nlu/sentiment/<lang>.json` when present. */
export function loadLexicon(lang: string, dir = LEXICON_DIR): Lexicon | undefined {
  const file = path.join(dir, `${lang}.json`);
  if (!existsSync(file)) return undefined;
  return parseDocument(file, readFileSync(file, 'utf8'), LexiconSchema, { kind: 'source' });
}

/**
 * NLP.js's analyser with a two-level lookup (our word list, then the package's stemmed dictionary), a negation
 * that flips only the next polar word within a short window, and intensifiers.
 */
class ScopedSentimentAnalyzer extends SentimentAnalyzer {
  constructor(
    container: Container,
    private readonly dictionaries: Map<string, Dictionary>,
  ) {
    super({ container });
  }

  /** Unstemmed tokens from the language's NLP.js tokenizer (after script folding); stemming happens per lookup. */
  override prepare(locale: string, raw: string): string[] {
    const text = normalizeScript(raw);
    const tokenizer = this.container.get<{ tokenize(t: string, normalize?: boolean): string[] } | undefined>(`tokenizer-${locale}`);
    return tokenizer ? tokenizer.tokenize(text, true) : text.toLowerCase().split(/[\s,.!?;:()"']+/).filter(Boolean);
  }

  /** The longest lexicon phrase (2–5 tokens) starting at `i`. */
  private phraseAt(dict: Dictionary, tokens: string[], i: number): { value: number; length: number } | undefined {
    for (let n = Math.min(MAX_PHRASE_TOKENS, tokens.length - i); n >= 2; n -= 1) {
      const value = dict.words[tokens.slice(i, i + n).join(' ')];
      if (value !== undefined) return { value, length: n };
    }
    return undefined;
  }

  override calculate(input: { locale: string; tokens: string[] | Record<string, unknown>; sentiment?: unknown }) {
    const dict = this.dictionaries.get(input.locale);
    const tokens = Array.isArray(input.tokens) ? input.tokens : Object.keys(input.tokens ?? {});
    let score = 0;
    let hits = 0;
    let negatedFor = 0;
    let boost = 1;
    // "sooo baaad" carries what "so bad" does.
    const known = (word: string) => !!dict && (dict.words[word] !== undefined || dict.base[dict.stem ? dict.stem(word) : word] !== undefined || dict.intensifiers.has(word) || dict.negations.has(word));
    const lower = tokens.map((t) => t.toLowerCase()).map((t) => unstretchedBy(t, known) ?? t);
    for (let i = 0; dict && i < lower.length; i += 1) {
      const token = lower[i] as string;
      // Phrases first ("no problem", "made my day", "could not be happier"): they outrank their words.
      const phrase = this.phraseAt(dict, lower, i);
      if (phrase) {
        score += boost * phrase.value;
        hits += 1;
        boost = 1;
        negatedFor = 0;
        i += phrase.length - 1;
        continue;
      }
      if (dict.negations.has(token)) {
        negatedFor = NEGATION_SCOPE;
        continue;
      }
      if (dict.intensifiers.has(token)) {
        boost = 1.5;
        continue;
      }
      const value = dict.words[token] ?? dict.base[dict.stem ? dict.stem(token) : token];
      if (value !== undefined && value !== 0) {
        // "not bad" is mildly positive, not as positive as "good": negation halves as it flips.
        score += (negatedFor > 0 ? -0.5 : 1) * boost * value;
        hits += 1;
        boost = 1;
        // A negation governs the first polar word after it ("not bad, actually good").
        negatedFor = 0;
        continue;
      }
      if (negatedFor > 0) negatedFor -= 1;
    }
    input.sentiment = { score, numWords: tokens.length, numHits: hits, average: tokens.length ? score / tokens.length : 0, locale: input.locale };
    return input;
  }
}

/** Computes sentiment per language; built once per NLU container. */
export class SentimentService {
  private readonly analyzer: ScopedSentimentAnalyzer;
  private readonly dictionaries = new Map<string, Dictionary>();

  constructor(
    private readonly container: Container,
    langs: readonly string[],
    lexiconDir = LEXICON_DIR,
  ) {
    this.analyzer = new ScopedSentimentAnalyzer(container, this.dictionaries);
    for (const lang of langs) this.dictionaries.set(lang, this.build(lang, loadLexicon(lang, lexiconDir)));
  }

  /** Languages that have a non-empty dictionary (the others would silently score 0). */
  languagesWithDictionary(): string[] {
    return [...this.dictionaries]
      .filter(([, d]) => Object.keys(d.words).length + Object.keys(d.base).length > 0)
      .map(([l]) => l);
  }

  private build(lang: string, lexicon: Lexicon | undefined): Dictionary {
    const pkg = this.container.get<PackageDictionaries | undefined>(`sentiment-${lang}`);
    const source = lexicon?.useBase === false ? undefined : (pkg?.senticon ?? pkg?.afinn);
    const scale = source && !pkg?.senticon ? 5 : 1; // AFINN weights run -5..5; senticon -1..1.
    const minWeight = lexicon?.baseMinWeight ?? 0;
    const base: Record<string, number> = {};
    for (const [k, v] of Object.entries(source ?? {})) if (Math.abs(v / scale) >= minWeight) base[k] = v / scale;
    const stemmer = this.container.get<{ stemWord(w: string): string } | undefined>(`stemmer-${lang}`);
    // Lexicon keys go through the same tokenizer as the text, so accents and case are normalised alike.
    const key = (word: string): string => this.analyzer.prepare(lang, word).join(' ') || word.toLowerCase();
    const words: Record<string, number> = {};
    for (const [word, weight] of Object.entries(lexicon?.words ?? {})) words[key(word)] = weight;
    const negations = new Set([...(pkg?.negations?.words ?? []), ...(lexicon?.negations ?? [])].map(key));
    for (const n of negations) delete words[n];
    return {
      words,
      base,
      ...(pkg?.stemmed && stemmer ? { stem: (w: string) => stemmer.stemWord(w) } : {}),
      negations,
      intensifiers: new Set((lexicon?.intensifiers ?? []).map(key)),
    };
  }

  /**
   * Sentiment of `text` in `lang`; neutral for a language without a dictionary. Each clause is scored on its own and
   * the scores added: the tokens carry no punctuation, so a negation flipped the next clause's words ("一条物流更新都没有，
   * 太差劲了", not one tracking update, just terrible, scored +0.54).
   */
  async analyze(text: string, lang: string): Promise<Sentiment> {
    if (!this.dictionaries.has(lang) || !text.trim()) return { score: 0, label: 'neutral' };
    let raw = 0;
    for (const clause of text.split(CLAUSE_BREAK)) {
      if (!clause.trim()) continue;
      const input = { locale: lang, tokens: this.analyzer.prepare(lang, clause) } as { locale: string; tokens: string[]; sentiment?: { score: number } };
      this.analyzer.calculate(input);
      raw += input.sentiment?.score ?? 0;
    }
    return toSentiment(raw);
  }
}

/** Squashes a raw lexicon sum into [-1, 1] and labels it. */
export function toSentiment(raw: number): Sentiment {
  const score = Math.round(Math.tanh(raw) * 1000) / 1000;
  const label = score > LABEL_THRESHOLD ? 'positive' : score < -LABEL_THRESHOLD ? 'negative' : 'neutral';
  return { score, label };
}
