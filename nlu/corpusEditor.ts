/**
 * Adds utterances to a language's corpus file (`<CORPUS_DIR>/<lang>.json`) for an intent: the inbox's "assign".
 * The file keeps its formatting (indentation, final newline), is validated before it is written, and is replaced
 * atomically (temporary file + rename), so a crash never leaves half a corpus. The running server does not retrain;
 * `npm run -s nlu -- train` (or the next start, which sees the corpus hash change) does.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parseDocument } from '../storage/jsonDb.js';
import { type Corpus, corpusFile, CorpusSchema } from './corpus.js';
import { ORDER_NUMBER_PATTERN, ORDER_NUMBER_TOKEN } from './entities.js';
import { utteranceKey } from './inbox.js';

/** Why an edit was refused. */
export class CorpusEditError extends Error {
  constructor(
    readonly kind: 'unknown_language' | 'unknown_intent',
    message: string,
  ) {
    super(message);
  }
}

/** What an assignment did with each text. */
export interface AddResult {
  file: string;
  added: string[];
  skipped: Array<{ text: string; reason: 'duplicate' | 'other_intent'; intent: string }>;
}

/** The form an utterance takes in a corpus: single spaces, and the placeholders the corpora use for entities. */
export function corpusForm(text: string): string {
  return text
    .replace(/\[email\]/g, '@email')
    .replace(ORDER_NUMBER_PATTERN, ORDER_NUMBER_TOKEN)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Edits corpus files in one directory; edits are serialised so two assignments never interleave. */
export class CorpusEditor {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  /** The file, its text and its document; the document is validated but edited as parsed, keeping unknown keys. */
  private async load(lang: string): Promise<{ file: string; raw: string; corpus: Corpus }> {
    const file = corpusFile(lang, this.dir);
    if (!/^[a-z]{2,3}$/.test(lang) || !existsSync(file)) throw new CorpusEditError('unknown_language', `There is no corpus for language "${lang}".`);
    const raw = await readFile(file, 'utf8');
    parseDocument(file, raw, CorpusSchema, { kind: 'source' });
    return { file, raw, corpus: JSON.parse(raw) as Corpus };
  }

  /** The intents of a language's corpus, in file order. */
  async intents(lang: string): Promise<string[]> {
    return (await this.load(lang)).corpus.data.map((d) => d.intent);
  }

  /** Appends `texts` to `intent`; texts already in the corpus (under any intent) are skipped and said so. */
  add(lang: string, intent: string, texts: string[]): Promise<AddResult> {
    const job = this.queue.then(() => this.addNow(lang, intent, texts));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async addNow(lang: string, intent: string, texts: string[]): Promise<AddResult> {
    const { file, raw, corpus } = await this.load(lang);
    const target = corpus.data.find((d) => d.intent === intent);
    if (!target) {
      throw new CorpusEditError('unknown_intent', `"${intent}" is not an intent of the ${lang} corpus (${corpus.data.map((d) => d.intent).join(', ')}).`);
    }
    const existing = new Map<string, string>();
    for (const d of corpus.data) for (const u of d.utterances) existing.set(utteranceKey(u), d.intent);
    const result: AddResult = { file, added: [], skipped: [] };
    for (const text of texts) {
      const form = corpusForm(text);
      const key = utteranceKey(form);
      const owner = existing.get(key);
      if (owner !== undefined || !key) {
        result.skipped.push({ text, reason: owner === intent || !key ? 'duplicate' : 'other_intent', intent: owner ?? intent });
        continue;
      }
      target.utterances.push(form);
      existing.set(key, intent);
      result.added.push(form);
    }
    if (result.added.length) await this.write(file, raw, corpus);
    return result;
  }

  /** Writes the corpus in the file's own indentation and final-newline style, atomically. */
  private async write(file: string, raw: string, corpus: Corpus): Promise<void> {
    const indent = /\n( +|\t)"/.exec(raw)?.[1] ?? '  ';
    CorpusSchema.parse(corpus);
    const text = JSON.stringify(corpus, null, indent) + (raw.endsWith('\n') ? '\n' : '');
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, file);
  }
}
