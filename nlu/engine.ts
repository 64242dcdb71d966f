/** The NLP.js engine: trains from the corpora (or loads the cached model when they are unchanged) and classifies. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { containerBootstrap, type Container } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Logger } from '../bot/logger.js';
import { silentLogger } from '../bot/logger.js';
import { COMPLAINT_INTENT, CORPUS_DIR, type Corpus, corpusHash, HANDOFF_INTENT, loadCorpora, ORDER_STATUS_INTENT } from './corpus.js';
import {
  EMAIL_PATTERN,
  type Entities,
  extractEntities,
  LABELLED_POSTCODE,
  ORDER_NUMBER_PATTERN,
  ORDER_NUMBER_SLOT,
  ORDER_NUMBER_TOKEN,
  TICKET_ID_PATTERN,
  TICKET_ID_TOKEN,
  withoutCorrectedNumbers,
} from './entities.js';
import { languagePlugin } from './languages.js';
import { languageCues, type LanguageCues, withoutCues } from './languageDetect.js';
import { boundNlpCaches, NLP_CACHE_ENTRIES, type NlpCacheHolders, nlpCacheSizes } from './nlpCaches.js';
import { normalizeScript } from './normalize.js';
import { type Sentiment, SentimentService } from './sentiment.js';
import { Shorthand } from './shorthand.js';
import { findWordListFacts, guardSpellCheck } from './spelling.js';
import { PersianStemmer } from './stemmerFa.js';
import { wordListVersions } from './wordLists.js';

/** Bump when preprocessing or training settings change, so cached models are retrained. */
const ENGINE_VERSION = 'engine-10';

/**
 * Per-language classifier settings on top of the defaults. Spanish inflects heavily, so its corpus has many rare
 * stems; at NLP.js's default learning rate (0.6) the perceptrons fit them with extreme weights and unseen phrasing
 * suffers (held-out accuracy 86–89%). A gentler rate stops training before that over-fit (held-out ≈ 96%).
 */
const CLASSIFIER_OVERRIDES: Record<string, Record<string, unknown>> = { es: { learningRate: 0.2 } };

/** One intent and its score. */
export interface Classification {
  intent: string;
  score: number;
}

/** A classification as NLP.js gives it, with the classifier's own output before the scores are rescaled to sum to 1. */
interface Reading extends Classification {
  raw?: number;
}

/** What the engine says about one text, before thresholds are applied. */
export interface NluResult {
  text: string;
  lang: string;
  intent: string;
  score: number;
  classifications: Classification[];
  entities: Entities;
  sentiment: Sentiment;
  /** A second question the message asks in a sentence of its own, answered after the first (`secondRequest`). */
  also?: SecondRequest;
}

/** A question a message asks besides its main request: "where is order 10860? also, can I change the address?". */
export interface SecondRequest {
  intent: string;
  score: number;
  /** The sentence that asks it, as the classifier read it. */
  text: string;
}

const ModelFileSchema = z.object({
  hash: z.string(),
  trainedAt: z.string(),
  languages: z.array(z.string()),
  model: z.string(),
  /** Per language, the stems of real words spell correction must leave alone (`nlu/spelling.ts`). */
  realWordStems: z.record(z.string(), z.array(z.string())),
  /** Corpus words that name no language: not in their language's word list, or in another's (`nlu/wordLists.ts`). */
  notCues: z.array(z.string()),
});

interface NlpInstance {
  settings: Record<string, unknown>;
  addLanguage(lang: string): void;
  addDocument(lang: string, utterance: string, intent: string): void;
  train(): Promise<void>;
  export(minified?: boolean): string;
  import(data: string): void;
  process(lang: string, text: string, context?: unknown, settings?: unknown): Promise<{ intent: string; score: number; classifications: Classification[] }>;
  container: NlpCacheHolders['container'];
  nluManager?: NlpCacheHolders['nluManager'];
}

/** Options for building the engine. */
export interface NluEngineOptions {
  languages: readonly string[];
  /** Where the trained model is cached; null keeps it in memory only. */
  modelFile: string | null;
  corpusDir?: string;
  lexiconDir?: string;
  logger?: Logger;
  /** Train even when the cached model matches the corpora. */
  forceTrain?: boolean;
  /** New entries each of NLP.js's internal caches takes before it is emptied (default `NLP_CACHE_ENTRIES`). */
  nlpCacheEntries?: number;
  /** Told, with the reason, before a training of a minute or more starts: a terminal user sees why nothing happens. */
  onTraining?: (reason: string) => void;
}

/** Intents that give way to a task intent found elsewhere in the same message. */
const SMALL_TALK = new Set(['greeting', 'thanks', 'goodbye']);
/**
 * A greeting a request follows in the same sentence: "hi, can I pay with Apple Pay?" read as a greeting (0.82) as a
 * whole. Thanks is left out: what follows it is mostly praise, which the classifier misreads ("thanks, very useful").
 */
const GREETING = 'greeting';
const THANKS = 'thanks';
const GOODBYE = 'goodbye';
/**
 * What a clause after a greeting needs, in the classifier's own outputs, to stand for the message: a clear lead over
 * every other intent and little None. Rescaled scores do not separate: "hope you're doing well today" read as contact
 * at 0.98 (output 0.36), "do you deliver on sundays?" as shipping at 0.82 (output 0.47); "could you assist?" had
 * contact at 0.76 but None at 0.50, "how are you today" contact at 0.57 and thanks at 0.45.
 */
const AFTER_GREETING = { evidence: 0.45, lead: 0.2, none: 0.3 };
/**
 * Words a clause after a greeting needs (a Chinese character counts as one): "hello, I'm back" read as returns on
 * "back" alone; the shortest requests seen ("do you take klarna", "how much is delivery?") have four.
 */
const AFTER_GREETING_WORDS = 4;
/** Two readings this close are a tie, which a clause may break (`clauseBreakingTie`). */
const TIE = 0.05;
/** Words of a text for that count: runs of letters and digits, and each Chinese character. */
const countWords = (text: string): number => (text.match(/\p{Script=Han}|[\p{L}\p{N}]+/gu) ?? []).length;

/** Whether an intent is a customer's task: neither None nor small talk. */
export const isTask = (intent: string): boolean => intent !== 'None' && !SMALL_TALK.has(intent);

/**
 * What a second question may be: one the knowledge base answers in one reply, or an order's status. A second
 * complaint or request for a person is mostly the story of the first ("it arrived broken. I want to talk to someone").
 */
const answersSecond = (intent: string): boolean => intent.startsWith('faq.') || intent === ORDER_STATUS_INTENT;
/** A question mark, in the scripts the corpora are written in. */
const ASKS = /[?？؟]/u;
/** Words a second question needs ("tienen telefono?" has two and reads as contact on "telefono" alone). */
const SECOND_REQUEST_WORDS = 3;

