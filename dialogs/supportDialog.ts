/** Base class of every routed dialog: which intents start it, and the interruptions every dialog honours. */
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, type DialogContext, type DialogTurnResult, DialogTurnStatus } from 'botbuilder-dialogs';
import { turnInfo } from '../bot/turnInfo.js';
import { type Translate, translator } from '../i18n/index.js';
import { EMAIL_PATTERN, type Entities } from '../nlu/entities.js';
import { redact } from '../bot/redaction.js';
import { normalizeScript } from '../nlu/normalize.js';
import type { SupportRecognition } from '../nlu/recognizer.js';
import type { PendingQuestion } from './mainDialog.js';
import type { DialogServices } from './services.js';
import { noteTaking } from './relanguage.js';

/** Options every routed dialog is started with. */
export interface RouteOptions {
  recognition: SupportRecognition;
}

/**
 * A reading as dialog state keeps it between turns (`routeOptions`, a waiting question): its texts redacted and no
 * email address. Dialogs read the customer's details from the turn itself; what state held was residue, and "can I
 * pay with card 4111 1111 1111 1111?" sat on disk in the FAQ flow's options while its question waited.
 */
export function storable<T extends { text?: string; entities: Entities; also?: { text: string } }>(reading: T): T {
  const { email: _email, ...entities } = reading.entities;
  return {
    ...reading,
    ...(reading.text === undefined ? {} : { text: redact(reading.text) }),
    entities,
    ...(reading.also ? { also: { ...reading.also, text: redact(reading.also.text) } } : {}),
  };
}

/** The options a routed dialog starts with: the turn's reading, as state may keep it. */
export function routeOptions(recognition: SupportRecognition): RouteOptions {
  return { recognition: storable(recognition) };
}

/** Result a dialog ends with when the customer changed the subject: the router routes this turn again. */
export interface RerouteResult {
  reroute: true;
  /** Route to this intent rather than the recognised one (the customer accepted an offer). */
  intent?: string;
}

/** Whether a dialog result asks the router to route the current turn again. */
export function isReroute(result: unknown): result is RerouteResult {
  return typeof result === 'object' && result !== null && (result as RerouteResult).reroute === true;
}

/** Intents that interrupt whatever dialog is running. */
const INTERRUPTING_INTENTS = new Set(['agent.handoff']);

/** Greeting, thanks and goodbye: no subject of their own. */
export const SMALL_TALK_INTENTS: ReadonlySet<string> = new Set(['greeting', 'thanks', 'goodbye']);

/** Intents a reply to a yes/no question may read as and still be its answer. */
const ANSWER_INTENTS = new Set([...SMALL_TALK_INTENTS, 'agent.handoff']);

/** The most words a message ending in a cancel phrase may have and still be a cancel ("wait i dont have that, nevermind"). */
const CANCEL_TAIL_WORDS = 8;

/** Score an utterance needs before it may pull the customer out of a running flow. */
export const TOPIC_SWITCH_SCORE = 0.8;

const phraseLists = new Map<string, string[]>();

/** Splits a catalogue list ("cancel|stop|never mind") into normalised phrases (memoised: catalogues do not change). */
export function phrases(t: Translate, key: string): string[] {
  const raw = t(key);
  let list = phraseLists.get(raw);
  if (!list) {
    list = raw.split('|').map((p) => normalizePhrase(p)).filter(Boolean);
    phraseLists.set(raw, list);
  }
  return list;
}

/**
 * Lower-cases, folds script variants (ZWNJ, Arabic letters, Persian digits) and strips punctuation for exact phrase
 * comparison. An apostrophe inside a word (typographic ones are folded to "'" first) goes without a trace, so "hasn't",
 * "hasn’t" and the typed "hasnt" are one phrase.
 */
