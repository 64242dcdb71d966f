/** Per-conversation memory kept in botbuilder conversation state. */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';

/** What the bot remembers about one conversation between turns. */
export interface ConversationData {
  /** Whose conversation this is (pseudonymous), so erasure can find the state of a customer. */
  customerId?: string;
  /** The conversation's language, once chosen or detected. */
  locale?: string;
  /** The customer's time zone, the last their client named (`localTimezone`). */
  timeZone?: string;
  /** How the language was set: channel locale, detection, or the customer's explicit choice. */
  localeSource?: 'channel' | 'detected' | 'chosen' | 'default';
  /** Set once the customer has written a message (Telegram's "/start" aside): only the first one's set phrase ("hola") names the language. */
  wrote?: boolean;
  /** Set once the customer has written four words in one message (or Chinese or Persian): four undisputed words no longer switch the language. */
  wroteLong?: boolean;
  consecutiveFallbacks: number;
  /** "No" answers to "Did that answer your question?". */
  faqNoCount: number;
  /** Orders this conversation has verified, so a second question does not ask again. */
  verifiedOrders: string[];
  /**
   * The order whose email or postcode was asked for when the customer changed the subject: a lone detail later is its.
   * A bare number is what conversations stored before the record had its other fields.
   */
  awaitingVerification?: WaitingVerification | string;
  /** Orders whose verification failed in this conversation: asking again does not buy more tries. */
  unverifiedOrders?: string[];
  /** Choices last offered outside a prompt, so "2" can be understood on text-only channels. */
  offeredChoices?: string[];
  /** Set once the bot has said who it is (the welcome, or the reply to a first greeting): it does not say it twice. */
  introduced?: boolean;
  /** Set once the survey has been offered; it is never offered twice. */
  surveyOffered?: boolean;
  /** Consecutive strongly negative customer turns. */
  negativeStreak: number;
  /** The open handoff, while a human has (or is about to have) the conversation. */
  handoffId?: string;
  /** A delivered order the customer says never came: the complaint flow files it without asking again. */
  missingReport?: { orderNumber: string; deliveredAt?: string; told?: string };
  /** The FAQ answer given last (intent and variant): the same question again gets a person offered, not a rerun. */
  lastFaq?: string;
  /**
   * When the customer last wrote, or the bot last spoke unasked (an agent's message, the hand-back): a message after
   * SESSION_IDLE_MINUTES of silence starts a new conversation (SessionMiddleware).
   */
  lastActiveAt?: string;
  /** The dialogs' version (SupportBot) that saved the dialog stack: a stack from another release is dropped, not resumed. */
  dialogsVersion?: string;
  /** The complaint ticket this conversation filed last: a follow-up in the same session joins it. */
  lastTicket?: { id: string; at: string; orderNumber?: string };
}

/** An order whose verification question the customer left for another subject. */
export interface WaitingVerification {
  number: string;
  /** What was asked about it: order status, or a question answered from the order (cancel, return). */
  intent?: string;
  /** Wrong answers already given: leaving and coming back buys no more tries. */
  spent?: number;
  /** The other subject was a task: once it is done, the bot comes back to this order and asks again. */
  comeBack?: boolean;
}

/** The verification left waiting, in its current shape whichever shape it was stored in. */
export function waitingVerification(data: ConversationData): WaitingVerification | undefined {
  const waiting = data.awaitingVerification;
  return typeof waiting === 'string' ? { number: waiting } : waiting;
}

/** A fresh conversation's data. */
export function newConversationData(): ConversationData {
  return { consecutiveFallbacks: 0, faqNoCount: 0, verifiedOrders: [], negativeStreak: 0 };
}

/** Accessor type used by dialogs and middleware. */
export type ConversationDataAccessor = StatePropertyAccessor<ConversationData>;

/** Reads the conversation data, creating it on first use. */
export function getConversationData(accessor: ConversationDataAccessor, context: TurnContext): Promise<ConversationData> {
  return accessor.get(context, newConversationData());
}
