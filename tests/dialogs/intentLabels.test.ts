import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntentLabels } from '../../dialogs/intentLabels.js';
import { t } from '../../i18n/index.js';
import { KnowledgeBase } from '../../storage/knowledgeBase.js';
import { ROOT } from '../helpers/paths.js';

let dir: string;
let labels: IntentLabels;
beforeAll(async () => {
  // The shipped English FAQ plus one entry only English has, with no catalogue text.
  dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-labels-'));
  const en = JSON.parse(await readFile(path.join(ROOT, 'data', 'faq', 'en.json'), 'utf8')) as { entries: object[] };
  en.entries.push({ intent: 'faq.warranty', title: 'Warranty', answer: 'Two years on everything.' });
  await writeFile(path.join(dir, 'en.json'), JSON.stringify(en));
  await writeFile(path.join(dir, 'es.json'), await readFile(path.join(ROOT, 'data', 'faq', 'es.json'), 'utf8'));
  labels = new IntentLabels(await KnowledgeBase.load(dir, ['en', 'es']));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('intent labels', () => {
  it('are the catalogue texts where there are any, in the customer language', () => {
    expect(labels.label('faq.returns', 'es')).toBe(t('es', 'intent.faq.returns'));
    expect(labels.intentOf(t('es', 'intent.faq.returns'), 'es')).toBe('faq.returns');
    expect(labels.intentOf('returns & refunds', 'en')).toBe('faq.returns');
  });

  it('fall back to the FAQ title, the English one where the language has no entry, and route a click on it', () => {
    expect(labels.label('faq.warranty', 'en')).toBe('Warranty');
    expect(labels.label('faq.warranty', 'es')).toBe('Warranty');
    expect(labels.intentOf('warranty', 'es')).toBe('faq.warranty');
    expect(labels.hasLabel('faq.warranty', 'es')).toBe(true);
  });

  it('name an intent with no label by its last part instead of failing the turn', () => {
    expect(labels.hasLabel('giftcard.gift_balance', 'en')).toBe(false);
    expect(labels.label('giftcard.gift_balance', 'en')).toBe('Gift balance');
  });
});
