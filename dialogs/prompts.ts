/**
 * Prompts shared by dialogs: every yes/no question speaks the conversation's language, and the answers customers
 * give most (a button's text, a plain yes or no, a bare number) are read without botbuilder's text recognizers,
 * which build culture models on every call (about 7% of a turn's CPU under load); anything else still goes to them.
 */
import type { Activity, TurnContext } from 'botbuilder';
import {
  type Choice,
  type ChoiceFactoryOptions,
  ChoicePrompt,
  ConfirmPrompt,
  type FoundChoice,
  type ListStyle,
  NumberPrompt,
  type PromptOptions,
  type PromptRecognizerResult,
  type PromptValidator,
  PromptCultureModels,
  TextPrompt,
} from 'botbuilder-dialogs';
import { catalogue, LOCALE_TAGS } from '../i18n/index.js';
import { choiceNumber } from './choices.js';
import { relanguage } from './relanguage.js';
import { type ClaimsAnswers, normalizePhrase, wordCount } from './supportDialog.js';

type ChoiceDefaults = Record<string, { choices: string[]; options: object }>;

/** How a language lists choices inline ("(1) A, (2) B, or (3) C"), from its catalogue. */
function inlineOptions(messages: Record<string, string>): ChoiceFactoryOptions {
  return { inlineSeparator: messages['choice.separator'] ?? ', ', inlineOr: messages['choice.or'] ?? ' / ', inlineOrMore: messages['choice.orMore'] ?? ', ', includeNumbers: true };
}

/**
 * The activity as a choice or yes/no prompt should read it: a number inside a sentence picks nothing. botbuilder takes
 * any number in a reply as the choice of that place: "its been 2 weeks!!" answered "(2) No" to "anything else?" and
 * ended the chat, and "2 of my 4 mugs were broken" filed a complaint about a wrong item (the second category). A reply
 * that is only a number ("2", "(2)") still picks; the rest of a sentence is read without its digits.
 */
function asPromptReads(context: TurnContext): TurnContext {
  const text = context.activity.text ?? '';
  if (choiceNumber(text) !== undefined || !/\p{Nd}/u.test(text)) return context;
  // The prompts read only the activity (its text and locale).
  return { activity: { ...context.activity, text: text.replace(/\p{Nd}+/gu, ' ') } } as TurnContext;
}

/** Longest reply, in words, that may pick a choice by its place ("the second one", "la primera", "我选第二个"). */
const SELECTION_WORDS = 4;

/**
 * Whether a reply is short enough to pick a choice by a number or ordinal word. botbuilder takes any number word in a
 * reply as a choice: "el paquete llegó con una semana de retraso" filed a complaint about a damaged item ("una", the
 * first category), "收到的两个杯子都是碎的" (two mugs, both broken) one about a wrong item, and "it's been two weeks" would
 * answer "(2) No". A sentence still picks by a choice's own words.
 */
function picksByPlace(context: TurnContext): boolean {
  return wordCount(context.activity.text ?? '') <= SELECTION_WORDS;
}

/**
 * Runs a botbuilder prompt's recognition with `field` of the prompt set to `value` for this call only. Safe because
 * botbuilder's ChoicePrompt and ConfirmPrompt read their options synchronously, before their first await; the
 * tests of long replies would fail if that changed.
 */
function withFieldForCall<P, K extends keyof P, R>(prompt: P, field: K, value: P[K], recognize: () => Promise<R>): Promise<R> {
  const saved = prompt[field];
  prompt[field] = value;
  try {
    return recognize();
  } finally {
    prompt[field] = saved;
  }
}

/**
 * A ChoicePrompt that takes a number only as the whole reply (`asPromptReads`) or a short one (`picksByPlace`), and shows each choice by its button
 * title on every channel: botbuilder's hero card (Teams, Slack) shows the choice's value, which here is a code
 * ("wrong_item", "faq.contact").
 */
export class MenuPrompt extends ChoicePrompt {
  constructor(id: string, validator?: PromptValidator<FoundChoice>) {
    super(id, validator);
    // botbuilder lists choices in its own cultures' words, English for any other: Persian's "which did you mean?"
    // ended "…(2) ارسال و تحویل, or (3) موضوع دیگر". Ours come from the catalogues, as the yes/no prompts' do.
    const defaults = (this as unknown as { choiceDefaults: Record<string, ChoiceFactoryOptions> }).choiceDefaults;
    for (const [lang, tag] of Object.entries(LOCALE_TAGS)) {
      const messages = catalogue(lang);
      if (messages) defaults[PromptCultureModels.mapToNearestLanguage(tag)] = inlineOptions(messages);
    }
  }

