/**
 * Questions that follow the customer's language. A prompt keeps the texts it was begun with (its question, its retry,
 * its buttons), so a customer who asked to go on in English in the middle of a Spanish complaint was asked again in
 * Spanish, with Spanish buttons. The dialogs' translator notes which catalogue message (and values) made each text
 * of the turn; a prompt remembers that for its texts, and when the turn's language is another it writes them anew.
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { Choice, PromptOptions } from 'botbuilder-dialogs';
import { turnInfo } from '../bot/turnInfo.js';
import { type Translate, translator, type Vars } from '../i18n/index.js';

/** How a text was made: a catalogue key and its values, any of which may have been made so too. */
interface Source {
  key: string;
  vars?: Record<string, string | number | Source>;
}

/** How an activity's text and its buttons' titles were made (null where not known). */
interface Said {
  text?: Source;
  buttons?: Array<Source | null>;
}

/** What a prompt remembers of its texts: the language they are in and, where known, how each was made. */
interface Remembered {
  lang: string;
  prompt?: Said;
  retry?: Said;
  choices?: Array<Source | null>;
}

const MADE = Symbol('textsMadeThisTurn');
const REMEMBERED = 'relanguage';

function made(context: TurnContext): Map<string, Source> {
  let map = context.turnState.get(MADE) as Map<string, Source> | undefined;
  if (!map) context.turnState.set(MADE, (map = new Map()));
  return map;
}

/** A translator for the turn's language that notes how each text it makes was made. */
export function noteTaking(context: TurnContext): Translate {
  const lang = turnInfo(context).locale;
  const t = translator(lang);
  const texts = made(context);
  return (key, vars) => {
    const text = t(key, vars);
    const source: Source = { key };
    if (vars) source.vars = Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, texts.get(String(value)) ?? value]));
    texts.set(text, source);
    return text;
  };
}

function write(source: Source, lang: string): string {
  const vars: Vars = {};
  for (const [name, value] of Object.entries(source.vars ?? {})) vars[name] = typeof value === 'object' ? write(value, lang) : value;
  return translator(lang)(source.key, vars);
}

const titleOf = (choice: string | Choice): string => (typeof choice === 'string' ? choice : (choice.action?.title ?? choice.value));

/** How `said` (a prompt's text, or an activity with buttons of its own, as the survey's) was made. */
function sourcesOf(texts: Map<string, Source>, said: string | Partial<Activity> | undefined): Said | undefined {
  if (said === undefined) return undefined;
  const text = typeof said === 'string' ? said : said.text;
  const actions = typeof said === 'string' ? undefined : said.suggestedActions?.actions;
  return {
    ...(text !== undefined && texts.has(text) ? { text: texts.get(text) } : {}),
    ...(actions ? { buttons: actions.map((a) => texts.get(String(a.title ?? a.value)) ?? null) } : {}),
  };
}

/** `said` written in `lang` where its sources are known. */
function rewritten(said: string | Partial<Activity> | undefined, sources: Said, lang: string): string | Partial<Activity> | undefined {
  const text = sources.text ? write(sources.text, lang) : undefined;
  if (typeof said !== 'object' || !said) return text ?? said;
  const actions = said.suggestedActions?.actions.map((a, i) => {
    const source = sources.buttons?.[i];
    if (!source) return a;
    const title = write(source, lang);
    return { ...a, title, value: typeof a.value === 'string' && a.value === a.title ? title : a.value };
  });
  return {
    ...said,
    ...(text !== undefined ? { text, ...(said.speak ? { speak: text } : {}) } : {}),
    ...(actions && said.suggestedActions ? { suggestedActions: { ...said.suggestedActions, actions } } : {}),
  };
}

function rewrittenChoice(choice: string | Choice, title: string): string | Choice {
  if (typeof choice === 'string') return title;
  return { ...choice, ...(choice.action ? { action: { ...choice.action, title, value: title } } : { value: title }), synonyms: [title] };
}

/**
 * Called by a prompt before it asks (first, again, or re-asked): the first time it notes how its texts were made; later,
 * when the turn's language is not theirs, it writes them in it (`options` and `state` are the prompt's saved ones).
 */
export function relanguage(context: TurnContext, state: object, options: PromptOptions): void {
  const lang = turnInfo(context).locale;
  const saved = state as Record<string, Remembered | undefined>;
  const remembered = saved[REMEMBERED];
  if (!remembered) {
    const texts = made(context);
    saved[REMEMBERED] = {
      lang,
      prompt: sourcesOf(texts, options.prompt),
      retry: sourcesOf(texts, options.retryPrompt),
      choices: options.choices?.map((c) => texts.get(titleOf(c)) ?? null),
    };
    return;
  }
  if (remembered.lang === lang) return;
  if (remembered.prompt) options.prompt = rewritten(options.prompt, remembered.prompt, lang);
  if (remembered.retry) options.retryPrompt = rewritten(options.retryPrompt, remembered.retry, lang);
  if (options.choices && remembered.choices) {
    options.choices = options.choices.map((c, i) => {
      const source = remembered.choices?.[i];
      return source ? rewrittenChoice(c, write(source, lang)) : c;
    });
  }
  remembered.lang = lang;
}
