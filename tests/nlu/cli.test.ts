import { execFile, spawn } from 'node:child_process';
import { access, copyFile, cp, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { knowledgeBaseWithTestEntry } from '../helpers/knowledgeBase.js';
import { ROOT, TEST_MODEL_FILE } from '../helpers/paths.js';

/** Runs `npm run -s nlu -- …` as a user would (without npm's own output), never throwing on a non-zero exit. */
async function nlu(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return nluIn({}, ...args);
}

async function nluIn(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'nlu/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run nlu', () => {
  it('prints its usage on --help and succeeds', async () => {
    const r = await nlu('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage:/);
  });

  it('fails on an unknown command, naming it, so scripts notice a typo', async () => {
    const r = await nlu('trian');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown command "trian"');
    expect(r.stdout).toBe('');
  });

  it('fails without a command', async () => {
    const r = await nlu();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage:/);
  });

  it('refuses a number of folds cross-validation cannot use, before any training', async () => {
    // "--folds abc" printed "NaN-fold cross-validation: 0 utterances" and succeeded; "--folds 1" failed in a temporary file.
    for (const folds of ['abc', '1', '2.5']) {
      const r = await nlu('evaluate', '--folds', folds);
      expect(r.code, folds).not.toBe(0);
      expect(r.stderr.trim().split('\n').at(-1), folds).toBe(`--folds must be a whole number from 2 to 20 (got "${folds}")`);
      expect(r.stdout, folds).toBe('');
    }
  });

  it('train stops, naming the language and the file, when a language in LANGUAGES has no corpus', async () => {
    const corpusDir = await mkdtemp(path.join(os.tmpdir(), 'nlu-corpus-'));
    try {
      await copyFile(path.join(ROOT, 'nlu', 'corpus', 'en.json'), path.join(corpusDir, 'en.json'));
      const r = await nluIn({ CORPUS_DIR: corpusDir, LANGUAGES: 'en,fa', DATA_DIR: corpusDir }, 'train');
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(`No corpus for language "fa": ${path.join(corpusDir, 'fa.json')} does not exist. Every language in LANGUAGES (en,fa) needs one; add it, or take fa out of LANGUAGES.`);
    } finally {
      await rm(corpusDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('train writes the model into DATA_DIR for its owner only, as the bot does', async () => {
    // The bot's files are owner-only (they hold customer data); "nlu train" wrote the model world-readable (0644).
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nlu-cli-'));
    try {
      const r = await nluIn({ DATA_DIR: dataDir, LANGUAGES: 'en', DEFAULT_LOCALE: 'en' }, 'train');
      expect(r.code, r.stderr).toBe(0);
      expect((await stat(path.join(dataDir, 'nlu'))).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(dataDir, 'nlu', 'model.json'))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('train stops on a broken FAQ file before training, naming the file', async () => {
    // The FAQ files were read after the model trained: a developer waited the training out to hear of a stray comma.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nlu-cli-'));
    try {
      await cp(path.join(ROOT, 'data', 'faq'), path.join(dir, 'faq'), { recursive: true });
      await writeFile(path.join(dir, 'faq', 'es.json'), '{ "locale": "es", "entries": [ }');
      const r = await nluIn({ DATA_DIR: path.join(dir, 'data'), FAQ_DIR: path.join(dir, 'faq') }, 'train');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(path.join(dir, 'faq', 'es.json'));
      expect(r.stderr).not.toContain('Training');
      await expect(access(path.join(dir, 'data', 'nlu', 'model.json'))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('evaluate warns about an FAQ intent no entry answers, naming the intent, the language and the file', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nlu-cli-'));
    const kb = await knowledgeBaseWithTestEntry({ drop: ['faq.invoice'] });
    try {
      await mkdir(path.join(dataDir, 'nlu'));
      await copyFile(TEST_MODEL_FILE, path.join(dataDir, 'nlu', 'model.json'));
      const r = await nluIn({ DATA_DIR: dataDir, FAQ_DIR: kb.dir }, 'evaluate', '--lang', 'es', '--no-cv', '--json');
      expect(r.code).toBe(0);
      // Only Spanish is evaluated, so only the Spanish corpus is checked.
      expect(r.stderr.match(/WARN/g)).toHaveLength(1);
      expect(r.stderr).toContain(`${path.join(ROOT, 'nlu', 'corpus', 'es.json')} has the intent faq.invoice, but no FAQ file has an entry for it`);
    } finally {
      await Promise.all([kb.cleanup(), rm(dataDir, { recursive: true, force: true })]);
    }
  });

  it('keeps standard output to the result: evaluate --json parses, the progress log goes to standard error', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nlu-cli-'));
    try {
      await mkdir(path.join(dataDir, 'nlu'));
      await copyFile(TEST_MODEL_FILE, path.join(dataDir, 'nlu', 'model.json'));
      const r = await nluIn({ DATA_DIR: dataDir }, 'evaluate', '--lang', 'en', '--no-cv', '--json');
      expect(r.code).toBe(0);
      const reports = JSON.parse(r.stdout) as Array<{ lang: string; total: number }>;
      expect(reports[0]).toMatchObject({ lang: 'en', source: 'held-out test file' });
      expect(reports[0]!.total).toBeGreaterThan(100);
      expect(r.stderr).toContain('NLU model loaded from cache');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  // Without --lang, "track pkg" read as Spanish (its letters), and so classified as None: the CLI took the letter guess
  // however weak. It now takes each line as the bot takes a customer's first words on a channel that names no language.
  it('classify without --lang detects each line as the bot does a first message', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nlu-cli-'));
    try {
      await mkdir(path.join(dataDir, 'nlu'));
      await copyFile(TEST_MODEL_FILE, path.join(dataDir, 'nlu', 'model.json'));
      const child = spawn(process.execPath, ['--import', 'tsx', 'nlu/cli.ts', 'classify'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stdin.end('track pkg\nreembolso?\nzzzz\n');
      expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.lang)).toEqual(['en', 'es', 'en']);
      expect(lines[0]).toMatchObject({ intent: 'order.status' });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('classify answers each line of standard input, showing what the classifier read when normalisation changed it', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nlu-cli-'));
    try {
      await mkdir(path.join(dataDir, 'nlu'));
      await copyFile(TEST_MODEL_FILE, path.join(dataDir, 'nlu', 'model.json'));
      const child = spawn(process.execPath, ['--import', 'tsx', 'nlu/cli.ts', 'classify', '--lang', 'en'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stdin.end('can u tell me where order 10231 is\n\nwhere is my order\n');
      expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toEqual([
        expect.objectContaining({ text: 'can u tell me where order 10231 is', readAs: 'can you tell me where order @orderNumber is', intent: 'order.status' }),
        expect.objectContaining({ text: 'where is my order', intent: 'order.status' }),
      ]);
      expect(lines[1]).not.toHaveProperty('readAs');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
