/**
 * Conversations as DESIGN §4 defines them, built from turn-log records. A channel conversation is cut into
 * sessions at an idle gap (SESSION_IDLE_MINUTES without a customer message) and after it ends (goodbye,
 * "that's all", a completed or skipped survey, a resolved handoff). Pieces are built per day file and merged
 * across days, so a day's work can be cached and extended as its file grows.
 */
import type { TurnRecord } from '../storage/turnLog.js';

/** Intents that do not make a conversation "engaged" or give it its topic. */
/** Pleasantries: a message that is only one of these asks nothing (DESIGN §4's "beyond a greeting"). */
const SMALL_TALK = new Set(['greeting', 'thanks', 'goodbye']);
const NOT_A_TOPIC = new Set([...SMALL_TALK, 'None']);

/** Aggregates of one session (or a piece of one, before merging). Times are ms since epoch. */
export interface Piece {
  conversationId: string;
  channel: string;
  locale: string;
  customerId: string;
  firstAt: number;
  lastAt: number;
  /** Whether the piece starts with a customer message, and that message's dialog (for cross-day merging). */
  startsWithCustomer: boolean;
  startDialog: string | null;
  firstCustomerAt: number | null;
  lastCustomerAt: number | null;
  firstBotReplyAt: number | null;
  /** First bot message of the piece, reply or not (a reply can cross midnight into the next day file). */
  firstBotAt: number | null;
  customerMessages: number;
  /** Customer messages beyond greetings. */
  engagedMessages: number;
  fallbackTurns: number;
  topic: string | null;
  sentimentSum: number;
  sentimentCount: number;
  /** Outcome and time of the last bot message outside the survey. */
  lastBotOutcome: string | null;
  lastBotAt: number | null;
  /** Time of the last bot message that answered something. */
  resolvedAt: number | null;
  feedbackYes: number;
  feedbackNo: number;
  surveyOffered: boolean;
  csat: number | null;
  nps: number | null;
  /** The customer or the flow closed the conversation; only survey answers may follow. */
  ending: boolean;
  handoffIds: string[];
  handoffResolvedAt: number | null;
}

const ms = (iso: string): number => Date.parse(iso);

function isCustomerMessage(r: TurnRecord): boolean {
  return r.direction === 'in' && r.actor === 'customer' && r.type === undefined;
}

/** A piece holding just its first record. */
function newPiece(r: TurnRecord): Piece {
  const customer = isCustomerMessage(r);
  return {
    conversationId: r.conversationId,
    channel: r.channel,
    locale: r.locale,
    customerId: r.customerId,
    firstAt: ms(r.ts),
    lastAt: ms(r.ts),
    startsWithCustomer: customer,
    startDialog: customer ? r.dialog : null,
    firstCustomerAt: null,
    lastCustomerAt: null,
    firstBotReplyAt: null,
    firstBotAt: null,
    customerMessages: 0,
    engagedMessages: 0,
    fallbackTurns: 0,
    topic: null,
    sentimentSum: 0,
    sentimentCount: 0,
    lastBotOutcome: null,
    lastBotAt: null,
    resolvedAt: null,
    feedbackYes: 0,
    feedbackNo: 0,
    surveyOffered: false,
    csat: null,
    nps: null,
    ending: false,
    handoffIds: [],
    handoffResolvedAt: null,
  };
}

/** Folds one record into a piece. Records must arrive in log order. */
function addRecord(p: Piece, r: TurnRecord): void {
  const at = ms(r.ts);
  p.lastAt = Math.max(p.lastAt, at);
  const data = r.data ?? {};
  if (r.handoffId && !p.handoffIds.includes(r.handoffId)) p.handoffIds.push(r.handoffId);
  // A resolved handoff ends the conversation as a goodbye does: a question after the hand-back was folded into the
  // escalated conversation, and a new topic or abandonment after it never counted.
  if (data.handoffResolved === true) {
    p.handoffResolvedAt = at;
    p.ending = true;
  }
  if (isCustomerMessage(r)) {
    p.customerMessages += 1;
    p.firstCustomerAt ??= at;
    p.lastCustomerAt = at;
    p.locale = r.locale;
    // A message relayed to a person (outcome `agent`) counts for sentiment, not for engagement or the topic: the bot
    // was not asked anything, and a session that is only such messages (after an idle gap) is not a new escalation.
    const relayed = r.outcome === 'agent';
    // Small talk is no request: a lone "bye" after the chat ended (a new session after the idle gap) counted as a
    // contained conversation, with a time to resolution of milliseconds.
    if (r.intent && !SMALL_TALK.has(r.intent) && !relayed) p.engagedMessages += 1;
    if (r.outcome === 'fallback') p.fallbackTurns += 1;
    if (r.intent && !NOT_A_TOPIC.has(r.intent) && r.dialog !== 'survey' && !relayed) p.topic ??= r.intent;
    if (r.sentiment) {
      p.sentimentSum += r.sentiment.score;
      p.sentimentCount += 1;
    }
    if (data.feedback === 'yes') p.feedbackYes += 1;
    if (data.feedback === 'no') p.feedbackNo += 1;
    if (typeof data.csat === 'number') p.csat = data.csat;
    if (typeof data.nps === 'number') p.nps = data.nps;
    if (data.conversationEnded === true || data.surveyComplete === true || data.surveySkipped === true) p.ending = true;
    return;
  }
  if (r.direction === 'out' && r.actor === 'bot' && r.type === undefined) {
    p.firstBotAt ??= at;
    if (p.firstCustomerAt !== null) p.firstBotReplyAt ??= at;
    if (r.dialog === 'survey') {
      p.surveyOffered = true;
      return;
    }
    p.lastBotOutcome = r.outcome;
    p.lastBotAt = at;
    // The reply to a goodbye or a thank-you resolves nothing: time to resolution ran to the customer's "bye", 40 s
    // after an answer given in milliseconds, and a customer who left without one had a better figure for the same help.
    if (r.outcome === 'answered' && !(r.intent && SMALL_TALK.has(r.intent))) p.resolvedAt = at;
  }
}

