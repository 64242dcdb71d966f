/** Persian text variants: ZWNJ, Arabic letters, Persian digits and punctuation must not change what the bot understands. */
import path from 'node:path';
import { containerBootstrap } from '@nlpjs/core';
import { LangFa } from '@nlpjs/lang-fa';
import { beforeAll, describe, expect, it } from 'vitest';
import { LanguageSchema } from '../../bot/config.js';
import { cleanText } from '../../bot/middleware/inputMiddleware.js';
import { guessCategory } from '../../dialogs/complaintDialog.js';
import { normalizePhrase, phrases } from '../../dialogs/supportDialog.js';
import { translator } from '../../i18n/index.js';
import { NluEngine, normalizeForClassification } from '../../nlu/engine.js';
import { extractEntities } from '../../nlu/entities.js';
import { normalizeScript } from '../../nlu/normalize.js';
import { NlpRecognizer } from '../../nlu/recognizer.js';
import { PersianStemmer } from '../../nlu/stemmerFa.js';
import { KnowledgeBase } from '../../storage/knowledgeBase.js';
import { ROOT, TEST_MODEL_FILE } from '../helpers/paths.js';

let engine: NluEngine;
let recognizer: NlpRecognizer;
beforeAll(async () => {
  engine = await NluEngine.create({ languages: LanguageSchema.options, modelFile: TEST_MODEL_FILE });
  recognizer = new NlpRecognizer(engine, { threshold: 0.55, ambiguityMargin: 0.15 });
});

describe('script normalisation', () => {
  it('writes the ZWNJ, joined and spaced spellings of a word the same way', () => {
    const forms = ['می‌خواهم سفارشم را لغو کنم', 'میخواهم سفارشم را لغو کنم', 'می خواهم سفارشم را لغو کنم'].map(normalizeScript);
    expect(new Set(forms).size).toBe(1);
    expect(normalizeScript('بسته‌ها')).toBe(normalizeScript('بسته ها'));
    expect(normalizeScript('نمی‌دونم')).toBe(normalizeScript('نمی دونم'));
  });

  it('folds Arabic letters, diacritics, stretched letters and Persian punctuation', () => {
    expect(normalizeScript('كي ميرسه')).toBe(normalizeScript('کی میرسه'));
    expect(normalizeScript('اصلاً')).toBe('اصلا');
    expect(normalizeScript('سلااام')).toBe('سلام');
    expect(normalizeScript('کجاست؟ خوب، بد؛')).toBe('کجاست? خوب, بد;');
  });

  it('reads Persian and Arabic-Indic digits as ASCII, and leaves Latin text alone', () => {
    expect(normalizeScript('۱۰۴۳۵ و ١٠٢٣١')).toBe('10435 و 10231');
    expect(normalizeScript('where is order 10435?')).toBe('where is order 10435?');
    expect(cleanText('۲')).toBe('2');
    expect(cleanText('۰۲۱۳۹')).toBe('02139');
    // Full-width forms of a Chinese keyboard: digits and email signs, never the punctuation Chinese is written with.
    expect(cleanText('订单号＃１０２３１，ａ＠ｂ．ｃｏ？')).toBe('订单号#10231，a@b.co？');
  });

  it('gives the Persian tokenizer identical tokens for every spelling', async () => {
    const container = await containerBootstrap();
    container.use(LangFa);
    const tokenizer = container.get<{ tokenize(t: string, n: boolean): string[] }>('tokenizer-fa');
    const tokens = (t: string) => tokenizer.tokenize(normalizeForClassification(t), true);
    expect(tokens('سفارش ۱۰۴۳۵ من کجاست؟')).toEqual(tokens('سفارش 10435 من کجاست ?'));
    expect(tokens('می‌خوام با یه آدم حرف بزنم')).toEqual(tokens('می خوام با يه ادم حرف بزنم'));
  });
});

describe('Persian entities', () => {
  it('finds order numbers written in Persian or Arabic-Indic digits, as ASCII digits', () => {
    expect(extractEntities('سفارش ۱۰۴۳۵ من کجاست؟').orderNumber).toEqual(['10435']);
    expect(extractEntities('شماره سفارشم #١٠٦٢٢ هست').orderNumber).toEqual(['10622']);
    expect(extractEntities('سفارش۱۰۲۳۱').orderNumber).toEqual(['10231']);
    expect(extractEntities('۱۲۳ تا').orderNumber).toBeUndefined();
  });

  it('replaces them by the placeholder before classification', () => {
    expect(normalizeForClassification('سفارش ۱۰۴۳۵ من کجاست؟')).toBe('سفارش @orderNumber من کجاست?');
    expect(normalizeForClassification('ایمیلم maryam.۱۲@example.com هست')).toBe('ایمیلم @email هست');
  });
});