/** The score a goodbye clause needs to outrank the thanks beside it ("that sorted it" half reads as a goodbye, 0.92). */
const CLEAR_GOODBYE = 0.95;
/** The score a clause's reading needs to stand for a message the whole of which reads as None. */
const CLAUSE_RESCUE_SCORE = 0.8;
/** A message that is nothing but an order number ("10231", "#10231", "ORD-10231", "۱۰۲۳۱"), once normalised. */
const ONLY_ORDER_NUMBER = new RegExp(`^[\\s#:.,!?]*${ORDER_NUMBER_TOKEN}[\\s.,!?]*$`);
/**
 * A sentence that only names the order ("order 10452.", "my order no. 10452", "pedido 10452", "订单号10452",
 * "سفارش شماره ۱۰۴۵۲"): a detail of the message's request, not a request of its own. Read alone it is order status at
 * 1.0, which outranked the complaint before it: "my mug set arrived smashed to pieces. order 10452" got the order's
 * delivery date.
 */
const NAMES_ONLY_ORDER = new RegExp(
  `^(?:(?:my|the|it'?s|it is|for|re|mi|el|es|شماره)\\s+)*(?:order|pedido|订单|سفارش)?\\s*(?:no\\.?|number|nr\\.?|n[º°o]\\.?|número|numero|号|شماره)?\\s*[#:]?\\s*${ORDER_NUMBER_TOKEN}(?:[\\s,]+(?:with|and|con|y|و))?[\\s.,!]*$`,
  'iu',
);
/** An email address given as a detail ("my email is @email", "email: @email", "mi correo es @email", "邮箱是@email"). */
const EMAIL_DETAIL = /(?:\b(?:my\s+)?e-?mail(?:\s+address)?(?:\s+is|:)?|\b(?:mi\s+)?correo(?:\s+electr[oó]nico)?(?:\s+es|:)?|邮箱(?:是|：|:)?|ایمیل(?:م)?(?:\s+)?)?\s*@email/giu;
/** A postcode given as a detail ("postcode 02139", "zip: 94110", "código postal 73301", "邮编100000", "کد پستی 12345"). */
const POSTCODE_DETAIL = /(?:\b(?:my\s+)?(?:post\s?code|zip(?:\s?code)?)(?:\s+is|:)?|\b(?:mi\s+)?c[oó]digo\s+postal(?:\s+es|:)?|邮编(?:是|：|:)?|کد\s?پستی)\s*[A-Za-z]{0,2}\d[\dA-Za-z]{2,6}(?:\s\d[A-Za-z]{2})?\b/giu;
/** A message with no word in it: digits, punctuation or symbols only ("4", "2)", "!!!"). */
const NO_WORDS = /^[^\p{L}]*$/u;

/**
 * What a part of a message needs to ask for a person clearly enough to outrank any task beside it: "This isn't
 * helping at all. Can I please speak with a real person?" read as a complaint (0.93 against 0.85), and the customer
 * who asked for a person was asked what the complaint was about. A word of contempt is no request, though it half
 * reads as one: "… nobody ever called. Useless." stays a complaint.
 */
const CLEAR_PERSON = { evidence: 0.6, words: 3 };

/**
 * How much a reading of a text of `words` words is worth when choosing among a message's readings: None lowest,
 * small talk below tasks, a request for a person above a task of the same score ("my parcel is late again, I want to
 * talk to someone"), and a clear one (CLEAR_PERSON) above any task.
 */
function rank(reading: Reading[], words: number, asks: boolean): number {
  const top = reading[0];
  if (!top || top.intent === 'None') return -1;
  // The classifier's own output, not the rescaled score: rescaling makes a reading in which every intent is weak look
  // certain ("where is my order 10435? I am really worried" as a whole: returns at 0.20 became 0.998 and beat the
  // first sentence's order status at 0.996).
  const evidence = Math.min(1, top.raw ?? top.score);
  const person = top.intent === HANDOFF_INTENT ? (evidence >= CLEAR_PERSON.evidence && words >= CLEAR_PERSON.words ? 1 : 0.001) : 0;
  const question = asks && isTask(top.intent) ? QUESTION_WORTH : 0;
  return evidence - (SMALL_TALK.has(top.intent) ? 0.5 : 0) + person + question;
}

/**
 * What asking adds to a task read in one sentence, against a sentence beside it that reads unclearly: the customer's
 * request is more often the sentence that asks than a remark around it. "how do I change my name on my account? got
 * married" went to payments (0.77, with None at 0.67, against the question's 0.72).
 */
const QUESTION_WORTH = 0.1;

/** The highest-ranked of texts already read that `accepts` (the first one's on a tie), if any. */
function highestRanked(read: Array<{ text: string; reading: Reading[] }>, accepts: (reading: Reading[]) => boolean): Reading[] | undefined {
  // The best reading with a question's worth and without it, in one pass.
  let asked: { reading: Reading[]; worth: number } | undefined;
  let plain: { reading: Reading[]; worth: number } | undefined;
  for (const { text, reading } of read) {
    if (!accepts(reading)) continue;
    const words = countWords(text);
    const worth = rank(reading, words, false);
    const askedWorth = ASKS.test(text) && splitSentences(text).length === 1 ? rank(reading, words, true) : worth;
    if (!plain || worth > plain.worth) plain = { reading, worth };
    if (!asked || askedWorth > asked.worth) asked = { reading, worth: askedWorth };
  }
  // Asking only outweighs a reading that is unclear by itself: "I forgot my password. What payment methods do you
  // have?" states a request of its own, answered first with the question after it (`secondRequest`).
  return plain && plain.reading !== asked?.reading && clearTask(plain.reading) ? plain.reading : asked?.reading;
}

/** Whether a clause after a greeting reads clearly as a task other than a person (see AFTER_GREETING). */
function clearTask(reading: Reading[]): boolean {
  const top = reading[0];
  if (!top || !isTask(top.intent) || top.intent === HANDOFF_INTENT) return false;
  const evidence = top.raw ?? top.score;
  const next = Math.max(0, ...reading.slice(1).map((c) => c.raw ?? c.score));
  const none = reading.find((c) => c.intent === 'None');
  return evidence >= AFTER_GREETING.evidence && evidence - next >= AFTER_GREETING.lead && (none?.raw ?? 0) < AFTER_GREETING.none;
}

/** Makes each classifier keep its own outputs on the classifications (`raw`) before NLP.js rescales them. */
function keepRawScores(domains: Record<string, object> | undefined): void {
  for (const domain of Object.values(domains ?? {}) as Array<{ normalizeClassifications(input: { classifications?: Reading[] }): unknown }>) {
    const rescale = domain.normalizeClassifications.bind(domain);
    domain.normalizeClassifications = (input) => {
      for (const c of input.classifications ?? []) c.raw = c.score;
      return rescale(input);
    };
  }
}

