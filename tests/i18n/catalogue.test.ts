import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntentLabels } from '../../dialogs/intentLabels.js';
import { mismatchedPlaceholders, missingMessages } from '../../i18n/index.js';
import { loadCorpora } from '../../nlu/corpus.js';
import { KnowledgeBase } from '../../storage/knowledgeBase.js';
import { ROOT } from '../helpers/paths.js';

const dir = path.join(ROOT, 'i18n');
const load = (lang: string) => JSON.parse(readFileSync(path.join(dir, `${lang}.json`), 'utf8')) as Record<string, string>;
const en = load('en');
const langs = readdirSync(dir).filter((f) => /^[a-z]{2}\.json$/.test(f)).map((f) => f.slice(0, 2));
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('ship for every supported language', () => {
    expect(langs).toEqual(expect.arrayContaining(['en', 'zh', 'fa']));
  });

  for (const lang of langs.filter((l) => l !== 'en')) {
    it(`${lang} has exactly the English keys, no empty texts, and the same placeholders`, () => {
      const c = load(lang);
      expect(Object.keys(c).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(c)) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(en[key] as string));
      }
    });
  }

  it('name the messages a language lacks (start-up warns of them), and the shipped ones lack none', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cxbot-i18n-'));
    try {
      writeFileSync(path.join(tmp, 'en.json'), JSON.stringify({ 'a.one': 'One', 'a.two': 'Two' }));
      writeFileSync(path.join(tmp, 'fa.json'), JSON.stringify({ 'a.one': 'یک' }));
      expect(missingMessages('fa', tmp)).toEqual(['a.two']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    for (const lang of langs) expect(missingMessages(lang), lang).toEqual([]);
  });

  it('name the messages whose placeholders differ from English (start-up warns of them: "{balanc}" reached customers)', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cxbot-i18n-'));
    try {
      writeFileSync(path.join(tmp, 'en.json'), JSON.stringify({ 'g.left': '{balance} left on card {card}', 'g.hi': 'Hi {name}', 'g.plain': 'Done' }));
      writeFileSync(path.join(tmp, 'es.json'), JSON.stringify({ 'g.left': 'Quedan {balanc} en {card}', 'g.hi': 'Hola {name}, {name}', 'g.plain': 'Hecho' }));
      expect(mismatchedPlaceholders('es', tmp)).toEqual(['g.left']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    for (const lang of langs) expect(mismatchedPlaceholders(lang), lang).toEqual([]);
  });

  it('address the Chinese customer as 您 throughout, as the rest of the bot does (word lists aside)', () => {
    // The lock-out and "I was updated" messages said 你 between messages that say 您.
    const zh = load('zh');
    const informal = Object.entries(zh).filter(([key, text]) => !/words$|Words$/.test(key) && /你(?![们])/.test(text)).map(([key]) => key);
    expect(informal).toEqual([]);
  });

  it('label every intent of every corpus, in the catalogue or as an FAQ title', async () => {
    // The router's "which did you mean?" buttons show these; an unlabelled intent is shown by its bare name.
    const corpora = await loadCorpora(langs, path.join(ROOT, 'nlu', 'corpus'));
    const labels = new IntentLabels(await KnowledgeBase.load(path.join(ROOT, 'data', 'faq'), langs));
    for (const [lang, corpus] of corpora) {
      for (const { intent } of corpus.data) expect(labels.hasLabel(intent, lang), `${lang} ${intent}`).toBe(true);
    }
  });
});
