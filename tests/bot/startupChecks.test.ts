/** What start-up checks in the files people edit, before the bot takes a turn. */
import { access, chmod, copyFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createBotCore } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { silentLogger } from '../../bot/logger.js';
import { createTestCore, TEST_NOW } from '../helpers/harness.js';
import { knowledgeBaseWithTestEntry } from '../helpers/knowledgeBase.js';
import { ROOT } from '../helpers/paths.js';
import { FixedClock } from '../../storage/clock.js';
import { KnowledgeBase } from '../../storage/knowledgeBase.js';
import { TEST_MODEL_FILE } from '../helpers/paths.js';

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

  it('stops when FAQ_DIR holds no FAQ file, naming the directory', async () => {
    // A misspelt FAQ_DIR started, and every FAQ question got "I don't have an answer for that one yet".
    const nowhere = path.join(os.tmpdir(), 'cxbot-no-such-faq-dir');
    await expect(createTestCore({ FAQ_DIR: nowhere })).rejects.toThrow(`${nowhere}: holds no FAQ file for any language in LANGUAGES (en.json, es.json, zh.json, fa.json); check FAQ_DIR`);
  });

  it('warns, naming the command, when an earlier version left data files other users can read', async () => {
    // An upgraded server went on appending customer data to 0644 files without a word.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-modes-'));
    try {
      await mkdir(path.join(dir, 'nlu'));
      await writeFile(path.join(dir, 'nlu', 'notes.txt'), '');
      await chmod(path.join(dir, 'nlu', 'notes.txt'), 0o644);
      await chmod(path.join(dir, 'nlu'), 0o755);
      const start = async () => {
        const warnings: Array<{ msg: string; count?: number; examples?: string[] }> = [];
        const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
        const core = await createBotCore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), { logger, nluModelFile: TEST_MODEL_FILE, clock: new FixedClock(TEST_NOW) });
        await core.close();
        return warnings.filter((w) => w.msg.includes('can be read by other users'));
      };
      const [warning] = await start();
      expect(warning).toMatchObject({ count: 2, examples: ['nlu', path.join('nlu', 'notes.txt')] });
      expect(warning?.msg).toBe(`2 file(s) or directories in DATA_DIR can be read by other users of this machine (an earlier version wrote them so), and they hold customer data: run chmod -R go-rwx ${dir}`);
      await chmod(path.join(dir, 'nlu', 'notes.txt'), 0o600);
      await chmod(path.join(dir, 'nlu'), 0o700);
      expect(await start()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops on a broken FAQ file before training a model, naming the file', async () => {
    // A first start (or a changed corpus) trained for a minute before it read the FAQ files and stopped on a stray comma.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-faq-'));
    try {
      await cp(path.join(ROOT, 'data', 'faq'), path.join(dir, 'faq'), { recursive: true });
      await writeFile(path.join(dir, 'faq', 'fa.json'), '{ "locale": "fa", "entries": [ }');
      const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), FAQ_DIR: path.join(dir, 'faq'), LOG_LEVEL: 'silent' });
      const trained: string[] = [];
      const modelFile = path.join(dir, 'model.json');
      await expect(createBotCore(config, { logger: silentLogger, nluModelFile: modelFile, onTraining: (reason) => trained.push(reason) })).rejects.toThrow(path.join(dir, 'faq', 'fa.json'));
      expect(trained).toEqual([]);
      await expect(access(modelFile)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    // Singular "variant": the answer for laptops was dropped without a word.
    [{ intent: 'faq.warranty', title: 'Warranty', answer: 'Two years.', variant: [{ keywords: ['laptop'], answer: 'Three years.' }] }, 'en', /entries\[0\] \(intent "faq\.warranty"\).*variant/],
    [{ intent: 'faq.warranty', title: 'Warranty', answer: 'Two years.', variants: [{ keywords: ['laptop'], Answer: 'Three years.' }] }, 'en', /variants\[0\]/],
    [{ intent: 'faq.warranty', title: 'Warranty', answer: 'Two years.' }, 'zh', /says "locale": "en", but the file answers zh customers/],
  ])('refuses an FAQ file with a key it does not know, or another language\'s locale (%#)', async (entry, lang, message) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-faq-'));
    try {
      await writeFile(path.join(dir, `${lang}.json`), JSON.stringify({ locale: 'en', entries: [entry] }));
      await expect(KnowledgeBase.load(dir, [lang])).rejects.toThrow(message);
    } finally {
      await rm(dir, { recursive: true, force: true });
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