/** Sentences of a message (split on . ! ? ; newlines and their CJK/Persian forms), each with at least one word. */
export function splitSentences(text: string): string[] {
  return wordyParts(text.split(/(?<=[.!?;。！？；؟])\s*|\n+/u));
}

/** A message's parts with their readings. */
type ReadParts = Array<{ text: string; reading: Reading[] }>;

/**
 * The task a part of a message states before a later part that reads as `smallTalk`, if any: a clear reading
 * (CLAUSE_RESCUE_SCORE) of one of the parts before the last such one that `counts` (every one by default).
 */
async function taskBefore(read: ReadParts, smallTalk: string, counts: (text: string) => Promise<boolean> = async () => true): Promise<Reading[] | undefined> {
  const last = read.findLastIndex(({ reading }) => reading[0]?.intent === smallTalk);
  const states = (reading: Reading[]) => !!reading[0] && isTask(reading[0].intent) && reading[0].score >= CLAUSE_RESCUE_SCORE;
  const before = [];
  for (const part of read.slice(0, Math.max(0, last))) if (states(part.reading) && (await counts(part.text))) before.push(part);
  return highestRanked(before, states);
}

/**
 * A clear question asked after thanks: "ok thanks, and how much is shipping?" read as thanks (1.00), and the question
 * went unanswered after an FAQ's "Did that answer your question?". Only a question (a question mark): "thanks, I'll
 * check the tracking" is no request.
 */
function questionAfterThanks(read: ReadParts): Reading[] | undefined {
  const first = read.findIndex(({ reading }) => reading[0]?.intent === THANKS);
  const asks = (reading: Reading[], text: string) => !!reading[0] && isTask(reading[0].intent) && reading[0].score >= CLAUSE_RESCUE_SCORE && ASKS.test(text);
  return highestRanked(
    read.slice(first + 1).filter(({ reading, text }) => asks(reading, text)),
    (reading) => !!reading[0] && isTask(reading[0].intent),
  );
}

/**
 * A goodbye in a clause of a message that reads as thanks: the customer is leaving. "thanks a lot, bye" read as
 * thanks (0.76), so "anything else?" came back instead of the goodbye and the survey.
 */
function goodbyeBesideThanks(read: ReadParts): Reading[] | undefined {
  return highestRanked(read, (reading) => reading[0]?.intent === GOODBYE && reading[0].score >= CLEAR_GOODBYE);
}

/**
 * Words that join two clauses, per language. "I am Anna and I want to know where my order is" read as None as a
 * whole (the introduction outweighs the request); its second clause alone is a clear order-status question.
 */
const CONJUNCTIONS: Record<string, RegExp> = {
  en: /\s+(?:and|but|so|because)\s+/iu,
  es: /\s+(?:y|e|pero|porque|así que|asi que)\s+/iu,
  fa: /\s+(?:و|ولی|اما|چون)\s+/u,
  zh: /但是|可是|而且|因为|所以/u,
};

/**
 * Words that open a second question within a sentence, per language: "where is order 10860 also can i change the
 * address" has no full stop between its two questions.
 */
const ALSO_WORDS: Record<string, string> = {
  en: 'and also|also|plus|btw|by the way|one more thing|another question',
  es: 'y también|y tambien|también|tambien|además|ademas|otra cosa|otra pregunta|por cierto',
  fa: 'همچنین|ضمنا|ضمناً|یه سوال دیگه|یک سوال دیگر',
};
/**
 * "and" before a question word starts a second question too: "do you take paypal and where is my order 10486". Only
 * there: "and" elsewhere mostly joins the parts of one request ("it arrived late and broken").
 */
const AND_ASKING: Record<string, string> = {
  en: 'and(?=\\s+(?:where|when|how|what|which|why|can|could|do|does|is|are|will|would)\\b)',
  es: 'y(?=\\s+(?:dónde|donde|cuándo|cuando|cómo|como|qué|cuánto|cuanto|cuál|cual|puedo|pueden|se puede|hay|tienen|aceptan)(?![\\p{L}]))',
};
/** "And" opening a sentence after a full stop starts another request: "do you ship to canada. and how do I reset my password". */
const SENTENCE_AND: Record<string, string> = { en: 'and', es: 'y', fa: 'و' };
const ALSO: Record<string, RegExp> = {
  ...Object.fromEntries(
    Object.entries(ALSO_WORDS).map(([lang, words]) => [lang, new RegExp(`\\s+(?:(?:${words})[,:،]?${AND_ASKING[lang] ? `|${AND_ASKING[lang]}` : ''})\\s+`, 'iu')]),
  ),
  zh: /还有|另外|顺便问一下|顺便问下|再问一下/u,
};
/** A word such as "also" opening a sentence: "…shipping? also where is order 10486" (it sets the sentence apart). */
const ALSO_LEAD: Record<string, RegExp> = Object.fromEntries(
  Object.entries(ALSO_WORDS).map(([lang, words]) => [lang, new RegExp(`^(?:${words}|${SENTENCE_AND[lang] ?? 'and'})(?![\\p{L}])`, 'iu')]),
);

/**
 * "Firstly", "secondly" opening a sentence, per language: they number the questions, and ask nothing. "اول اینکه سفارش
 * ۱۰۳۵۰ کی می‌رسد؟ دوم اینکه می‌شود آدرس تحویل را عوض کنم؟" (firstly, when does order 10350 arrive? secondly, can I
 * change the address?) got the address only: "firstly" made the first question half cancelling (0.63).
 */
const ORDINAL_LEAD: Record<string, RegExp> = {
  // A bare "first" or "second" only with its comma: "second hand items" and "primero quiero…" say something.
  en: /(^|[.!?;]\s*)(?:(?:first of all|firstly|secondly|thirdly)\b[,:]?|(?:first|second|third)[,:])\s*/giu,
  es: /(^|[.!?;¿¡]\s*)(?:(?:en primer lugar|en segundo lugar)(?![\p{L}])[,:]?|(?:primero|segundo|tercero)[,:])\s*/giu,
  fa: /(^|[.!?;؟]\s*)(?:اول اینکه|دوم اینکه|سوم اینکه|اولاً|دوماً|اولا|دوما)(?![\p{L}])[,:،]?\s*/gu,
  zh: /(^|[。！？；.!?;]\s*)(?:(?:第一|第二|第三)[，,、:：]|(?:首先|其次)[，,、:：]?)\s*/gu,
};

/**
 * A greeting that opens a message without a comma, per language: "hi i cancelled order 10894 last week when do i get my
 * money back" read as None (1.0) where the same words without "hi" read as cancellation (1.0).
 */
