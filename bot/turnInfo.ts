/** What a turn learns about itself as it runs (language, recognition, outcome…), read by the turn log. */
import type { TurnContext } from 'botbuilder';
import type { SupportRecognition } from '../nlu/recognizer.js';

/** Outcome of a turn (DESIGN §3). */
export type Outcome = 'answered' | 'prompted' | 'fallback' | 'escalated' | 'agent' | 'survey' | 'error';

/** Annotations collected during one turn. */
export interface TurnInfo {
  /** When the activity arrived (ms since epoch). */
  receivedAt: number;
  /** Pseudonymous customer id (keyed hash of channel + user id). */
  customerId: string;
  /** The conversation's language for this turn. */
  locale: string;
  /**
   * The customer's time zone, from their client (`localTimezone`, which Web Chat sends), for the days and times the bot
   * tells them; unset, the shop's TIME_ZONE.
   */
  timeZone?: string;
  /** The customer's text after normalisation (control characters stripped, choice numbers mapped). */
  text: string;
  /**
   * What the NLU reads when it is not the whole text in the turn's language: the words beside a request for another
   * language ("can we speak spanish? where is order 10401"), read in their own while the bot answers in the new one.
   */
  reading?: { text: string; locale: string };
  /** A sentence the turn's first reply opens with ("¡Claro! Seguimos en español."), added by `FirstReplyMiddleware`. */
  preface?: string;
  /** What the routing acts on: the NLU's reading, or the intent a trigger or a choice put in its place. */
  recognition?: SupportRecognition;
  /** The NLU's own reading when a trigger overrode it (the sentiment trigger routes a complaint to a person). */
  heard?: { intent: string; score: number };
  /** The dialog that handled the turn. */
  dialog?: string;
  /** The turn's outcome; bot messages that expect input are logged as `prompted` regardless. */
  outcome?: Outcome;
  /**
   * The customer message's own outcome when it is not that of the turn's replies: a message relayed to a person is
   * `agent`, while the bot's "still in the queue" in the same turn is an answer of its own.
   */
  messageOutcome?: Outcome;
  /** The message answered a question a flow asked (an email, a rating): its intent is no request of the customer's. */
  answer?: boolean;
  /** The intent of a second question the message asked, answered once the first is done (logged as `data.also`). */
  also?: string;
  /** The customer's answer to "Did that answer your question?". */
  feedback?: 'yes' | 'no';
  /** Numbers the message gave as an order's postcode: shaped like order numbers, they name no order. */
  postcodes?: string[];
  /** The incoming text must not be stored (a verification answer): the log writes this placeholder instead. */
  redactAs?: string;
  handoffId?: string;
  /** Extra fields for the log record (survey answers, ticket ids…). */
  data?: Record<string, unknown>;
}

const KEY = Symbol('turnInfo');

/** The turn's annotations, created on first use. */
export function turnInfo(context: TurnContext): TurnInfo {
  let info = context.turnState.get(KEY) as TurnInfo | undefined;
  if (!info) {
    info = { receivedAt: Date.now(), customerId: '', locale: context.activity.locale?.slice(0, 2) ?? 'en', text: context.activity.text ?? '' };
    context.turnState.set(KEY, info);
  }
  return info;
}

/** The intent the customer's message is logged and summarised with: what they asked, whatever routed the turn. */
export function customerIntent(info: TurnInfo): { intent: string; score: number } | undefined {
  return info.heard ?? info.recognition;
}

/** Records which dialog handled the turn and with what outcome. */
export function markTurn(context: TurnContext, dialog: string, outcome: Outcome, extra: Partial<TurnInfo> = {}): void {
  Object.assign(turnInfo(context), { dialog, outcome }, extra);
}