  protected override async onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    relanguage(context, state, options);
    return super.onPrompt(context, state, options, isRetry);
  }

  protected override async onRecognize(context: TurnContext, state: object, options: PromptOptions): Promise<PromptRecognizerResult<FoundChoice>> {
    // Its buttons in the language the customer writes now, so their words pick.
    relanguage(context, state, options);
    const read = asPromptReads(context);
    if (picksByPlace(context)) return super.onRecognize(read, state, options);
    const byWords = { ...this.recognizerOptions, recognizeNumbers: false, recognizeOrdinals: false };
    return withFieldForCall(this as ChoicePrompt, 'recognizerOptions', byWords, () => super.onRecognize(read, state, options));
  }

  protected override appendChoices(prompt: string | Partial<Activity>, channelId: string, choices: (string | Choice)[], style: ListStyle, options?: ChoiceFactoryOptions): Partial<Activity> {
    const shown = choices.map((c) => (typeof c === 'string' || !c.action?.title ? c : { ...c, value: c.action.title }));
    return super.appendChoices(prompt, channelId, shown, style, options);
  }
}

/** The replies that mean yes and no in one culture, as `normalizePhrase` writes them. */
interface Answers {
  yes: Set<string>;
  no: Set<string>;
}

/**
 * A ConfirmPrompt that takes its Yes/No button text, or a whole reply from the catalogue's `common.yesWords` and
 * `common.noWords` ("yeah", "nope"), at once; any other reply goes through botbuilder's recognizers.
 */
class CatalogueConfirmPrompt extends ConfirmPrompt implements ClaimsAnswers {
  constructor(
    id: string,
    validator: PromptValidator<boolean>,
    private readonly answers: Map<string, Answers>,
  ) {
    super(id, validator);
  }

  protected override async onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    relanguage(context, state, options);
    return super.onPrompt(context, state, options, isRetry);
  }

  /** A catalogue yes or no, so "不用了" answers the question rather than cancelling the dialog. */
  claims(context: TurnContext): boolean {
    return this.catalogueAnswer(context) !== undefined;
  }

  protected override async onRecognize(context: TurnContext, state: object, options: PromptOptions): Promise<PromptRecognizerResult<boolean>> {
    const value = this.catalogueAnswer(context);
    if (value !== undefined) return { succeeded: true, value };
    const read = asPromptReads(context);
    if (picksByPlace(context)) return super.onRecognize(read, state, options);
    // Without numbers, botbuilder reads only yes and no in a sentence ("yes, that helped a lot").
    const shown = this.choiceOptions ?? (this as unknown as { choiceDefaults: ChoiceDefaults }).choiceDefaults[this.cultureOf(context)]?.options ?? {};
    return withFieldForCall(this as ConfirmPrompt, 'choiceOptions', { ...shown, includeNumbers: false }, () => super.onRecognize(read, state, options));
  }

  /** The culture botbuilder's ConfirmPrompt picks for the activity (its determineCulture, which is private). */
  private cultureOf(context: TurnContext): string {
    return PromptCultureModels.mapToNearestLanguage(context.activity.locale || this.defaultLocale || PromptCultureModels.English.locale);
  }

  /** The reply as a catalogue yes (true) or no (false) in the activity's culture; undefined when it is neither. */
  private catalogueAnswer(context: TurnContext): boolean | undefined {
    const text = context.activity.text;
    if (!text) return undefined;
    const answers = this.answers.get(this.cultureOf(context)) ?? this.answers.get(PromptCultureModels.English.locale);
    const said = normalizePhrase(text);
    if (answers?.yes.has(said)) return true;
    if (answers?.no.has(said)) return false;
    // Another language's yes or no, when all the languages that know the word agree: a question asked in the
    // language of the customer's last message ("¿Te ha servido?") is answered in it ("sí") while the conversation
    // is still in English.
    const elsewhere = new Set([...this.answers.values()].flatMap((a) => (a.yes.has(said) ? [true] : a.no.has(said) ? [false] : [])));
    return elsewhere.size === 1 ? [...elsewhere][0] : undefined;
  }
}

/**
 * A rating out of a scale ("9 out of 10", "4/5", "9 de 10", "۹ از ۱۰"): its first number. botbuilder's
 * recognizers read "9 out of 10" as the fraction 0.9, which no scale accepts.
 */