const GREETING_LEAD: Record<string, RegExp> = {
  // Stretched too ("hellooooo where is 10554"), as the classifier reads a stretched word (nlu/normalize.ts).
  en: /^(?:(?:hi+|hel+o+|hey+) there|hiya+|hi+|hel+o+|he+y+|good (?:morning|afternoon|evening))\s+(?=[\p{L}\p{N}@])/iu,
  es: /^(?:hola+|buenas|buenos d[ií]as|buenas tardes|buenas noches)\s+(?=[\p{L}\p{N}@])/iu,
  fa: /^(?:سلام|درود)\s+(?=[\p{L}\p{N}@])/u,
  zh: /^(?:你好|您好|hi|hello)\s*(?=[\p{L}\p{N}@])/iu,
};

/** Words that say a problem was put right, per language ("the broken one was replaced", "me cambiaron la lámpara"). */
const PUT_RIGHT: Record<string, RegExp> = {
  en: /\b(?:replaced|fixed|sorted|resolved|solved|refunded|works now|working now)\b/iu,
  es: /(?<![\p{L}])(?:cambiaron|arreglaron|arreglado|resuelto|solucionado|reembolsaron|reemplazaron|ya funciona)(?![\p{L}])/iu,
  zh: /解决了|换好了|修好了|退款到了|已经换了/u,
  fa: /حل شد|درست شد|عوض شد|تعویض شد/u,
};

/** Words that name a person to talk to, per language. */
const PERSON_WORDS: Record<string, RegExp> = {
  en: /\b(?:agents?|humans?|persons?|people|someone|somebody|anyone|representatives?|reps?|operators?|managers?|supervisors?|staff|team|colleagues?|live|real|call|phone)\b/iu,
  es: /(?:agente|humano|persona|alguien|representante|operador|encargad[oa]|supervisor|equipo|llam)/iu,
  zh: /人工|真人|客服|人|经理|主管|电话/u,
  fa: /اپراتور|آدم|انسان|کسی|کارشناس|پشتیبان|مدیر|همکار|تماس|زنگ/u,
};

/** Words that turn a mention of a person down, per language ("no human needed", "sin agente", "不用人工", "بدون اپراتور"). */
const NOT_A_REQUEST: Record<string, RegExp> = {
  en: /\b(?:no|not|without|don'?t|dont|never|nobody)\b/iu,
  es: /(?<![\p{L}])(?:no|sin|nunca|nadie)(?![\p{L}])/iu,
  // Not every negation: "能不能转人工" and "نمی‌شه با یک نفر صحبت کنم؟" (can't I talk to someone?) ask for one.
  zh: /别|不用|不要|不需要|无需|没必要/u,
  fa: /نیازی|لازم نیست|ن(?:می\s?)?خوا(?:هم|م)|بدون|کاری ندارم/u,
};

/** Whether `text` has a word that turns a mention of a person down ("no need for a person", "sin agente"). */
export function turnsDown(text: string, lang: string): boolean {
  return NOT_A_REQUEST[lang]?.test(text) ?? false;
}

/**
 * Words that say a message is no complaint, per language: "شکایت ندارم، فقط می‌خواهم روند مرجوعی را بدانم" (I have no
 * complaint, I just want to know how returns work) read as a complaint on its first word, and opened the complaint form.
 */
const NO_COMPLAINT: Record<string, RegExp> = {
  en: /\b(?:(?:this|it) is not a complaint|(?:this|it)'?s not a complaint|not a complaint|i have no complaints?|no complaints?|nothing(?:'s| is)? wrong with (?:it|them|the \w+))\b/giu,
  es: /\b(?:no es (?:una )?queja|no tengo (?:ninguna )?queja|sin queja|no (?:tiene|le pasa) nada(?: malo)?)\b/giu,
  zh: /不是投诉|没有投诉|不是要投诉|不是质量问题|没有质量问题/gu,
  fa: /شکایت(?:ی)?\s?ندارم|ایرادی ندارد|مشکلی ندارد/gu,
};

/** A sentence split where a second question opens (`ALSO`), each part with at least one word. */
export function splitOnAlso(sentence: string, lang: string): string[] {
  const also = ALSO[lang];
  return also ? wordyParts(sentence.split(also)) : [sentence];
}

/** Whether a sentence opens with a word such as "also", "además", "还有" (`ALSO_LEAD`). */
function opensWithAlso(sentence: string, lang: string): boolean {
  return lang === 'zh' ? /^(?:还有|另外|顺便)/u.test(sentence) : (ALSO_LEAD[lang]?.test(sentence) ?? false);
}

/**
 * Clauses of a sentence: its parts between commas (Latin, CJK and Arabic-script forms) and, given its language,
 * between conjunctions; each with at least one word.
 */
export function splitClauses(text: string, lang?: string): string[] {
  const conjunction = lang ? CONJUNCTIONS[lang] : undefined;
  const parts = text.split(/[,，、،]/u);
  return wordyParts(conjunction ? parts.flatMap((part) => part.split(conjunction)) : parts);
}

function wordyParts(parts: string[]): string[] {
  return parts.map((s) => s.trim()).filter((s) => /[\p{L}@]/u.test(s));
}

/**
 * Replaces entity values (and template slots such as "{{Order Number}}") by the placeholders the corpora use, so
 * "order 10231" reads as "order @orderNumber", after folding script variants (ZWNJ, Arabic yeh/kaf, Persian digits and
 * punctuation) to one spelling.
 */
export function normalizeForClassification(text: string): string {
  return (
    withoutCorrectedNumbers(normalizeScript(text))
      // A postcode given as one is a detail, like an order number, but its label ("postal code") is a contact
      // question's word: "where is 10435? postal code 02139" read as contact details.
      .replace(LABELLED_POSTCODE, ' ')
      .replace(EMAIL_PATTERN, ' @email ')
      .replace(TICKET_ID_PATTERN, ` ${TICKET_ID_TOKEN} `)
      .replace(ORDER_NUMBER_PATTERN, ` ${ORDER_NUMBER_TOKEN} `)
      .replace(ORDER_NUMBER_SLOT, ` ${ORDER_NUMBER_TOKEN} `)
      .replace(/\s+/g, ' ')
      .trim()
  );
}

const NO_SHORTHAND = new Shorthand();

/** Each corpus's shorthand (an empty one where the corpus lists none). */
function shorthands(corpora: Map<string, Corpus>): Map<string, Shorthand> {
  return new Map([...corpora].map(([lang, corpus]) => [lang, new Shorthand(corpus.shorthand)]));
}

/** How a language's classifier reads a text: normalised (`normalizeForClassification`), then its shorthand spelled out. */
function readWith(shorthand: Shorthand, text: string): string {
  return shorthand.expand(normalizeForClassification(text));
}

/** Every token of a corpus, as the language's tokenizer produces it from the utterances as the classifier reads them. */
function corpusVocabulary(container: Container, lang: string, corpus: Corpus, shorthand: Shorthand): Set<string> {
  const tokenizer = container.get<{ tokenize(text: string, normalize?: boolean): string[] }>(`tokenizer-${lang}`);
  return new Set(corpus.data.flatMap((d) => d.utterances.flatMap((u) => tokenizer.tokenize(readWith(shorthand, u), true))));
}