/** The dialog of a customer message relayed to a person (queued or in an agent's chat). */
const RELAYED_DIALOG = 'handoff';

/** Whether a customer message at `at` (in dialog `dialog`) starts a new session after piece `p`. */
function startsNewSession(p: Piece, at: number, dialog: string | null, idleMs: number): boolean {
  // A message relayed to a person belongs to the chat it is relayed into, however long the customer was silent: one
  // after an idle gap in an agent's chat made a second escalated conversation of the same handoff.
  if (dialog === RELAYED_DIALOG && !p.ending && p.handoffIds.length > 0) return false;
  const lastCustomer = p.lastCustomerAt ?? p.firstAt;
  if (at - lastCustomer > idleMs) return true;
  // After the end, only survey answers still belong to the conversation.
  return p.ending && dialog !== 'survey';
}

/** Cuts one conversation's records (in order) into pieces; extends `pieces` (whose last may still grow). */
export function addToPieces(pieces: Piece[], r: TurnRecord, idleMs: number): void {
  const current = pieces.at(-1);
  if (!current || (isCustomerMessage(r) && current.customerMessages > 0 && startsNewSession(current, ms(r.ts), r.dialog, idleMs))) {
    const fresh = newPiece(r);
    addRecord(fresh, r);
    pieces.push(fresh);
    return;
  }
  addRecord(current, r);
}

/** Joins two consecutive pieces of the same session. */
function merge(a: Piece, b: Piece): Piece {
  return {
    ...a,
    locale: b.customerMessages ? b.locale : a.locale,
    lastAt: Math.max(a.lastAt, b.lastAt),
    firstCustomerAt: a.firstCustomerAt ?? b.firstCustomerAt,
    lastCustomerAt: b.lastCustomerAt ?? a.lastCustomerAt,
    firstBotReplyAt: a.firstBotReplyAt ?? (a.firstCustomerAt !== null ? b.firstBotAt : b.firstBotReplyAt),
    firstBotAt: a.firstBotAt ?? b.firstBotAt,
    customerMessages: a.customerMessages + b.customerMessages,
    engagedMessages: a.engagedMessages + b.engagedMessages,
    fallbackTurns: a.fallbackTurns + b.fallbackTurns,
    topic: a.topic ?? b.topic,
    sentimentSum: a.sentimentSum + b.sentimentSum,
    sentimentCount: a.sentimentCount + b.sentimentCount,
    lastBotOutcome: b.lastBotAt !== null ? b.lastBotOutcome : a.lastBotOutcome,
    lastBotAt: b.lastBotAt ?? a.lastBotAt,
    resolvedAt: b.resolvedAt ?? a.resolvedAt,
    feedbackYes: a.feedbackYes + b.feedbackYes,
    feedbackNo: a.feedbackNo + b.feedbackNo,
    surveyOffered: a.surveyOffered || b.surveyOffered,
    csat: b.csat ?? a.csat,
    nps: b.nps ?? a.nps,
    ending: a.ending || b.ending,
    handoffIds: [...new Set([...a.handoffIds, ...b.handoffIds])],
    handoffResolvedAt: b.handoffResolvedAt ?? a.handoffResolvedAt,
  };
}

/** Joins pieces of consecutive day files into sessions, applying the same cut rule as within a day. */
export function assembleSessions(piecesByDay: Piece[][], idleMs: number): Piece[] {
  const out: Piece[] = [];
  // Index in `out` of each conversation's latest session: a later piece either extends it or starts a new one.
  const last = new Map<string, number>();
  for (const day of piecesByDay) {
    for (const piece of day) {
      const at = last.get(piece.conversationId);
      const prev = at === undefined ? undefined : out[at];
      const cut = !prev || (piece.startsWithCustomer && prev.customerMessages > 0 && startsNewSession(prev, piece.firstCustomerAt ?? piece.firstAt, piece.startDialog, idleMs));
      if (cut) {
        last.set(piece.conversationId, out.length);
        out.push(piece);
      } else {
        out[at as number] = merge(prev, piece);
      }
    }
  }
  return out;
}

/** Builds sessions straight from records (small logs, tests). */
export function sessionsFromRecords(records: Iterable<TurnRecord>, idleMs: number): Piece[] {
  const byConversation = new Map<string, Piece[]>();
  for (const r of records) {
    const pieces = byConversation.get(r.conversationId) ?? [];
    addToPieces(pieces, r, idleMs);
    byConversation.set(r.conversationId, pieces);
  }
  return [...byConversation.values()].flat();
}