const RATING_OUT_OF = /^[^\p{Nd}]*?(\p{Nd}{1,2})\s*(?:\/|out of|of|de|sobre|از)\s*\p{Nd}{1,2}[^\p{Nd}]*$/iu;

const wordValues = new Map<string, Map<string, number>>();

/** The value a catalogue list of "value=phrase" entries gives a whole reply (phrases normalised), if any. */
function wordValue(lang: string, key: string, text: string): number | undefined {
  const cacheKey = `${lang}\u0000${key}`;
  let values = wordValues.get(cacheKey);
  if (!values) {
    values = new Map();
    for (const entry of (catalogue(lang)?.[key] ?? '').split('|')) {
      const [value, phrase] = entry.split('=');
      if (value && phrase) values.set(normalizePhrase(phrase), Number(value));
    }
    wordValues.set(cacheKey, values);
  }
  return values.get(normalizePhrase(text));
}

/**
 * A NumberPrompt that takes a bare number ("4", "(4)", "٤", "４"), a rating out of a scale ("9/10") or, as a whole
 * reply, one of the catalogue's number words (`number.words`) or the scale's own rating words (`wordsKey`, such as
 * "excellent") at once. botbuilder's recognizers know no Persian ("پنج" was refused) and no rating words ("excellent",
 * the scale's own top label, was refused in every language); other words still go to them.
 */
export class ScalePrompt extends NumberPrompt {
  constructor(
    id: string,
    validator: PromptValidator<number>,
    private readonly wordsKey?: string,
  ) {
    super(id, validator);
  }

  protected override async onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    relanguage(context, state, options);
    return super.onPrompt(context, state, options, isRetry);
  }

  protected override async onRecognize(context: TurnContext, state: object, options: PromptOptions): Promise<PromptRecognizerResult<number>> {
    const text = context.activity.text ?? '';
    const lang = (context.activity.locale ?? '').slice(0, 2).toLowerCase();
    const value =
      choiceNumber(text) ??
      choiceNumber(RATING_OUT_OF.exec(text)?.[1] ?? '') ??
      wordValue(lang, 'number.words', text) ??
      (this.wordsKey ? wordValue(lang, this.wordsKey, text) : undefined);
    if (value !== undefined) return { succeeded: true, value };
    return super.onRecognize(context, state, options);
  }
}

/** A TextPrompt whose question follows the customer's language (`relanguage`). */
export class QuestionPrompt extends TextPrompt {
  protected override async onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    relanguage(context, state, options);
    return super.onPrompt(context, state, options, isRetry);
  }
}

/** Accepts any answer: the step after the prompt decides what a non-yes/no reply means (usually a new topic). */
export const acceptAnything: PromptValidator<boolean> = async () => true;

/**
 * A ConfirmPrompt whose Yes/No buttons and accepted words come from our catalogues for every language. `buttons` names
 * the catalogue keys of its buttons when the question wants other words than yes and no: Chinese answers "还有其他需要
 * 我帮忙的吗？" with 有 or 没有了, not 是的 or 不是.
 */
export function confirmPrompt(id: string, validator: PromptValidator<boolean> = acceptAnything, buttons = { yes: 'common.yes', no: 'common.no' }): ConfirmPrompt {
  const answers = new Map<string, Answers>();
  const prompt = new CatalogueConfirmPrompt(id, validator, answers);
  // botbuilder keeps the per-culture defaults private; adding our cultures there is the only per-language hook.
  const defaults = (prompt as unknown as { choiceDefaults: ChoiceDefaults }).choiceDefaults;
  for (const [lang, tag] of Object.entries(LOCALE_TAGS)) {
    const messages = catalogue(lang);
    if (!messages?.['common.yes'] || !messages['common.no']) continue;
    const culture = PromptCultureModels.mapToNearestLanguage(tag);
    const yes = messages[buttons.yes] ?? messages['common.yes'];
    const no = messages[buttons.no] ?? messages['common.no'];
    defaults[culture] = { choices: [yes, no], options: inlineOptions(messages) };
    const words = (list: string | undefined, ...shown: string[]) => new Set([...shown, ...(list ?? '').split('|')].map(normalizePhrase).filter(Boolean));
    answers.set(culture, { yes: words(messages['common.yesWords'], yes, messages['common.yes']), no: words(messages['common.noWords'], no, messages['common.no']) });
  }
  return prompt;
}