/**
 * Trained NLP.js model plus sentiment, with result caches (the same texts recur: "yes", "thanks", "hi"). Each cache
 * is keyed on exactly what its analysis reads: intents on the normalised text, so "order 10231 is late" and "order
 * 10877 is late" share one classification; sentiment on the text as written.
 */
export class NluEngine {
  private readonly intentCache = new LRUCache<string, { classifications: Classification[]; also?: SecondRequest }>({ max: 5000 });
  private readonly sentimentCache = new LRUCache<string, Sentiment>({ max: 5000 });

  private constructor(
    private readonly nlp: NlpInstance,
    private readonly sentiment: SentimentService,
    readonly languages: readonly string[],
    readonly modelHash: string,
    readonly trainedNow: boolean,
    private readonly shorthands: ReadonlyMap<string, Shorthand>,
    realWordStems: Record<string, string[]>,
    /** What the corpora say about which language a short message is in (`languageCues`). */
    readonly languageCues: LanguageCues,
    nlpCacheEntries = NLP_CACHE_ENTRIES,
  ) {
    boundNlpCaches(nlp, languages, nlpCacheEntries);
    for (const lang of languages) {
      const domains = nlp.nluManager?.domainManagers?.[lang]?.domains;
      const stemmer = nlp.container?.get?.(`stemmer-${lang}`) as { stemWord?(word: string): string } | undefined;
      guardSpellCheck(domains, new Set(realWordStems[lang] ?? []), stemmer?.stemWord ? (word) => stemmer.stemWord!(word) : undefined);
      keepRawScores(domains);
    }
  }

  /** Entries NLP.js's internal caches hold for a language (diagnostics: they are bounded by `NLP_CACHE_ENTRIES`). */
  nlpCacheSizes(lang: string): ReturnType<typeof nlpCacheSizes> {
    return nlpCacheSizes(this.nlp, lang);
  }

  /** Loads the cached model when its hash matches the corpora, else trains (printing progress) and saves it. */
  static async create(options: NluEngineOptions): Promise<NluEngine> {
    const log = options.logger ?? silentLogger;
    const corpora = await loadCorpora(options.languages, options.corpusDir ?? CORPUS_DIR);
    if (corpora.size === 0) throw new Error(`No corpus found for ${options.languages.join(', ')} in ${options.corpusDir ?? CORPUS_DIR}`);
    const langs = [...corpora.keys()];
    const { nlp, container } = await NluEngine.createNlp(langs);
    const shorthand = shorthands(corpora);
    const persian = corpora.get('fa');
    if (persian) container.register('stemmer-fa', new PersianStemmer(corpusVocabulary(container, 'fa', persian, shorthand.get('fa') as Shorthand)), true);
    const sentiment = new SentimentService(container, langs, options.lexiconDir);
    const hash = corpusHash(corpora, `${ENGINE_VERSION} ${wordListVersions()}`);

    if (!options.forceTrain && options.modelFile) {
      const cached = await NluEngine.readModel(options.modelFile);
      if (cached?.hash === hash) {
        nlp.import(cached.model);
        log.info({ languages: langs, hash }, 'NLU model loaded from cache');
        return new NluEngine(nlp, sentiment, langs, hash, false, shorthand, cached.realWordStems, withoutCues(languageCues(corpora), new Set(cached.notCues)), options.nlpCacheEntries);
      }
    }
    const reason = options.forceTrain || !options.modelFile ? 'Training the NLU model' : 'The corpus changed or no model is cached: training the NLU model';
    log.info(reason);
    options.onTraining?.(reason);
    await NluEngine.train(nlp, corpora, shorthand, log);
    const features = Object.fromEntries(langs.map((lang) => [lang, NluEngine.corpusFeatures(nlp, lang)]));
    const cues = languageCues(corpora);
    const { realWordStems, notCues } = await findWordListFacts(features, cues.words);
    if (options.modelFile) {
      await NluEngine.writeModel(options.modelFile, { hash, trainedAt: new Date().toISOString(), languages: langs, model: nlp.export(true), realWordStems, notCues });
    }
    return new NluEngine(nlp, sentiment, langs, hash, true, shorthand, realWordStems, withoutCues(cues, new Set(notCues)), options.nlpCacheEntries);
  }

  /** The stems the language's trained classifier knows (its spell checker's vocabulary). */
  private static corpusFeatures(nlp: NlpInstance, lang: string): string[] {
    const domains = Object.values(nlp.nluManager?.domainManagers?.[lang]?.domains ?? {}) as Array<{ features?: Record<string, unknown> }>;
    return [...new Set(domains.flatMap((d) => Object.keys(d.features ?? {})))];
  }

  private static async createNlp(langs: string[]): Promise<{ nlp: NlpInstance; container: Container }> {
    const container = await containerBootstrap();
    // NLP.js's classifier defaults, with its per-epoch console logging off (registered before any classifier exists).
    const classifier = { keepStopwords: true, nonefeatureValue: 1, nonedeltaMultiplier: 1.2, spellCheck: true, spellCheckDistance: 1, filterZeros: true, log: false };
    container.registerConfiguration('nlu-??', classifier, true);
    for (const [lang, extra] of Object.entries(CLASSIFIER_OVERRIDES)) container.registerConfiguration(`nlu-${lang}`, { ...classifier, ...extra }, true);
    container.use(Nlp);
    for (const lang of langs) container.use(languagePlugin(lang));
    const nlp = container.get<NlpInstance>('nlp');
    Object.assign(nlp.settings, { autoSave: false, autoLoad: false, log: false, threshold: 0, calculateSentiment: false });
    for (const lang of langs) nlp.addLanguage(lang);
    return { nlp, container };
  }

