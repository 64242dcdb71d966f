/** The bot's NLU as a botbuilder `Recognizer`: intent with threshold and ambiguity, entities, sentiment. */
import type { Activity, RecognizerResult } from 'botbuilder';
import { type DialogContext, Recognizer } from 'botbuilder-dialogs';
import type { Classification, NluEngine, SecondRequest } from './engine.js';
import type { Entities } from './entities.js';
import type { Sentiment } from './sentiment.js';

/** The intent used when nothing is recognised with enough confidence. */
export const NONE_INTENT = 'None';

/** A recognition as dialogs see it; also a valid botbuilder `RecognizerResult`. */
export interface SupportRecognition extends RecognizerResult {
  /** The intent to act on (`None` below the threshold). */
  intent: string;
  score: number;
  /** What the classifier liked best, even when it was below the threshold: the misunderstood-utterance inbox uses it. */
  candidate: Classification;
  /** Set when the two best intents are too close to tell: the bot asks which one was meant. */
  ambiguous?: [Classification, Classification];
  lang: string;
  entities: Entities & RecognizerResult['entities'];
  sentiment: Sentiment;
  /** A second question the message asks besides its intent, for the router to answer after the first. */
  also?: SecondRequest;
}

/** Decision thresholds. */
export interface RecognizerOptions {
  /** Below this top score the intent is `None`. */
  threshold: number;
  /** When the top two scores are closer than this, the bot asks which was meant. */
  ambiguityMargin: number;
}

/** Lowest score the runner-up needs before a close call is treated as ambiguous. */
const AMBIGUITY_FLOOR = 0.2;
/**
 * Lowest score the best intent needs before a close call is worth a question: below it the classifier is guessing
 * ("blorp the wibble" spread as 0.34 person, 0.31 goodbye), and "which did you mean?" would offer two random topics.
 */
const AMBIGUITY_TOP_FLOOR = 0.4;

/** Wraps the NLP.js engine; dialogs never touch the engine directly. */
export class NlpRecognizer extends Recognizer {
  constructor(
    private readonly engine: NluEngine,
    private readonly options: RecognizerOptions,
  ) {
    super();
  }

  override async recognize(_dc: DialogContext, activity: Partial<Activity>): Promise<RecognizerResult> {
    return this.recognizeText(activity.text ?? '', activity.locale ?? this.engine.languages[0] ?? 'en');
  }

  /** Recognises a text in a language (`en`, `es`, …; region suffixes are ignored). */
  async recognizeText(text: string, locale: string): Promise<SupportRecognition> {
    const lang = locale.slice(0, 2).toLowerCase();
    const out = await this.engine.classify(text, lang);
    const [top, second] = out.classifications;
    const candidate: Classification = top ?? { intent: NONE_INTENT, score: 1 };
    const confident = candidate.intent !== NONE_INTENT && candidate.score >= this.options.threshold;
    const close =
      second !== undefined &&
      candidate.intent !== NONE_INTENT &&
      second.intent !== NONE_INTENT &&
      second.score >= AMBIGUITY_FLOOR &&
      candidate.score >= AMBIGUITY_TOP_FLOOR &&
      candidate.score - second.score < this.options.ambiguityMargin;
    const intent = confident || close ? candidate.intent : NONE_INTENT;
    const intents: RecognizerResult['intents'] = {};
    for (const c of out.classifications.slice(0, 5)) intents[c.intent] = { score: c.score };
    if (intent === NONE_INTENT) intents[NONE_INTENT] = { score: Math.max(intents[NONE_INTENT]?.score ?? 0, 1 - candidate.score) };
    return {
      text,
      intents,
      intent,
      score: intent === NONE_INTENT ? (intents[NONE_INTENT]?.score ?? 1) : candidate.score,
      candidate,
      ...(close && second ? { ambiguous: [candidate, second] as [Classification, Classification] } : {}),
      lang: out.lang,
      entities: { ...out.entities },
      sentiment: out.sentiment,
      // Only beside a request the bot acts on: after "which did you mean?" or a fallback, one question is enough.
      ...(out.also && !close && intent !== NONE_INTENT ? { also: out.also } : {}),
    };
  }
}

/** The recognition with its intent replaced (score 1, no ambiguity): a button or an explicit choice named it. */
export function forceIntent(r: SupportRecognition, intent: string): SupportRecognition {
  const { ambiguous: _dropped, also: _answered, ...rest } = r;
  return { ...rest, intent, score: 1, intents: { ...r.intents, [intent]: { score: 1 } } };
}
