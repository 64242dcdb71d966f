import { beforeAll, describe, expect, it } from 'vitest';
import { LanguageSchema } from '../../bot/config.js';
import { NluEngine } from '../../nlu/engine.js';
import { TEST_MODEL_FILE } from '../helpers/paths.js';

// Messages that never repeat, as live traffic does: a different name, order number and address each time.
const STEMS = ['where is my parcel', 'I want my money back for order', 'the tracking page shows nothing for', 'can someone call me about', 'my package arrived broken, order', 'change the delivery address of'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vo', 'ne'];
const name = (i: number): string => [i % 8, (i >> 3) % 8, (i >> 6) % 8].map((d) => SYLLABLES[d]).join('');
const messages = Array.from({ length: 240 }, (_, i) => `${STEMS[i % STEMS.length]} ${20_000 + i * 7}, this is ${name(i)}, write to buyer${i}@mail.test`);

describe("NLP.js's internal caches", () => {
  let bounded: NluEngine;
  let unbounded: NluEngine;
  beforeAll(async () => {
    bounded = await NluEngine.create({ languages: LanguageSchema.options, modelFile: TEST_MODEL_FILE, nlpCacheEntries: 50 });
    unbounded = await NluEngine.create({ languages: LanguageSchema.options, modelFile: TEST_MODEL_FILE, nlpCacheEntries: Number.MAX_SAFE_INTEGER });
  });

  it('stay within their bound under text that never repeats, and classify exactly as unbounded ones do', async () => {
    for (const text of messages) {
      const [a, b] = [await bounded.classify(text, 'en'), await unbounded.classify(text, 'en')];
      expect({ text, intent: a.intent, score: a.score, sentiment: a.sentiment }).toEqual({ text, intent: b.intent, score: b.score, sentiment: b.sentiment });
    }
    // Repeats after the caches were emptied still classify the same.
    for (const text of messages.slice(0, 20)) expect((await bounded.classify(`${text}!`, 'en')).intent).toBe((await unbounded.classify(`${text}!`, 'en')).intent);

    const kept = bounded.nlpCacheSizes('en');
    const grown = unbounded.nlpCacheSizes('en');
    for (const cache of ['tokenizer', 'stemmer', 'classifier'] as const) {
      expect(kept[cache], cache).toBeGreaterThan(0);
      expect(kept[cache], cache).toBeLessThanOrEqual(50);
      expect(grown[cache], cache).toBeGreaterThan(200);
    }
  });
});