  private static async train(nlp: NlpInstance, corpora: Map<string, Corpus>, shorthand: Map<string, Shorthand>, log: Logger): Promise<void> {
    for (const [lang, corpus] of corpora) {
      const words = shorthand.get(lang) as Shorthand;
      let count = 0;
      for (const { intent, utterances } of corpus.data) {
        // Spelled out, a shorthand utterance ("thank u") may repeat another; twice the same text would weigh double.
        for (const text of new Set(utterances.map((u) => readWith(words, u)))) {
          nlp.addDocument(lang, text, intent);
          count += 1;
        }
      }
      log.info({ lang, intents: corpus.data.length, utterances: count }, `NLU: added ${count} ${lang} utterances`);
    }
    const started = Date.now();
    log.info('NLU: training…');
    await nlp.train();
    log.info({ ms: Date.now() - started }, `NLU: trained in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  private static async readModel(file: string): Promise<z.infer<typeof ModelFileSchema> | undefined> {
    try {
      const parsed = ModelFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // absent or torn: the model is a cache, retraining rebuilds it
    }
  }

  private static async writeModel(file: string, data: z.infer<typeof ModelFileSchema>): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(data));
    await rename(tmp, file);
  }

  /** Classifies `text` in `lang` (falls back to the first of `languages`); see the class comment on caching. */
  async classify(text: string, lang: string): Promise<NluResult> {
    const useLang = this.languages.includes(lang) ? lang : (this.languages[0] as string);
    const normalized = this.read(text, useLang);
    const [{ classifications, also }, sentiment] = await Promise.all([
      cached(this.intentCache, `${useLang}\u0000${normalized}`, () => this.classifyIntent(normalized, useLang)),
      cached(this.sentimentCache, `${useLang}\u0000${text}`, () => this.analyzeSentiment(text, useLang)),
    ]);
    const out = classifications[0] ?? { intent: 'None', score: 1 };
    return { text, lang: useLang, intent: out.intent, score: out.score, classifications, entities: extractEntities(text), sentiment, ...(also ? { also } : {}) };
  }

  /**
   * Classifies the whole text and each of its sentences, and keeps the most confident reading. NLP.js's
   * perceptron can be swamped by a long message ("where is my order 10435? I'm really worried" scored as
   * returns); a customer's request is usually one sentence of several. Small talk ("hi", "thanks") yields to a
   * task found in another sentence of the same message. When none of those readings finds an intent, the
   * clauses between commas and conjunctions may supply a task: a long sentence can zero every intent's output at
   * once ("my parcel is late again and I'm fed up, I want to talk to someone" read as None), while its clauses are
   * clear; so may they for a message that reads as a greeting ("hi, can I pay with Apple Pay?"), though not for a
   * person ("hello, anyone there?" stays a greeting). A message that is only an order number asks about that
   * order; one that reads as None may read as a request without its order number.
   */
  private async classifyIntent(normalized: string, lang: string): Promise<{ classifications: Classification[]; also?: SecondRequest }> {
    const reading = await this.bestReading(normalized, lang);
    const classifications = reading.map(({ intent, score }) => ({ intent, score }));
    const found = reading[0] && (await this.secondRequest(normalized, lang, reading[0].intent));
    if (!found) return { classifications };
    const { also, first } = found;
    // The second question is no rival of the first: left among the classifications, it made the two "too close to
    // tell", and the customer was asked which one they meant.
    const others = (drop: string[]) => classifications.filter((c) => !drop.includes(c.intent));
    // A complaint told in happy or plain words beside a question is none: "朋友推荐的，说质量不错" (a friend said the
    // quality is good) read as one, and a damaged-item ticket was filed before the order's status the customer asked
    // for; "我们家已经有一个了，包装还没拆" (we already have one, still sealed) got the complaint form, not how to return it.
    if (reading[0]?.intent === COMPLAINT_INTENT && (await this.analyzeSentiment(normalized.replace(also.text, ' '), lang)).score >= 0) {
      return { classifications: [{ intent: also.intent, score: also.score }, ...others([also.intent, COMPLAINT_INTENT])] };
    }
    // Answered in the order asked: "can I pay with klarna? also how do I delete my account?" got the account first.
    if (first && found.asksFirst) {
      return { classifications: [{ intent: also.intent, score: also.score }, ...others([also.intent, first.intent])], also: first };
    }
    // The first request is as sure as the part that asks it: "puedo pagar con tarjeta de regalo y cuanto tarda el
    // envio?" read as payment at 0.53 whole, under the threshold, though each part read 1.0; the customer got "no lo he
    // entendido" for two clear questions.
    if (first && first.score > (classifications[0]?.score ?? 0)) {
      return { classifications: [{ intent: first.intent, score: first.score }, ...others([also.intent, first.intent])], also };
    }
    return { classifications: others([also.intent]), also };
  }

  /**
   * A question (`answersSecond`) that a sentence of the message asks besides the request `first`, which another sentence
   * states: "my order 10860 is still not here. also can i change the delivery address?" got the order's status and
   * nothing about the address. Only a clear reading counts (`clearTask`, CLAUSE_RESCUE_SCORE), of a sentence with
   * words enough to be a question of its own: answering a question nobody asked is worse than missing one.
   */
  private async secondRequest(
    normalized: string,
    lang: string,
    first: string,
  ): Promise<{ also: SecondRequest; first?: SecondRequest; asksFirst: boolean } | undefined> {
    if (!isTask(first) || first === HANDOFF_INTENT) return undefined;
    // A part counts as a question of its own when it asks ("…?"), a word such as "also" sets it apart from another
    // part, or it names an order and reads as that order's status ("my order #10792 hasnt arrived yet"): "I got a
    // dress as a gift but it doesn't fit. Can I return it?" is one request whose first sentence half reads as payment.
    const parts = splitSentences(normalized).flatMap((sentence) => {
      const split = splitOnAlso(sentence, lang);
      // Chinese writes the word without a space, so the split takes it off: "另外你们支持PayPal吗" came out a part that
      // neither asks nor is set apart, and went unanswered.
      const led = opensWithAlso(sentence, lang);
      return split.map((text) => ({ text, opened: split.length > 1 || led || opensWithAlso(text, lang) }));
    });
    if (parts.length < 2) return undefined;
    const read = await Promise.all(parts.map(async (part) => ({ ...part, reading: await this.classifyOnce(part.text, lang) })));
    const firstAt = read.findIndex(({ reading }) => reading[0]?.intent === first);
    if (firstAt < 0) return undefined;
    const asks = ({ text, opened, reading }: (typeof read)[number]) => {
      const top = reading[0];
      // A sentence that only names the order is a detail of the request beside it: "my mug set arrived smashed to
      // pieces. order number 10452" filed the complaint, then asked to verify the order for its status.
      if (!top || !answersSecond(top.intent) || NAMES_ONLY_ORDER.test(text)) return false;
      const ownRequest = opened || ASKS.test(text) || (top.intent === ORDER_STATUS_INTENT && text.includes(ORDER_NUMBER_TOKEN));
      return ownRequest && top.score >= CLAUSE_RESCUE_SCORE && clearTask(reading) && countWords(text) >= SECOND_REQUEST_WORDS;
    };
    const secondAt = read.findIndex((part) => part.reading[0]?.intent !== first && asks(part));
    const second = read[secondAt];
    const top = second?.reading[0];
    if (!second || !top) return undefined;
    const firstPart = read[firstAt];
    const firstTop = firstPart?.reading[0];
    return {
      also: { intent: top.intent, score: top.score, text: second.text },
      ...(firstPart && firstTop && asks(firstPart) ? { first: { intent: firstTop.intent, score: firstTop.score, text: firstPart.text } } : {}),
      asksFirst: secondAt < firstAt,
    };
  }

  /** The reading `classifyIntent` reports, with the classifier's raw outputs it was chosen by. */
  private async bestReading(normalized: string, lang: string): Promise<Reading[]> {
    if (!normalized) return [{ intent: 'None', score: 1 }];
    // A bare number leaves the classifier no words to weigh ("10231" came out returns 0.50, order status 0.49, in every
    // language alike); a customer who sends only an order number wants to know about that order.
    if (ONLY_ORDER_NUMBER.test(normalized)) return [{ intent: ORDER_STATUS_INTENT, score: 1 }];
    // Nor does a short number name a request: "4" read as payment (0.99), "7" as contact and "2" as invoices, from
    // "pay in 4", "24/7" and "2 invoices" in the corpus. Where a number answers a question, the prompt reads it.
    if (NO_WORDS.test(normalized)) return [{ intent: 'None', score: 1 }];
    // Nor does an email address alone, labelled or not: it read as account help (0.92), whose answer is about changing
    // one's email.
    const withoutEmail = normalized.replace(EMAIL_DETAIL, ' ').replace(/\s+/g, ' ').trim();
    if (NO_WORDS.test(withoutEmail)) return [{ intent: 'None', score: 1 }];
    // Beside an order number, an email is the detail that verifies the order, not a subject: "where is order 10435,
    // email …" read as contact (0.92), "where is #10435 my email is …" as invoices, the same words without it as status.
    // So is a labelled postcode: "pedido 10707 con código postal 73301" read as status or cancelling (0.58 / 0.42).
    const namesOrder = normalized.includes(ORDER_NUMBER_TOKEN);
    const withoutDetail = namesOrder ? withoutEmail.replace(POSTCODE_DETAIL, ' ').replace(/\s+/g, ' ').trim() : withoutEmail;
    if (namesOrder && withoutDetail !== normalized) return this.bestReading(withoutDetail, lang);
    // A message that only names an order asks about it, as a bare number does, its detail taken off: "pedido 10775 con
    // correo …" left "pedido @orderNumber con", read as status or cancelling, and the customer was asked which.
    if (NAMES_ONLY_ORDER.test(normalized)) return [{ intent: ORDER_STATUS_INTENT, score: 1 }];
    // Without an order number, an email given beside a request is its detail too: "my email is … where is my stuff"
    // read as contact (0.91), the same words without it as order status (0.99). Only a clear task of their own counts.
    if (withoutEmail !== normalized) {
      const rest = await this.bestReading(withoutEmail, lang);
      if (rest[0] && isTask(rest[0].intent) && rest[0].score >= CLAUSE_RESCUE_SCORE) return rest;
    }
    // What is left when the customer says it is no complaint: the complaint's words are theirs to deny.
    const denial = NO_COMPLAINT[lang];
    const undenied = denial ? normalized.replace(denial, ' ') : normalized;
    if (undenied !== normalized) {
      const rest = undenied.replace(/\s+/g, ' ').trim();
      if (!NO_WORDS.test(rest)) return this.bestReading(rest, lang);
    }
    const sentences = splitSentences(normalized);
    const requests = sentences.length > 1 ? sentences.filter((sentence) => !NAMES_ONLY_ORDER.test(sentence)) : [];
    let best = await this.mostConfident([normalized, ...requests], lang);
    // Only where nothing sets the greeting apart: commas and sentences have their own readings below.
    const afterGreeting = normalized.replace(GREETING_LEAD[lang] ?? /^$/, '');
    const greeted = afterGreeting !== normalized && sentences.length === 1 && splitClauses(normalized).length === 1;
    if (best[0]?.intent === GREETING) return this.taskAfterGreeting(sentences, lang, best, greeted ? afterGreeting : undefined);
    if (best[0]?.intent === THANKS) {
      // Thanks after a problem is thanks in advance: "my parcel is late, thanks" got "You're welcome!". After good news
      // it is gratitude: "the tracking link worked, thanks" half reads as order status, but is no question.
      const clauses = sentences.flatMap((sentence) => splitClauses(sentence, lang));
      if (clauses.length < 2) return best;
      // Each clause read once, for the goodbye, the task before the thanks and the question after it.
      const read = await this.readEach(clauses, lang);
      // A problem put right is good news too: "the broken one was replaced, thanks" opened a complaint.
      const aProblem = async (text: string) => !PUT_RIGHT[lang]?.test(text) && (await this.analyzeSentiment(text, lang)).score < 0;
      return goodbyeBesideThanks(read) ?? (await taskBefore(read, THANKS, aProblem)) ?? questionAfterThanks(read) ?? best;
    }
    if (best[0]?.intent !== 'None') return (await this.personInClauses(sentences, lang, best)) ?? (await this.clauseBreakingTie(sentences, lang, best)) ?? best;
    if (greeted) {
      const rest = await this.bestReading(afterGreeting, lang);
      if (rest[0]?.intent !== 'None') return rest;
    }
    // The number's placeholder weighs against every intent whose utterances seldom name an order: "I want to change
    // the address on order 10248" read as None, the same words without the number as shipping. So does an email given
    // as a detail: "hi my email is chen.novak@example.com where is my order" read as None.
    const withoutDetails = withoutEmail.replaceAll(ORDER_NUMBER_TOKEN, ' ').replace(/\s+/g, ' ').trim();
    if (withoutDetails !== normalized) {
      const words = withoutDetails ? await this.classifyOnce(withoutDetails, lang) : best;
      if (words[0]?.intent !== 'None') best = words;
      if (best[0]?.intent !== 'None') return best;
    }
    return this.taskInClauses(sentences, lang, best);
  }

  /**
   * A clause that asks for a person clearly (CLEAR_PERSON, or word for word as the corpus does), in a message that
   * reads as a task: "mi problema es complicado, son dos pedidos y una tarjeta regalo, sinceramente, ¿me pasas con un
   * agente?" read as payment (the gift card), and the customer who asked for an agent got the payment methods.
   */
  private async personInClauses(sentences: string[], lang: string, best: Reading[]): Promise<Reading[] | undefined> {
    if (best[0]?.intent === HANDOFF_INTENT) return undefined;
    const clauses = sentences.flatMap((sentence) => splitClauses(sentence, lang));
    if (clauses.length < 2) return undefined;
    for (const clause of clauses) {
      const reading = await this.classifyOnce(clause, lang);
      const top = reading[0];
      if (top?.intent !== HANDOFF_INTENT) continue;
      // Short of the corpus's own words, the clause must name a person: "می‌خواهم یکی دیگر بخرم" (I want to buy another)
      // half reads as one (0.82), and a customer asking the shipping cost was queued.
      const named = PERSON_WORDS[lang]?.test(clause) ?? true;
      const clear = top.raw === undefined || (named && top.score >= CLAUSE_RESCUE_SCORE && top.raw >= CLEAR_PERSON.evidence && countWords(clause) >= CLEAR_PERSON.words);
      // Any mention of the team reads as a request for one: "no human needed, what's the return window" and "your
      // human agents are great, but where is my order 10401" were queued. Turned down, or praised, it is none.
      const declined = turnsDown(clause, lang);
      if (!clear || declined || (top.raw !== undefined && (await this.analyzeSentiment(clause, lang)).score > 0)) continue;
      return reading;
    }
    return undefined;
  }

  /**
   * The reading of a clause that clearly asks one of two intents the whole message ties between: "wait actually one
   * more thing, where is order 10231" read as returns 0.50 and order status 0.50, and its second clause is a status
   * question. Only a tie (`TIE`): a close reading is still the customer's to settle ("which of these did you mean?").
   */
  private async clauseBreakingTie(sentences: string[], lang: string, best: Reading[]): Promise<Reading[] | undefined> {
    const [top, next] = best;
    if (!top || !next || top.score - next.score > TIE) return undefined;
    const clauses = sentences.flatMap((sentence) => splitClauses(sentence, lang));
    if (clauses.length < 2) return undefined;
    const tied = new Set([top.intent, next.intent]);
    return this.mostConfidentOf(clauses, lang, (reading) => clearTask(reading) && tied.has(reading[0]!.intent));
  }

  /**
   * A clear task in one of the sentences' clauses, else `best`. Only a clear task overrules: "well, the weather is
   * nice" is no greeting because "well" alone reads as one, and "I want to bake bread, any tips?" is no request for a
   * person because "any tips?" half reads as one. Small talk beside a task does not hide it: in "hi there, my vase
   * arrived smashed" the greeting clause (an exact match) tied with the complaint and, first, won.
   */
  private async taskInClauses(sentences: string[], lang: string, best: Reading[]): Promise<Reading[]> {
    const clauses = sentences.flatMap((sentence) => splitClauses(sentence, lang));
    if (clauses.length < 2) return best;
    const rescues = (reading: Reading[]) => !!reading[0] && isTask(reading[0].intent) && reading[0].score >= CLAUSE_RESCUE_SCORE;
    return (await this.mostConfidentOf(clauses, lang, rescues)) ?? best;
  }

  /**
   * The task a greeting opens, if a clause after it (or the words after an opening greeting, `afterGreeting`) reads as
   * one: the greeting's clause outranks a weaker task, and "hello, do you deliver on sundays?" read as a greeting
   * (1.0). A person is no such task: "hello, anyone there?" stays a greeting.
   */
  private async taskAfterGreeting(sentences: string[], lang: string, best: Reading[], afterGreeting?: string): Promise<Reading[]> {
    const pleaded = await this.taskBeforePlea(sentences, lang);
    if (pleaded) return pleaded;
    const clauses = sentences.flatMap((sentence) => splitClauses(sentence, lang));
    // With no comma after the greeting ("hey where is 10554"), the words after it are the clause; set apart from the
    // greeting, three of them are enough.
    const candidates =
      clauses.length > 1
        ? clauses.filter((clause) => countWords(clause) >= AFTER_GREETING_WORDS)
        : afterGreeting && countWords(afterGreeting) >= AFTER_GREETING_WORDS - 1
          ? [afterGreeting]
          : [];
    return (await this.mostConfidentOf(candidates, lang, clearTask)) ?? best;
  }

  /**
   * The task a sentence states before a later one that reads as a greeting, if any. After a request, "help?",
   * "hello?" or "anyone?" is a plea to be answered, not a greeting: "my parcel never came. help?" read as a
   * greeting, an exact match that outranked the order status (output 0.42) of the sentence before it.
   */
  private async taskBeforePlea(sentences: string[], lang: string): Promise<Reading[] | undefined> {
    return sentences.length < 2 ? undefined : taskBefore(await this.readEach(sentences, lang), GREETING);
  }

  /** Each text with its reading. */
  private readEach(texts: string[], lang: string): Promise<Array<{ text: string; reading: Reading[] }>> {
    return Promise.all(texts.map(async (text) => ({ text, reading: await this.classifyOnce(text, lang) })));
  }

  /** The highest-ranked of the texts' readings that `accepts` (the first one's on a tie), if any. */
  private async mostConfidentOf(texts: string[], lang: string, accepts: (reading: Reading[]) => boolean): Promise<Reading[] | undefined> {
    const read = [];
    for (const text of texts) read.push({ text, reading: await this.classifyOnce(text, lang) });
    return highestRanked(read, accepts);
  }

  /** The most confident of the texts' readings (the first one's on a tie). */
  private async mostConfident(texts: string[], lang: string): Promise<Reading[]> {
    return (await this.mostConfidentOf(texts, lang, () => true)) as Reading[];
  }

  private async classifyOnce(text: string, lang: string): Promise<Reading[]> {
    const out = await this.nlp.process(lang, text, undefined, { spellCheck: true });
    const list = [...(out.classifications ?? [])].sort((a, b) => b.score - a.score);
    return list.length ? list : [{ intent: 'None', score: 1 }];
  }

  /** `text` as `lang`'s classifier reads it: normalised, shorthand spelled out, sentences without their ordinals. */
  read(text: string, lang: string): string {
    const read = readWith(this.shorthandOf(lang), text);
    const ordinal = ORDINAL_LEAD[lang];
    return ordinal ? read.replace(ordinal, '$1').trim() : read;
  }

  /** The features the classifier sees for `text`: its stems after spell correction (diagnostics and tests). */
  async features(text: string, lang: string): Promise<string[]> {
    const domain = Object.values(this.nlp.nluManager?.domainManagers?.[lang]?.domains ?? {})[0] as
      | { prepare(input: object): Promise<{ tokens: Record<string, number> }>; doSpellCheck(input: object): Promise<{ tokens: Record<string, number> }> }
      | undefined;
    if (!domain) return [];
    const input = { text: this.read(text, lang), locale: lang, settings: { spellCheck: true } };
    return Object.keys((await domain.doSpellCheck({ ...input, tokens: (await domain.prepare(input)).tokens })).tokens);
  }

  /** Sentiment only, without classification. */
  analyzeSentiment(text: string, lang: string): Promise<Sentiment> {
    // Shorthand spelled out, so "i dont like it" is negated as "i don't like it" is.
    return this.sentiment.analyze(this.shorthandOf(lang).expand(text), lang);
  }

  private shorthandOf(lang: string): Shorthand {
    return this.shorthands.get(lang) ?? NO_SHORTHAND;
  }

  /** Languages whose sentiment dictionary is loaded (a check against the silent-zero trap). */
  sentimentLanguages(): string[] {
    return this.sentiment.languagesWithDictionary();
  }
}

/** The cached value of `key`, computing and keeping it on a miss. */
async function cached<T extends object>(cache: LRUCache<string, T>, key: string, compute: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit;
  const value = await compute();
  cache.set(key, value);
  return value;
}
