/** What start-up checks in the files people edit, before the bot takes a turn. */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestCore } from '../helpers/harness.js';
import { ROOT } from '../helpers/paths.js';

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
});
