/**
 * Whether the corpora and the knowledge base agree: an FAQ intent the classifier finds needs an entry to answer it,
 * and an entry needs an intent the classifier finds. A mismatch is legitimate while a topic is being translated, so
 * it is warned about (at start-up and by `npm run nlu -- train | evaluate`), never fatal.
 */
import path from 'node:path';
import type { Logger } from '../bot/logger.js';
import type { KnowledgeBase } from '../storage/knowledgeBase.js';
import { type Corpus, corpusFile, loadCorpora } from './corpus.js';

/** One mismatch, with the intent, language and file it concerns. */
export interface CoverageProblem {
  intent: string;
  lang: string;
  file: string;
  message: string;
}

/** Where the files are, and the language an FAQ answer falls back to first. */
export interface CoverageOptions {
  corpusDir: string;
  faqDir: string;
  defaultLocale: string;
  /** Whether a dialog handles an intent; given, a corpus intent none handles is a problem too (the bot's, not the CLI's). */
  handles?: (intent: string) => boolean;
}

/** Every mismatch between each language's corpus and the knowledge base, one problem each. */
export function faqCoverageProblems(corpora: ReadonlyMap<string, Corpus>, knowledgeBase: KnowledgeBase, options: CoverageOptions): CoverageProblem[] {
  const problems: CoverageProblem[] = [];
  for (const [lang, corpus] of corpora) {
    const corpusPath = corpusFile(lang, options.corpusDir);
    const faqPath = path.join(options.faqDir, `${lang}.json`);
    const intents = new Set(corpus.data.map((d) => d.intent));
    const faqIntents = [...intents].filter((intent) => intent.startsWith('faq.'));
    // Answers in another language reach these customers without a word: a misspelt intent in an entry, or a missing
    // file, gave English customers the Spanish answer.
    const borrowed = new Map<string, string[]>();
    for (const intent of faqIntents) {
      const from = knowledgeBase.answeringLanguage(intent, lang, options.defaultLocale);
      if (from && from !== lang) borrowed.set(from, [...(borrowed.get(from) ?? []), intent]);
      if (from) continue;
      problems.push({
        intent,
        lang,
        file: corpusPath,
        message: `${corpusPath} has the intent ${intent}, but no FAQ file has an entry for it (${faqPath}, nor the fallbacks): ${lang} customers who ask it are told there is no answer yet`,
      });
    }
    const hasFile = knowledgeBase.languages().includes(lang);
    for (const [from, borrowedIntents] of borrowed) {
      problems.push({
        intent: borrowedIntents.join(', '),
        lang,
        file: faqPath,
        message: hasFile
          ? `${faqPath} has no entry for ${borrowedIntents.join(', ')}: ${lang} customers who ask get the ${from} answer (${path.join(options.faqDir, `${from}.json`)})`
          : `${faqPath} is missing: ${lang} customers get every FAQ answer they ask for in ${from} (${path.join(options.faqDir, `${from}.json`)})`,
      });
    }
    for (const intent of intents) {
      // Recognised and then routed to the fallback: a misspelt intent name, or a dialog never registered, fails silently
      // and counts as a misunderstanding in the metrics.
      if (!options.handles || intent === 'None' || intent.startsWith('faq.') || options.handles(intent)) continue;
      problems.push({
        intent,
        lang,
        file: corpusPath,
        message: `${corpusPath} has the intent ${intent}, but no dialog handles it (register one in dialogs/index.ts): ${lang} customers who ask it get "Sorry, I didn't quite get that"`,
      });
    }
    for (const intent of knowledgeBase.intents(lang)) {
      if (intents.has(intent)) continue;
      problems.push({
        intent,
        lang,
        file: faqPath,
        message: `${faqPath} has an entry for ${intent}, but ${corpusPath} has no such intent: ${lang} customers reach it only by typing its title`,
      });
    }
  }
  return problems;
}

/** Reads the corpora of `languages` and logs one warning per mismatch with `knowledgeBase`; returns the problems. */
export async function checkFaqCoverage(
  languages: readonly string[],
  knowledgeBase: KnowledgeBase,
  options: CoverageOptions & { logger: Logger },
): Promise<CoverageProblem[]> {
  const problems = faqCoverageProblems(await loadCorpora(languages, options.corpusDir), knowledgeBase, options);
  for (const { intent, lang, file, message } of problems) options.logger.warn({ intent, lang, file }, message);
  return problems;
}
