/** Training corpora: NLP.js corpus files per language, validated with zod, hashed to know when to retrain. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../bot/config.js';
import { parseDocument, uniqueBy } from '../storage/jsonDb.js';
import { comparableText } from './normalize.js';

/** Folder holding `<lang>.json` corpora. */
export const CORPUS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');

/** The intent of a request for a person: it routes to the escalation dialog and interrupts any flow. */
export const HANDOFF_INTENT = 'agent.handoff';

/** The intent of a question about one order's whereabouts. */
export const ORDER_STATUS_INTENT = 'order.status';

/** The intent of a complaint: it files a ticket. */
export const COMPLAINT_INTENT = 'complaint';

/** The intents every corpus must cover (DESIGN §2); more `faq.*` intents may be added. */
export const REQUIRED_INTENTS = [
  'greeting', 'goodbye', 'thanks', 'order.status', 'complaint', 'agent.handoff',
  'faq.returns', 'faq.shipping', 'faq.payment', 'faq.account', 'faq.cancel', 'faq.invoice', 'faq.contact', 'None',
] as const;

const IntentNameSchema = z.string().regex(/^(None|[a-z]+(\.[a-z_]+)*)$/, 'intent names are dotted lowercase, or None');

/** Utterances named in one error; a corpus pasted twice under new names would otherwise print itself. */
const CLASHES_SHOWN = 5;

/**
 * One utterance belongs to one intent (docs/adding-a-dialog.md): under two it teaches the classifier both answers
 * for the same words, and each intent loses the score the other gains. Case, punctuation and spelling variants count
 * as the same utterance, as they do to the classifier.
 */
function oneIntentPerUtterance(data: Array<{ intent: string; utterances: string[] }>, ctx: z.RefinementCtx): void {
  const owner = new Map<string, string>();
  const clashes: string[] = [];
  for (const { intent, utterances } of data) {
    for (const utterance of utterances) {
      const key = comparableText(utterance);
      const first = owner.get(key);
      if (first === undefined) owner.set(key, intent);
      else if (first !== intent) clashes.push(`${JSON.stringify(utterance)} (${first} and ${intent})`);
    }
  }
  if (!clashes.length) return;
  const more = clashes.length > CLASHES_SHOWN ? ` and ${clashes.length - CLASHES_SHOWN} more` : '';
  ctx.addIssue({ code: 'custom', message: `one utterance belongs to one intent, but these are under two: ${clashes.slice(0, CLASHES_SHOWN).join(', ')}${more}` });
}

/** One corpus file, in NLP.js corpus format. */
export const CorpusSchema = z.object({
  name: z.string().min(1),
  locale: z.string().min(2),
  data: z
    // Strict: a misspelt key ("utterance") otherwise read as no utterances at all. NLP.js corpora may carry answers.
    .array(z.strictObject({ intent: IntentNameSchema, utterances: z.array(z.string().trim().min(1)).min(1), answers: z.array(z.unknown()).optional() }))
    .min(1)
    .superRefine(uniqueBy((d) => d.intent, 'each intent appears once'))
    .superRefine(oneIntentPerUtterance),
  /**
   * Chat shorthand read as the words it stands for ("u": "you"); see `nlu/shorthand.ts`. A key may be a few words, for
   * a slip that is a real word only in that company ("were is": "where is").
   */
  shorthand: z
    .record(
      z.string().regex(/^[\p{Ll}\p{Lo}\p{N}]+(?: [\p{Ll}\p{Lo}\p{N}]+)*$/u, 'shorthand keys are lowercase words (letters and digits), one space apart'),
      z.string().trim().min(1, 'a shorthand word needs the words it stands for'),
    )
    .optional(),
});
export type Corpus = z.infer<typeof CorpusSchema>;

/** Path of a language's corpus file. */
export function corpusFile(lang: string, dir = CORPUS_DIR): string {
  return path.join(dir, `${lang}.json`);
}

/** Loads and validates one corpus. */
export async function loadCorpus(lang: string, dir = CORPUS_DIR): Promise<Corpus> {
  const file = corpusFile(lang, dir);
  return parseDocument(file, await readFile(file, 'utf8'), CorpusSchema, { kind: 'source' });
}

/**
 * Loads the corpus of each language. A language without one is an error, not a language skipped: the bot would answer
 * its customers "I didn't get that" to everything.
 */
export async function loadCorpora(langs: readonly string[], dir = CORPUS_DIR): Promise<Map<string, Corpus>> {
  const out = new Map<string, Corpus>();
  for (const lang of langs) {
    const file = corpusFile(lang, dir);
    if (!existsSync(file)) {
      // A setting to fix (CORPUS_DIR or LANGUAGES): npm start exits 78 with this line, as for any other bad setting.
      throw new ConfigError(`No corpus for language "${lang}": ${file} does not exist. Every language in LANGUAGES (${langs.join(',')}) needs one; add it, or take ${lang} out of LANGUAGES.`);
    }
    out.set(lang, await loadCorpus(lang, dir));
  }
  return out;
}

/** A stable fingerprint of the corpora plus anything else that changes the trained model. */
export function corpusHash(corpora: Map<string, Corpus>, extra: string): string {
  const h = createHash('sha256').update(extra);
  for (const lang of [...corpora.keys()].sort()) h.update(lang).update(JSON.stringify(corpora.get(lang)));
  return h.digest('hex').slice(0, 16);
}
