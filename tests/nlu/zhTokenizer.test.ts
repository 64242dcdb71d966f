/**
 * The Chinese word tokenizer (what sentiment reads) must segment exactly as the NLP.js package's did, without the
 * package's 110 MB compiled dictionary ever being built in the bot.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { containerBootstrap } from '@nlpjs/core';
import { describe, expect, it } from 'vitest';
import { LanguageSchema } from '../../bot/config.js';
import { NluEngine } from '../../nlu/engine.js';
import { languagePlugin, ZhWordTokenizer } from '../../nlu/languages.js';
import { SortedWords } from '../../nlu/sortedWords.js';
import { ROOT, TEST_MODEL_FILE } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
/** The package's dictionary module: `cedict` is set once it has compiled the dictionary. */
const packageDictionary = () => require('@nlpjs/lang-zh/src/dictionary.js') as { cedict?: string; segment(text: string): string[] };

const sentences = (file: string): string[] => {
  const json = JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as { items?: Array<{ text: string }>; data?: Array<{ utterances: string[] }> };
  return [...(json.items ?? []).map((i) => i.text), ...(json.data ?? []).flatMap((d) => d.utterances)];
};

describe('Chinese word tokenizer', () => {
  it('SortedWords finds exactly its words, first and last of each length included', () => {
    const list = ['订单', '退款', '快递', '好', '不', '满意', '不满意', '一败涂地', 'toolongword'];
    const words = new SortedWords(list, 8);
    for (const w of list.filter((x) => x.length <= 8)) expect(words.has(w), w).toBe(true);
    for (const w of ['', '订', '订单号', '不满', '一败涂', 'toolongword', 'zz', '丁单']) expect(words.has(w), w).toBe(false);
  });

  it('the bot analyses Chinese without compiling the package dictionary', async () => {
    const engine = await NluEngine.create({ languages: LanguageSchema.options, modelFile: TEST_MODEL_FILE });
    expect((await engine.analyzeSentiment('快递太慢了，我很不满意', 'zh')).label).toBe('negative');
    expect((await engine.analyzeSentiment('客服很耐心，谢谢', 'zh')).label).toBe('positive');
    expect(packageDictionary().cedict).toBeUndefined();
  });

  it('segments every labelled and held-out Chinese sentence exactly as the package tokenizer did', async () => {
    const container = await containerBootstrap();
    container.use(languagePlugin('zh'));
    const ours = container.get<ZhWordTokenizer>('tokenizer-zh');
    expect(ours).toBeInstanceOf(ZhWordTokenizer);
    const texts = [...sentences('tests/nlu/sentiment.zh.json'), ...sentences('tests/nlu/heldout.zh.json'), 'hi，小客服 T恤 @orderNumber 退款'];
    expect(texts.length).toBeGreaterThan(300);
    // The reference: the package's own longest-match segmenter over the same normalised text.
    const theirs = packageDictionary();
    for (const text of texts) {
      const normalised = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
      expect(ours.tokenize(text, true), text).toEqual(theirs.segment(normalised));
    }
  });
});
