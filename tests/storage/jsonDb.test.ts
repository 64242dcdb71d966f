import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogue } from '../../i18n/index.js';
import { CorpusSchema, loadCorpus } from '../../nlu/corpus.js';
import { CorpusEditor } from '../../nlu/corpusEditor.js';
import { loadHeldout } from '../../nlu/evaluate.js';
import { loadLexicon } from '../../nlu/sentiment.js';
import { systemClock } from '../../storage/clock.js';
import { DataFileError, parseDocument } from '../../storage/jsonDb.js';
import { FaqFileSchema, KnowledgeBase } from '../../storage/knowledgeBase.js';
import { JsonOrderStore } from '../../storage/orderStore.js';

const anything = z.unknown();

/** The message `parseDocument` throws for `text`. */
function complaint(text: string, schema: z.ZodType = anything, options?: Parameters<typeof parseDocument>[3]): string {
  try {
    parseDocument('/data/x.json', text, schema, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return (error as Error).message;
  }
  throw new Error('parsed');
}

describe('JSON syntax errors', () => {
  it('name the line and column of a trailing comma, which Node reports without a position, and say it once', () => {
    const text = '{\n  "data": [\n    { "intent": "greeting", "utterances": [\n      "hi",\n      "hello",\n    ] }\n  ]\n}\n';
    const message = complaint(text);
    expect(message).toMatch(/^\/data\/x\.json: is not valid JSON at line 6, column 5: unexpected '\]' \(JSON allows no comma before a closing bracket\)\./);
    expect(message.match(/not valid JSON/g)).toHaveLength(1);
    expect(message).not.toMatch(/position|\.\.\."/);
  });

  it('turn the position Node gives into a line and column', () => {
    const message = complaint('{\n  "a": 1\n  "b": 2\n}');
    expect(message).toMatch(/is not valid JSON at line 3, column 3: expected ',' or '\}' after property value\./);
    expect(message).not.toMatch(/position/);
    expect(complaint('{}\n{')).toMatch(/is not valid JSON at line 2, column 1: unexpected non-whitespace character after JSON\./);
  });

  it('point past the last character of a file cut short, and name an empty file', () => {
    expect(complaint('{\n  "a": tr')).toMatch(/at line 2, column 10: the text ends before the JSON is complete\./);
    expect(complaint('  \n')).toMatch(/at line 1, column 1: the file is empty\./);
  });

  it('count lines from where the text starts in its file (a journal line)', () => {
    expect(complaint('{"seq":1,"put":{"id":"a",}}', anything, { line: 7 })).toMatch(/is not valid JSON at line 7, column 26: expected double-quoted property name/);
  });
});

describe('validation errors', () => {
  const corpus = (data: object[]) => JSON.stringify({ name: 'x', locale: 'en-US', data });
  const faq = (entries: object[]) => JSON.stringify({ locale: 'en', entries });

  it('name the intent a corpus repeats, and every repeated one', () => {
    const data = ['greeting', 'faq.returns', 'thanks', 'faq.returns', 'thanks'].map((intent) => ({ intent, utterances: [`about ${intent}`] }));
    expect(() => parseDocument('/c/en.json', corpus(data), CorpusSchema)).toThrow(
      /^\/c\/en\.json: invalid data at data: each intent appears once \(repeated: "faq\.returns", "thanks"\)\./,
    );
  });

  it('refuse an utterance under two intents of a corpus, naming it and both intents', () => {
    const data = [
      { intent: 'greeting', utterances: ['Hi there!', 'hello'] },
      { intent: 'thanks', utterances: ['thank you', 'hi there', 'thank you'] },
    ];
    expect(() => parseDocument('/c/en.json', corpus(data), CorpusSchema)).toThrow(
      /invalid data at data: one utterance belongs to one intent, but these are under two: "hi there" \(greeting and thanks\)\./,
    );
  });

  it('name the intent a knowledge base gives two entries', () => {
    const entry = { intent: 'faq.warranty', title: 'Warranty', answer: 'Two years.' };
    expect(() => parseDocument('/f/en.json', faq([entry, { ...entry, intent: 'faq.returns' }, entry]), FaqFileSchema)).toThrow(
      /invalid data at entries: each intent has one entry \(repeated: "faq\.warranty"\)\./,
    );
  });

  it('name a list item by its intent beside its index, and count the other problems in good English', () => {
    const data = [{ intent: 'greeting', utterances: ['hi'] }, { intent: 'Faq.Warranty', utterances: ['is it covered'] }];
    expect(complaint(corpus(data), CorpusSchema)).toMatch(/invalid data at data\[1\] \(intent "Faq\.Warranty"\)\.intent: intent names are dotted lowercase, or None\./);
    data.push({ intent: 'thanks', utterances: [''] });
    expect(complaint(corpus(data), CorpusSchema)).toMatch(/\.intent: intent names are dotted lowercase, or None \(and 1 more problem\)\./);
    data.push({ intent: 'goodbye', utterances: [] });
    expect(complaint(corpus(data), CorpusSchema)).toMatch(/ \(and 2 more problems\)\./);
  });

  it('name a misspelt key first, not the key it leaves missing', () => {
    // Told only that "utterances" was missing, with the misspelling hidden among "1 more problem".
    const data = [{ intent: 'greeting', utterances: ['hi'] }, { intent: 'thanks', utterance: ['thanks'] }];
    expect(complaint(corpus(data), CorpusSchema)).toMatch(/invalid data at data\[1\] \(intent "thanks"\): Unrecognized key: "utterance" \(and 1 more problem\)\./);
  });
});

describe('the advice that ends an error', () => {
  it('offers a data store a backup or a fresh start, and a hand-edited source file only a fix', async () => {
    expect(complaint('{')).toMatch(/restore it from a backup, or move it aside to start that store empty\.$/);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-source-'));
    try {
      const broken = path.join(dir, 'en.json');
      await writeFile(broken, '{\n  "a": 1,\n}\n');
      await writeFile(path.join(dir, 'heldout.en.json'), '{,}');
      const sources: Array<[string, () => unknown]> = [
        ['corpus', () => loadCorpus('en', dir)],
        ['held-out file', () => loadHeldout('en', dir)],
        ['corpus being edited', () => new CorpusEditor(dir).intents('en')],
        ['message catalogue', () => catalogue('en', dir)],
        ['knowledge base', () => KnowledgeBase.load(dir, ['en'])],
        ['sentiment lexicon', () => loadLexicon('en', dir)],
        ['orders', () => JsonOrderStore.load(broken, { rebase: false, clock: systemClock })],
        ['missing orders', () => JsonOrderStore.load(path.join(dir, 'none.json'), { rebase: false, clock: systemClock })],
      ];
      for (const [what, load] of sources) {
        const message = await Promise.resolve().then(load).then(() => 'loaded', (error: Error) => error.message);
        expect(message, what).toMatch(/: (is not valid JSON at line \d+, column \d+|cannot be read \(ENOENT\)).*\. Fix the file and try again\.$/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
