/** `npm run -s nlu -- train | classify [--lang xx] | evaluate [--lang xx] [--folds N] [--json]` (DESIGN §6). */
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import os from 'node:os';
import { ConfigError, loadConfig } from '../bot/config.js';
import { createLogger } from '../bot/logger.js';
import { KnowledgeBase } from '../storage/knowledgeBase.js';
import { loadCorpora } from './corpus.js';
import { NluEngine } from './engine.js';
import { checkFaqCoverage } from './faqCoverage.js';
import { crossValidate, type EvaluationReport, formatReport, labelled, loadHeldout, predict, score } from './evaluate.js';
import { LanguageDetector } from './languageDetect.js';
import { NlpRecognizer } from './recognizer.js';

const USAGE = `Usage:
  npm run -s nlu -- train                      train from nlu/corpus/*.json and cache the model
  npm run -s nlu -- classify [--lang xx]       classify stdin lines, one JSON object per line (readAs: what the
                                               classifier read, when normalisation changed the text; also: a
                                               second question the line asks); without --lang, each line's
                                               language is detected as the bot detects a customer's first words
  npm run -s nlu -- evaluate [--lang xx] [--folds 5] [--no-cv] [--json]
                                               held-out files + cross-validation per language`;

/** Most folds a cross-validation takes: each trains a model of its own. */
const MAX_FOLDS = 20;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      lang: { type: 'string' },
      folds: { type: 'string', default: '5' },
      'no-cv': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!command || !['train', 'classify', 'evaluate'].includes(command)) {
    process.stderr.write(`${command ? `Unknown command "${command}".\n` : ''}${USAGE}\n`);
    process.exit(2);
  }
  const config = loadConfig();
  // The model it writes into DATA_DIR is the bot's, owner only as everything there: "nlu train" rewrote it world-readable.
  process.umask(0o077);
  if (values.lang && !config.LANGUAGES.includes(values.lang as never)) {
    throw new ConfigError(`--lang must be one of ${config.LANGUAGES.join(', ')} (got "${values.lang}")`);
  }
  // "--folds abc" printed "NaN-fold cross-validation: 0 utterances", and "--folds 1" failed inside a temporary file.
  const folds = z.coerce.number().int().min(2).max(MAX_FOLDS).safeParse(values.folds);
  if (!folds.success) throw new ConfigError(`--folds must be a whole number from 2 to ${MAX_FOLDS} (got "${values.folds}")`);
  // Progress goes to stderr so stdout stays machine-readable.
  const logger = createLogger(command === 'classify' ? 'warn' : 'info', 'pretty', 2);
  const modelFile = path.join(config.DATA_DIR, 'nlu', 'model.json');
  const options = { threshold: config.NLU_THRESHOLD, ambiguityMargin: config.NLU_AMBIGUITY_MARGIN };

  // Read before any training: a broken FAQ file was reported after the minute a model takes to train.
  const knowledgeBase = await KnowledgeBase.load(config.FAQ_DIR, config.LANGUAGES);
  // The corpora checked against the whole knowledge base: an answer may come from another language's file.
  const checkSources = async (languages: readonly string[]) =>
    checkFaqCoverage(languages, knowledgeBase, {
      corpusDir: config.CORPUS_DIR,
      faqDir: config.FAQ_DIR,
      defaultLocale: config.DEFAULT_LOCALE,
      logger,
    });

  if (command === 'train') {
    const engine = await NluEngine.create({ languages: config.LANGUAGES, corpusDir: config.CORPUS_DIR, modelFile, logger, forceTrain: true });
    await checkSources(engine.languages);
    process.stderr.write(`Model saved to ${modelFile} (languages: ${engine.languages.join(', ')}, hash ${engine.modelHash})\n`);
    return;
  }

  const engine = await NluEngine.create({ languages: config.LANGUAGES, corpusDir: config.CORPUS_DIR, modelFile, logger });
  const recognizer = new NlpRecognizer(engine, options);

  if (command === 'classify') {
    const detector = new LanguageDetector(engine.languages, config.DEFAULT_LOCALE, engine.languageCues);
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      const text = line.trim();
      if (!text) continue;
      // Without --lang, each line is taken as the bot takes a customer's first words on a channel that names no language.
      const lang = values.lang ?? detector.opening(text) ?? config.DEFAULT_LOCALE;
      const r = await recognizer.recognizeText(text, lang);
      // What the classifier saw, when normalisation changed it (placeholders, shorthand): why a line read as it did.
      const readAs = engine.read(text, r.lang);
      const seen = readAs === text ? {} : { readAs };
      process.stdout.write(`${JSON.stringify({ text, ...seen, lang: r.lang, intent: r.intent, score: Number(r.score.toFixed(4)), sentiment: r.sentiment, ...(r.also ? { also: r.also } : {}) })}\n`);
    }
    return;
  }

  const langs = values.lang ? [values.lang] : engine.languages;
  await checkSources(langs);
  const corpora = await loadCorpora(langs, config.CORPUS_DIR);
  const reports: EvaluationReport[] = [];
  for (const lang of langs) {
    const heldout = await loadHeldout(lang);
    if (heldout) reports.push(score(lang, 'held-out test file', await predict(recognizer, lang, labelled(heldout))));
    const corpus = corpora.get(lang);
    if (corpus && !values['no-cv']) {
      process.stderr.write(`Cross-validating ${lang} (${values.folds} folds)…\n`);
      reports.push(await crossValidate(corpus, lang, folds.data, options, os.tmpdir()));
    }
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  } else {
    process.stdout.write(`${reports.map(formatReport).join('\n\n')}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  // As the other tools: 2 for a mistake in how it was called or configured, 1 for anything else (a broken file).
  process.exit(error instanceof ConfigError ? 2 : 1);
});
