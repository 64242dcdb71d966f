/** NLU evaluation: accuracy, per-intent precision/recall/F1, out-of-scope rejection and confusions. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Corpus, CorpusSchema } from './corpus.js';
import { NluEngine } from './engine.js';
import { NlpRecognizer, NONE_INTENT, type RecognizerOptions } from './recognizer.js';
import { parseDocument } from '../storage/jsonDb.js';

/** Folder of the held-out test files (`heldout.<lang>.json`, corpus format). */
export const HELDOUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'nlu');

/** One labelled utterance. */
export interface LabelledUtterance {
  text: string;
  intent: string;
}

/** Scores of one intent. */
export interface IntentScores {
  intent: string;
  support: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/** The result of one evaluation. */
export interface EvaluationReport {
  lang: string;
  source: string;
  total: number;
  correct: number;
  accuracy: number;
  /** Share of in-scope utterances given their intent. */
  inScopeAccuracy: number | null;
  /** Share of out-of-scope (`None`) utterances rejected. */
  outOfScopeRejection: number | null;
  perIntent: IntentScores[];
  /** Most frequent mistakes, expected → predicted. */
  confusions: Array<{ expected: string; predicted: string; count: number; examples: string[] }>;
}

/** Flattens a corpus-format file into labelled utterances. */
export function labelled(corpus: Corpus): LabelledUtterance[] {
  return corpus.data.flatMap((d) => d.utterances.map((text) => ({ text, intent: d.intent })));
}

/** Loads `tests/nlu/heldout.<lang>.json` when it exists. */
export async function loadHeldout(lang: string, dir = HELDOUT_DIR): Promise<Corpus | undefined> {
  const file = path.join(dir, `heldout.${lang}.json`);
  if (!existsSync(file)) return undefined;
  return parseDocument(file, await readFile(file, 'utf8'), CorpusSchema, { kind: 'source' });
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** Scores predictions against labels. */
export function score(lang: string, source: string, items: Array<LabelledUtterance & { predicted: string }>): EvaluationReport {
  const intents = [...new Set(items.flatMap((i) => [i.intent, i.predicted]))].sort();
  const perIntent = intents.map((intent) => {
    const tp = items.filter((i) => i.intent === intent && i.predicted === intent).length;
    const predicted = items.filter((i) => i.predicted === intent).length;
    const actual = items.filter((i) => i.intent === intent).length;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, actual);
    const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
    return { intent, support: actual, precision, recall, f1 };
  });
  const wrong = new Map<string, { expected: string; predicted: string; count: number; examples: string[] }>();
  for (const i of items) {
    if (i.intent === i.predicted) continue;
    const key = `${i.intent}→${i.predicted}`;
    const entry = wrong.get(key) ?? { expected: i.intent, predicted: i.predicted, count: 0, examples: [] };
    entry.count += 1;
    if (entry.examples.length < 3) entry.examples.push(i.text);
    wrong.set(key, entry);
  }
  const inScope = items.filter((i) => i.intent !== NONE_INTENT);
  const outScope = items.filter((i) => i.intent === NONE_INTENT);
  const correct = items.filter((i) => i.intent === i.predicted).length;
  return {
    lang,
    source,
    total: items.length,
    correct,
    accuracy: items.length ? correct / items.length : 0,
    inScopeAccuracy: ratio(inScope.filter((i) => i.intent === i.predicted).length, inScope.length),
    outOfScopeRejection: ratio(outScope.filter((i) => i.predicted === NONE_INTENT).length, outScope.length),
    perIntent,
    confusions: [...wrong.values()].sort((a, b) => b.count - a.count).slice(0, 15),
  };
}

/** Predicts every utterance with the bot's own decision rule (threshold; the best candidate when ambiguous). */
export async function predict(recognizer: NlpRecognizer, lang: string, items: LabelledUtterance[]): Promise<Array<LabelledUtterance & { predicted: string }>> {
  const out: Array<LabelledUtterance & { predicted: string }> = [];
  for (const item of items) {
    const r = await recognizer.recognizeText(item.text, lang);
    out.push({ ...item, predicted: r.intent });
  }
  return out;
}

/** Deterministic shuffle (so folds are stable between runs). */
function shuffled<T>(items: T[], seed = 42): T[] {
  const a = [...items];
  let s = seed;
  for (let i = a.length - 1; i > 0; i -= 1) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/** k-fold cross-validation over a corpus: trains k models on the other folds, tests each on its held fold. */
export async function crossValidate(corpus: Corpus, lang: string, folds: number, options: RecognizerOptions, work: string): Promise<EvaluationReport> {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const dir = await mkdtemp(path.join(work, `cv-${lang}-`));
  const all = shuffled(labelled(corpus));
  const results: Array<LabelledUtterance & { predicted: string }> = [];
  try {
    for (let k = 0; k < folds; k += 1) {
      const test = all.filter((_, i) => i % folds === k);
      const train = all.filter((_, i) => i % folds !== k);
      const byIntent = new Map<string, string[]>();
      for (const u of train) byIntent.set(u.intent, [...(byIntent.get(u.intent) ?? []), u.text]);
      const foldCorpus: Corpus = { name: `${corpus.name}-fold${k}`, locale: corpus.locale, data: [...byIntent].map(([intent, utterances]) => ({ intent, utterances })) };
      await writeFile(path.join(dir, `${lang}.json`), JSON.stringify(foldCorpus));
      const engine = await NluEngine.create({ languages: [lang], modelFile: null, corpusDir: dir });
      results.push(...(await predict(new NlpRecognizer(engine, options), lang, test)));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return score(lang, `${folds}-fold cross-validation`, results);
}

const pct = (v: number | null): string => (v === null ? '   –  ' : `${(v * 100).toFixed(1).padStart(5)}%`);

/** A readable table of one report. */
export function formatReport(r: EvaluationReport): string {
  const lines = [
    `${r.lang} · ${r.source}: ${r.total} utterances`,
    `  accuracy ${pct(r.accuracy)}   in-scope ${pct(r.inScopeAccuracy)}   out-of-scope rejection ${pct(r.outOfScopeRejection)}`,
    `  ${'intent'.padEnd(16)} ${'n'.padStart(4)}  precision  recall     F1`,
    ...r.perIntent.map((i) => `  ${i.intent.padEnd(16)} ${String(i.support).padStart(4)}  ${pct(i.precision)}    ${pct(i.recall)}  ${pct(i.f1)}`),
  ];
  if (r.confusions.length) {
    lines.push('  most frequent confusions (expected → predicted):');
    for (const c of r.confusions.slice(0, 8)) lines.push(`    ${c.count} × ${c.expected} → ${c.predicted}   e.g. "${c.examples[0]}"`);
  }
  return lines.join('\n');
}