export function normalizePhrase(text: string): string {
  return normalizeScript(text)
    .toLowerCase()
    .replace(/(?<=\p{L})'(?=\p{L})/gu, '')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether the message asks what the bot can do ("what can you do?", "menu": the catalogue's `help.words`). */
export function asksForHelp(context: TurnContext): boolean {
  return isPhrase(translator(turnInfo(context).locale), 'help.words', turnInfo(context).text);
}

/** Whether `text` is, as a whole, one of the catalogue list `key`'s phrases (case, punctuation and script folded). */
export function isPhrase(t: Translate, key: string, text: string): boolean {
  return phrases(t, key).includes(normalizePhrase(text));
}

/** Whether a reading is a clear request of its own: an intent other than None or small talk, at TOPIC_SWITCH_SCORE. */
export function readsAsTask(r: Pick<SupportRecognition, 'intent' | 'score'>): boolean {
  return r.intent !== 'None' && !SMALL_TALK_INTENTS.has(r.intent) && r.score >= TOPIC_SWITCH_SCORE;
}

/** Whether `text` mentions one of the catalogue list `key`'s phrases: as whole words, or anywhere when written in Han. */
export function mentionsPhrase(t: Translate, key: string, text: string): boolean {
  const padded = ` ${normalizePhrase(text)} `;
  return phrases(t, key).some((w) => (/[\u3400-\u9fff]/.test(w) ? padded.includes(w) : padded.includes(` ${w} `)));
}

/**
 * Whether `text`, as a whole, is a run of phrases from the lists `keys`, at least one of them, and words of
 * `common.fillerWords` ("please", "actually") between them: "actually nevermind, back to bot please" and "forget it i
 * dont want to wait" are, while "please dont end the chat" and "i dont want to wait for a refund" are not. A phrase of
 * the lists `leadKeys`, set apart, may come before the first of them ("nah, back to bot"), and nowhere else.
 */
export function isPhraseRun(t: Translate, keys: readonly string[], text: string, leadKeys: readonly string[] = []): boolean {
  const said = normalizePhrase(text);
  const [first, ...more] = keys;
  if (!first || !said) return false;
  const main = phrases(t, first).concat(...more.map((k) => phrases(t, k)));
  const fillers = phrases(t, 'common.fillerWords');
  const leads = leadKeys.flatMap((k) => phrases(t, k));
  const memo = new Map<string, boolean>();
  // Whether said[i..] splits into phrases; `seen` is whether a main phrase came already.
  const splits = (i: number, seen: boolean): boolean => {
    if (i >= said.length) return seen;
    const key = `${i}:${seen}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    // A lead stands apart from what follows, in Chinese too ("不，回到机器人"; "不结束对话" is "don't end the chat").
    let ok = !seen && leads.some((p) => said.startsWith(`${p} `, i) && splits(i + p.length + 1, false));
    for (const [list, isMain] of [[main, true], [fillers, false]] as const) {
      for (const p of list) {
        if (ok || !said.startsWith(p, i)) continue;
        const end = i + p.length;
        // A Latin phrase must end at a word's end; Chinese is written without spaces.
        if (end < said.length && said[end] !== ' ' && !HAN_CHAR.test(p.at(-1) ?? '')) continue;
        ok = splits(said[end] === ' ' ? end + 1 : end, seen || isMain);
      }
    }
    memo.set(key, ok);
    return ok;
  };
  return splits(0, false);
}

const HAN_CHAR = /[\u3400-\u9fff]/;
const HAN = /[\u3400-\u9fff]/g;

/** Whether a text asks something: a question mark in any of our scripts (?, ？, ؟). */
export function asksSomething(text: string): boolean {
  return /[?？؟]/.test(text);
}

/** Words in a text; unspaced Chinese counts one word per two Han characters. */
export function wordCount(text: string): number {
  const han = text.match(HAN)?.length ?? 0;
  if (han === 0) return text.split(/\s+/).filter(Boolean).length;
  return text.replace(HAN, ' ').split(/\s+/).filter(Boolean).length + Math.ceil(han / 2);
}

/** The result a prompt's validator gives when the customer changed the subject instead of answering. */
export const SWITCHED = '\u0000switched';

/** A sentiment score at or below which thanks or a greeting is said in anger: "thanks for nothing", "really annoyed". */
const SAID_IN_ANGER = -0.5;

/**
 * Whether a message read as thanks or a greeting says it in anger: a complaint, not small talk. "thanks for nothing"
 * got "you're welcome" (and to "Did that answer your question?", "Great, glad that helped!"); "really annoyed", read
 * as a greeting ("really" alone is one), the greeting menu.
 */
export function saidInAnger(r: { intent: string; sentiment: { score: number } } | undefined): boolean {
  return (r?.intent === 'thanks' || r?.intent === 'greeting') && r.sentiment.score <= SAID_IN_ANGER;
}

/** Whether the turn's message is a plain thank-you (a task in the same message outranks it in the recognition). */
export function saysThanks(context: TurnContext): boolean {
  const r = turnInfo(context).recognition;
  return r?.intent === 'thanks' && !saidInAnger(r);
}

/** The most words a sign-off has ("no thats all thanks"); a longer message that half reads as thanks may be a story. */
const SIGN_OFF_WORDS = 5;

/**
 * Whether the reply is a short thank-you or goodbye that is not unhappy: no story to keep. A story that merely reads as
 * small talk is one: "it's 2 weeks late" reads as a greeting, "2 of my 4 mugs were broken" as thanks.
 */
export function signsOff(context: TurnContext): boolean {
  const { text, recognition: r } = turnInfo(context);
  return (r?.intent === 'thanks' || r?.intent === 'goodbye') && wordCount(text) <= SIGN_OFF_WORDS && r.sentiment.label !== 'negative';
}

/** Whether a reply holds no words besides an email address, numbers and signs: "94110", "10231", "a@b.example". */
function onlyDetails(text: string): boolean {
  return Boolean(text) && !/\p{L}/u.test(text.replace(EMAIL_PATTERN, ' '));
}

/** A prompt that can say, before the interruptions run, that a reply is an answer to it. */
export interface ClaimsAnswers {
  claims(context: TurnContext): boolean;
}

/** A component dialog the router can start for some intents; handles "cancel" and "talk to a person" anywhere. */
export abstract class SupportDialog extends ComponentDialog {
  /** Intents that start this dialog; `faq.*` matches a prefix. */
  abstract readonly intents: readonly string[];

  constructor(
    id: string,
    protected readonly services: DialogServices,
  ) {
    super(id);
  }

  /** Whether this dialog starts on `intent`. */
  handles(intent: string): boolean {
    return this.intents.some((p) => (p.endsWith('*') ? intent.startsWith(p.slice(0, -1)) : p === intent));
  }

  /**
   * Whether this dialog takes the turn ahead of the dialog its intent names. An FAQ question about one particular
   * order ("can I still cancel order 10435?", or "it" after that order's status) needs that order's state, not the
   * general policy.
   */
  async claims(_context: TurnContext, _recognition: SupportRecognition): Promise<boolean> {
    return false;
  }

  /**
   * The question this dialog left open when the customer turned to another task, which the router comes back to once
   * that task is done. It is offered once: `take` false (the customer cancelled, went to a person or left) forgets it.
   */
  async leftOpen(_context: TurnContext, _take: boolean): Promise<PendingQuestion | undefined> {
    return undefined;
  }

  /** Translator for the turn's language; it notes how each text was made, so a question can follow a new language. */
  protected tr(context: TurnContext): Translate {
    return noteTaking(context);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const interrupted = await this.interrupt(innerDc);
    if (interrupted) return interrupted;
    // The reply answers this dialog's question unless it turns out to change the subject: its reading (an email as
    // account help, "4" as payment) is not what the customer asked for, and the agent's summary leaves it out. Marked
    // before the dialog runs, because the turn log writes the message when the first reply goes out.
    // A reading of this dialog's own topic is kept, unless the waiting question claims the reply ("sí" read as
    // shipping at "did that answer your question?") or it is only details (a postcode read as an order's status): the
    // inbox listed those as unsure utterances to label.
    const info = turnInfo(innerDc.context);
    info.answer = info.recognition !== undefined && (!this.handles(info.recognition.intent) || this.isAnswer(innerDc) || onlyDetails(info.text));
    const result = await super.onContinueDialog(innerDc);
    if (isReroute(result.result)) info.answer = false;
    return result;
  }

  /** Cancel words stop the flow; a confident request for a human reroutes to escalation. */
  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const { context } = innerDc;
    if (context.activity.type !== 'message') return undefined;
    const info = turnInfo(context);
    const t = this.tr(context);
    // "actually nevermind, back to bot please" is a cancel too: it got "which of these did you mean?" at the FAQ's
    // feedback question. Going back to the bot, said to the bot, means leaving the flow; "end the chat" (a leave
    // phrase too) reads as the goodbye it is, which ends the chat with the survey.
    // Only a clear goodbye: "stop" reads as goodbye or cancelling alike (0.45 each), and was taken for the answer.
    const leaving = info.recognition?.intent === 'goodbye' && !info.recognition.ambiguous;
    const cancels = (!leaving && isPhraseRun(t, ['interrupt.cancelWords', 'handoff.leaveWords'], info.text, ['common.noWords'])) || this.endsWithCancel(context);
    if (cancels && !this.isAnswer(innerDc)) {
      await innerDc.cancelAllDialogs();
      info.dialog = this.id;
      info.outcome = 'answered';
      await context.sendActivity(t('interrupt.cancelled'));
      return { status: DialogTurnStatus.complete, result: { cancelled: true } };
    }
    // "it's not a complaint" in the middle of a complaint: "no es una queja, solo quería saber si venden bicis" was asked
    // for the order number, and "omitir" then filed a ticket.
    const wrong = this.wrongFlow();
    if (wrong && mentionsPhrase(t, wrong.words, info.text) && !this.isAnswer(innerDc)) {
      await innerDc.cancelAllDialogs();
      info.dialog = this.id;
      info.outcome = 'answered';
      await context.sendActivity(t(wrong.reply));
      return { status: DialogTurnStatus.complete, result: { cancelled: true } };
    }
    // "menu" at a question wants the menu, not to answer: the question was asked again, and the customer was stuck.
    if (asksForHelp(context) && !this.isAnswer(innerDc)) {
      await innerDc.cancelAllDialogs();
      return { status: DialogTurnStatus.complete, result: { reroute: true } satisfies RerouteResult };
    }
    const r = info.recognition;
    if (r && INTERRUPTING_INTENTS.has(r.intent) && r.score >= TOPIC_SWITCH_SCORE && !this.handles(r.intent) && !this.keepsReply(innerDc)) {
      await this.beforeHandover(innerDc);
      await innerDc.cancelAllDialogs();
      return { status: DialogTurnStatus.complete, result: { reroute: true } satisfies RerouteResult };
    }
    return undefined;
  }

  /**
   * Whether a short message that asks for nothing else opens or ends with a cancel phrase: "actually forget it", "wait
   * i dont have that, nevermind" and "never mind, i'll find it later" were asked the flow's question again. "I ordered
   * the wrong size, cancel" reads as a request and is left to the flow.
   */
  private endsWithCancel(context: TurnContext): boolean {
    const { text, recognition: r } = turnInfo(context);
    const said = normalizePhrase(text);
    if (wordCount(said) > CANCEL_TAIL_WORDS) return false;
    if (r && readsAsTask(r)) return false;
    const at = (p: string) => (/[\u3400-\u9fff]/.test(p) ? said.startsWith(p) || said.endsWith(p) : said.startsWith(`${p} `) || said.endsWith(` ${p}`));
    return phrases(this.tr(context), 'interrupt.cancelWords').some(at);
  }

  /** Catalogue keys of the phrases saying this flow is not what the customer meant, and of the reply; none by default. */
  protected wrongFlow(): { words: string; reply: string } | undefined {
    return undefined;
  }

  /** Whether the waiting step keeps this reply though it half reads as a request for a person (a survey comment). */
  protected keepsReply(_innerDc: DialogContext): boolean {
    return false;
  }

  /** Saves what the flow has gathered before a request for a person cuts it off (the complaint files its ticket). */
  protected async beforeHandover(_innerDc: DialogContext): Promise<void> {}

  /**
   * Whether the waiting prompt takes this turn's reply as its answer, so a word that also means "cancel" answers it:
   * in Chinese "不用了" is the usual "no, thanks" to "anything else?", and cancelling there asked the question again.
   */
  protected isAnswer(innerDc: DialogContext): boolean {
    const waiting = innerDc.activeDialog && (innerDc.findDialog(innerDc.activeDialog.id) as Partial<ClaimsAnswers> | undefined);
    return waiting?.claims?.(innerDc.context) ?? false;
  }

  /** The time zone to tell this customer days and times in: their own when their client names it, else the shop's. */
  protected zoneOf(context: TurnContext): string {
    return turnInfo(context).timeZone ?? this.services.config.TIME_ZONE;
  }

  /**
   * Whether this turn's text is confidently about something this dialog does not handle. A ticket id is always such a
   * subject: "any news on T-000001?" was taken for a wrong email at the verification question and for "yes" at
   * "anything else?".
   */
  protected isTopicSwitch(context: TurnContext): boolean {
    const r = turnInfo(context).recognition;
    if (r?.entities.ticketId?.length) return true;
    return Boolean(r && r.intent !== 'None' && r.score >= TOPIC_SWITCH_SCORE && !this.handles(r.intent));
  }

  /**
   * Whether a reply to a yes/no question is a new request rather than its answer: a change of subject beyond small
   * talk (a plain "no" reads as a goodbye, "yes" may read as a greeting). botbuilder finds a yes in "ok, and what
   * time do you open?".
   */
  protected isNewRequest(context: TurnContext): boolean {
    const intent = turnInfo(context).recognition?.intent ?? 'None';
    return !ANSWER_INTENTS.has(intent) && this.isTopicSwitch(context);
  }
}
