/** What start-up checks in the files people edit, before the bot takes a turn. */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createTestCore, TEST_NOW } from '../helpers/harness.js';
import { knowledgeBaseWithTestEntry } from '../helpers/knowledgeBase.js';
import { ROOT } from '../helpers/paths.js';
import { FixedClock } from '../../storage/clock.js';

describe('start-up', () => {
  it('stops when a language in LANGUAGES has no corpus, naming the language and the file', async () => {
    const corpusDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-corpus-'));
    try {
      for (const lang of ['en', 'es']) await copyFile(path.join(ROOT, 'nlu', 'corpus', `${lang}.json`), path.join(corpusDir, `${lang}.json`));
      await expect(createTestCore({ CORPUS_DIR: corpusDir, LANGUAGES: 'en,es,zh' })).rejects.toThrow(
        `No corpus for language "zh": ${path.join(corpusDir, 'zh.json')} does not exist.`,
      );
    } finally {
      await rm(corpusDir, { recursive: true, force: true });
    }
  });

  it('warns once per FAQ intent no entry answers and per entry no corpus intent reaches, and starts', async () => {
    const kb = await knowledgeBaseWithTestEntry({ drop: ['faq.returns'] });
    const warnings: Array<{ intent: string; lang: string; file: string; msg: string }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
    const env = await createTestCore({ FAQ_DIR: kb.dir }, new FixedClock(TEST_NOW), logger);
    try {
      const corpusFile = (lang: string) => path.join(ROOT, 'nlu', 'corpus', `${lang}.json`);
      expect(warnings.map(({ intent, lang, file }) => ({ intent, lang, file }))).toEqual([
        { intent: 'faq.returns', lang: 'en', file: corpusFile('en') },
        { intent: kb.entry.intent, lang: 'en', file: path.join(kb.dir, 'en.json') },
        ...['es', 'zh', 'fa'].map((lang) => ({ intent: 'faq.returns', lang, file: corpusFile(lang) })),
      ]);
      expect(warnings[0]?.msg).toMatch(/has the intent faq\.returns, but no FAQ file has an entry for it/);
    } finally {
      await env.cleanup();
      await kb.cleanup();
    }
  });
});