describe('Persian classification is spelling-independent', () => {
  const same = async (texts: string[], intent: string) => {
    for (const text of texts) expect((await recognizer.recognizeText(text, 'fa')).intent, text).toBe(intent);
  };

  it('order status, with Persian or Latin digits', async () => {
    await same(['سفارش ۱۰۴۳۵ من کجاست؟', 'سفارش 10435 من کجاست', 'سفارش ١٠٤٣٥ من كجاست'], 'order.status');
    expect((await recognizer.recognizeText('سفارش ۱۰۴۳۵ من کجاست؟', 'fa')).entities.orderNumber).toEqual(['10435']);
  });

  it('ZWNJ, joined and spaced verb forms', async () => {
    await same(['می‌خوام با یه آدم حرف بزنم', 'میخوام با یه آدم حرف بزنم', 'می خوام با يه آدم حرف بزنم'], 'agent.handoff');
    await same(['می‌خواهم سفارشم را لغو کنم', 'میخواهم سفارشم را لغو کنم', 'می خواهم سفارشم را لغو كنم'], 'faq.cancel');
  });
});

describe('Persian stemmer', () => {
  const stemmer = new PersianStemmer(new Set(['سفارش', 'پشتیبانی', 'کارت', 'کار']));

  it('maps an unseen word with a possessive or plural ending to the known word', () => {
    expect(stemmer.stemWord('پشتیبانیتون')).toBe('پشتیبانی');
    expect(stemmer.stemWord('سفارشامو')).toBe('سفارش');
  });

  it('leaves known words alone, so "کارت" (card) never becomes "کار" (work)', () => {
    expect(stemmer.stemWord('کارت')).toBe('کارت');
    expect(stemmer.stemWord('ناشناخته')).toBe('ناشناخته');
  });
});

describe('Persian sentiment', () => {
  const label = async (text: string) => (await engine.analyzeSentiment(text, 'fa')).label;

  it('reads the negated copula that follows the word', async () => {
    expect(await label('از خریدم راضی نیستم')).toBe('negative');
    expect(await label('اصلاً خوب نیست')).toBe('negative');
    expect(await label('بد نبود، راستش خوب بود')).toBe('positive');
    expect(await label('راضي نيستم')).toBe('negative');
  });

  it('scores strength, not just sign', async () => {
    const mild = await engine.analyzeSentiment('جعبه یه کم قر شده بود', 'fa');
    const strong = await engine.analyzeSentiment('افتضاحه، بدترین خدمات ممکن، واقعاً عصبانی‌ام', 'fa');
    expect(strong.score).toBeLessThan(mild.score);
    expect(strong.score).toBeLessThanOrEqual(-0.6);
  });

  it('keeps plain questions neutral', async () => {
    expect(await label('پرداخت قسطی دارید؟')).toBe('neutral');
    expect(await label('ارسال به کانادا چقدر طول می‌کشه؟')).toBe('neutral');
  });
});

describe('Persian keywords in the knowledge base and the dialogs', () => {
  it('picks the same FAQ variant for every spelling', async () => {
    const kb = await KnowledgeBase.load(path.join(ROOT, 'data', 'faq'), ['en', 'fa']);
    const variant = (q: string) => kb.answer('faq.account', 'fa', q)?.variant;
    expect(variant('رمز عبورم را فراموش کرده‌ام')).toBeDefined();
    expect(variant('رمز عبورم را فراموش کرده‌ام')).toBe(variant('رمز عبورم رو فراموش کردم'));
    expect(kb.answer('faq.returns', 'fa', 'مرجوعی رایگانه؟')?.variant).toBe(kb.answer('faq.returns', 'fa', 'برچسب مرجوعی')?.variant);
    expect(kb.answer('faq.shipping', 'fa', 'ارسال‌های بین‌المللی')?.variant).toBe(kb.answer('faq.shipping', 'fa', 'ارسال بین المللی')?.variant);
  });

  it('matches cancel words, skip words and complaint keywords across spellings', () => {
    const t = translator('fa');
    expect(phrases(t, 'interrupt.cancelWords')).toContain(normalizePhrase('بی خیال'));
    expect(phrases(t, 'complaint.skipWords')).toContain(normalizePhrase('نمیدونم'));
    expect(guessCategory('کتری کار نمی کنه', t)).toBe('damaged');
    expect(guessCategory('کتری کار نمي‌كنه', t)).toBe('damaged');
    expect(guessCategory('سفارشم دو هفته دیر رسید', t)).toBe('late');
    expect(guessCategory('پیک دیروز خیلی بی‌ادب بود', t)).toBe('service');
  });
});
