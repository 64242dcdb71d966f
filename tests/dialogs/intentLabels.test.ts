import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntentLabels } from '../../dialogs/intentLabels.js';
import { t } from '../../i18n/index.js';
import { KnowledgeBase } from '../../storage/knowledgeBase.js';
import { knowledgeBaseWithTestEntry, type TestKnowledgeBase } from '../helpers/knowledgeBase.js';

let kb: TestKnowledgeBase;
let labels: IntentLabels;
beforeAll(async () => {
  // The shipped FAQ plus one entry only English has, with no catalogue text.
  kb = await knowledgeBaseWithTestEntry();
  labels = new IntentLabels(await KnowledgeBase.load(kb.dir, ['en', 'es']));
});
afterAll(async () => kb?.cleanup());

describe('intent labels', () => {
  it('are the catalogue texts where there are any, in the customer language', () => {
    expect(labels.label('faq.returns', 'es')).toBe(t('es', 'intent.faq.returns'));
    expect(labels.intentOf(t('es', 'intent.faq.returns'), 'es')).toBe('faq.returns');
    expect(labels.intentOf('returns & refunds', 'en')).toBe('faq.returns');
  });

  it('fall back to the FAQ title, the English one where the language has no entry, and route a click on it', () => {
    const { intent, title } = kb.entry;
    expect(labels.label(intent, 'en')).toBe(title);
    expect(labels.label(intent, 'es')).toBe(title);
    expect(labels.intentOf(title.toLowerCase(), 'es')).toBe(intent);
    expect(labels.hasLabel(intent, 'es')).toBe(true);
  });

  it("come from a test entry that stays clear of a developer's own FAQ entries", async () => {
    // A knowledge base that already has the entry the test prefers, as a developer's might.
    const shipped = await knowledgeBaseWithTestEntry();
    const copy = await knowledgeBaseWithTestEntry({ from: shipped.dir });
    try {
      expect(copy.entry.intent).not.toBe(shipped.entry.intent);
      expect(copy.entry.title).not.toBe(shipped.entry.title);
      expect((await KnowledgeBase.load(copy.dir, ['en'])).intents('en')).toEqual(expect.arrayContaining([shipped.entry.intent, copy.entry.intent]));
    } finally {
      await Promise.all([shipped.cleanup(), copy.cleanup()]);
    }
  });

  it('name an intent with no label by its last part instead of failing the turn', () => {
    expect(labels.hasLabel('giftcard.gift_balance', 'en')).toBe(false);
    expect(labels.label('giftcard.gift_balance', 'en')).toBe('Gift balance');
  });
});
