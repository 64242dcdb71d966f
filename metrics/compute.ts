/** The CX metrics of DESIGN §4, computed from sessions and handoff timestamps. Every empty value is null, never 0. */
import type { Piece } from './sessions.js';

/** What a metric computation needs to know about a handoff (from the handoff store). */
export interface HandoffFacts {
  id: string;
  conversationId: string;
  status: string;
  createdAt: string;
  acceptedAt?: string | null;
  firstAgentMessageAt?: string | null;
  resolvedAt?: string | null;
  /** Shown by the escalation review (the store has them; the metrics do not need them). */
  reason?: string;
  priority?: string;
  agent?: string | null;
  abandonedAt?: string | null;
}

/** Median and 90th percentile of a duration, in milliseconds. */
export interface Duration {
  median: number | null;
  p90: number | null;
}

/** CSAT of one segment. */
export interface CsatPart {
  score: number | null;
  mean: number | null;
  count: number;
}

/** The metrics object of DESIGN §5 (plus `open`: conversations still in progress, not yet given an outcome). */
export interface Metrics {
  conversations: number;
  open: number;
  engaged: number;
  contained: number;
  escalated: number;
  resolvedByAgent: number;
  abandoned: number;
  containmentRate: number | null;
  escalationRate: number | null;
  abandonmentRate: number | null;
  fallbackRate: number | null;
  confirmedShare: number | null;
  assumedShare: number | null;
  reopenRate: number | null;
  csat: CsatPart & { responseRate: number | null; bot: CsatPart; agent: CsatPart };
  nps: { score: number | null; count: number };
  frt: Duration;
  agentFrt: Duration;
  queueWait: Duration;
  timeToResolution: Duration;
  sentiment: { mean: number | null; negativeShare: number | null };
}

/** A session with its outcome decided (it points at its piece rather than copying it: reports run over 100k+). */
export interface ClassifiedSession {
  s: Piece;
  outcome: 'open' | 'contained' | 'escalated' | 'resolved_by_agent' | 'abandoned' | 'not_engaged';
  confirmed: boolean;
  reopened: boolean;
  handoffs: HandoffFacts[];
  /** Day (UTC) the conversation started: its first customer message. */
  day: string;
}

/** A session's mean customer sentiment is "negative" below this (the per-message label threshold). */
const NEGATIVE_MEAN = -0.15;
const DAY_MS = 86_400_000;

/** Median (average of the middle two for even counts) and nearest-rank p90 of `values`. */
export function percentiles(values: number[]): Duration {
  if (values.length === 0) return { median: null, p90: null };
  const v = Float64Array.from(values).sort();
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
  const p90 = v[Math.max(0, Math.ceil(0.9 * v.length) - 1)] as number;
  return { median, p90 };
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** Decides each session's outcome at time `now` (sessions idle for less than `idleMs` and not ended are open). */
export function classifySessions(sessions: Piece[], handoffs: HandoffFacts[], now: number, idleMs: number): ClassifiedSession[] {
  const byId = new Map(handoffs.map((h) => [h.id, h]));
  const classified = sessions.map((s): ClassifiedSession => {
    const handoffs = s.handoffIds.length
      ? s.handoffIds.map(
          (id) =>
            byId.get(id) ?? {
              id,
              conversationId: s.conversationId,
              status: s.handoffResolvedAt ? 'resolved' : 'queued',
              createdAt: new Date(s.firstAt).toISOString(),
              resolvedAt: s.handoffResolvedAt ? new Date(s.handoffResolvedAt).toISOString() : null,
            },
        )
      : NO_HANDOFFS;
    const day = new Date(s.firstCustomerAt ?? s.firstAt).toISOString().slice(0, 10);
    return { s, handoffs, day, outcome: outcomeOf(s, handoffs, now, idleMs), confirmed: s.feedbackYes > 0 || s.csat !== null, reopened: false };
  });
  markReopens(classified);
  return classified;
}

const NO_HANDOFFS: HandoffFacts[] = [];

function outcomeOf(s: Piece, handoffs: HandoffFacts[], now: number, idleMs: number): ClassifiedSession['outcome'] {
  if (s.engagedMessages === 0) return 'not_engaged';
  const closed = handoffs.filter((h) => h.status === 'resolved' || Boolean(h.resolvedAt));
  // A lead closing a queued handoff nobody took (the customer had gone) resolved nothing: it stays an escalation, out
  // of the agents' resolution times. `acceptedAt` unknown (a handoff the store no longer has) counts as taken.
  const resolvedByAgent = closed.some((h) => h.acceptedAt !== null);
  const ended = s.ending || closed.length > 0 || now - (s.lastCustomerAt ?? s.lastAt) > idleMs;
  if (!ended) return 'open';
  if (handoffs.length) return resolvedByAgent ? 'resolved_by_agent' : 'escalated';
  const leftHanging = s.lastBotOutcome === 'prompted' || s.lastBotOutcome === 'fallback';
  return leftHanging && !s.ending ? 'abandoned' : 'contained';
}

/** A contained session is reopened when its customer is back with the same topic within 24 h. */
function markReopens(sessions: ClassifiedSession[]): void {
  const byCustomer = new Map<string, ClassifiedSession[]>();
  for (const c of sessions) {
    const list = byCustomer.get(c.s.customerId);
    if (list) list.push(c);
    else byCustomer.set(c.s.customerId, [c]);
  }
  for (const list of byCustomer.values()) {
    if (list.length < 2) continue;
    for (const c of list) {
      if (c.outcome !== 'contained' || !c.s.topic) continue;
      c.reopened = list.some((o) => o !== c && o.s.topic === c.s.topic && o.s.firstAt > c.s.lastAt && o.s.firstAt - c.s.lastAt <= DAY_MS);
    }
  }
}

function csatPart(values: number[]): CsatPart {
  return {
    score: ratio(values.filter((v) => v >= 4).length, values.length),
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
    count: values.length,
  };
}

const since = (later: string | null | undefined, earlier: string | null | undefined): number | null =>
  later && earlier ? Date.parse(later) - Date.parse(earlier) : null;
const present = (v: number | null): v is number => v !== null && v >= 0;

/** Computes every metric over the given sessions. */
export function computeMetrics(sessions: ClassifiedSession[]): Metrics {
  let open = 0;
  let customerMessages = 0;
  let fallbackTurns = 0;
  let surveysOffered = 0;
  const engaged: ClassifiedSession[] = [];
  const contained: ClassifiedSession[] = [];
  const csatAll: number[] = [];
  const csatBot: number[] = [];
  const csatAgent: number[] = [];
  const npsAll: number[] = [];
  const frt: number[] = [];
  const sentimentMeans: number[] = [];
  const handoffs: HandoffFacts[] = [];
  const resolutionTimes: number[] = [];
  const counts = { escalated: 0, resolvedByAgent: 0, abandoned: 0 };
  for (const c of sessions) {
    const s = c.s;
    if (s.surveyOffered) surveysOffered += 1;
    if (s.csat !== null) {
      csatAll.push(s.csat);
      // Agent-handled means a person took the chat: a handoff cancelled in the queue (or closed by a lead untaken) left
      // the bot to help, and its rating is the bot's. A handoff known only from the log (acceptedAt unknown) counts as taken.
      (c.handoffs.some((h) => h.acceptedAt !== null) ? csatAgent : csatBot).push(s.csat);
    }
    if (s.nps !== null) npsAll.push(s.nps);
    if (s.firstBotReplyAt !== null && s.firstCustomerAt !== null && s.firstBotReplyAt >= s.firstCustomerAt) frt.push(s.firstBotReplyAt - s.firstCustomerAt);
    // Not engaged is excluded from every rate, the negative share included: a lone "hi" is no opinion of the service.
    if (s.sentimentCount > 0 && c.outcome !== 'not_engaged') sentimentMeans.push(s.sentimentSum / s.sentimentCount);
    handoffs.push(...c.handoffs);
    if (c.outcome === 'open') open += 1;
    if (c.outcome === 'open' || c.outcome === 'not_engaged') continue;
    engaged.push(c);
    // Over the same conversations as containment: counted before the skip, a lone "hello" (or an open chat) added to
    // the denominator, and a group of only such conversations showed a fallback rate with 0 engaged.
    customerMessages += s.customerMessages;
    fallbackTurns += s.fallbackTurns;
    if (c.outcome === 'contained') {
      contained.push(c);
      if (s.resolvedAt !== null && s.firstCustomerAt !== null) resolutionTimes.push(s.resolvedAt - s.firstCustomerAt);
    } else if (c.outcome === 'abandoned') {
      counts.abandoned += 1;
    } else {
      counts.escalated += 1;
      if (c.outcome === 'resolved_by_agent') {
        counts.resolvedByAgent += 1;
        // Resolved by an agent: a later handoff a lead closed while it was queued (acceptedAt null: nobody took it) is
        // no resolution (it moved the time to its closing). One known only from the log (acceptedAt unknown) counts.
        const at = c.handoffs.filter((h) => h.acceptedAt !== null).map((h) => h.resolvedAt).filter(Boolean).sort().at(-1);
        if (at && s.firstCustomerAt !== null) resolutionTimes.push(Date.parse(at) - s.firstCustomerAt);
      }
    }
  }
  const confirmed = contained.filter((c) => c.confirmed).length;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  return {
    conversations: sessions.length,
    open,
    engaged: engaged.length,
    contained: contained.length,
    escalated: counts.escalated,
    resolvedByAgent: counts.resolvedByAgent,
    abandoned: counts.abandoned,
    containmentRate: ratio(contained.length, engaged.length),
    escalationRate: ratio(counts.escalated, engaged.length),
    abandonmentRate: ratio(counts.abandoned, engaged.length),
    fallbackRate: ratio(fallbackTurns, customerMessages),
    confirmedShare: ratio(confirmed, contained.length),
    assumedShare: ratio(contained.length - confirmed, contained.length),
    reopenRate: ratio(contained.filter((c) => c.reopened).length, contained.length),
    csat: { ...csatPart(csatAll), responseRate: ratio(csatAll.length, surveysOffered), bot: csatPart(csatBot), agent: csatPart(csatAgent) },
    nps: {
      score: npsAll.length ? (100 * (npsAll.filter((v) => v >= 9).length - npsAll.filter((v) => v <= 6).length)) / npsAll.length : null,
      count: npsAll.length,
    },
    frt: percentiles(frt),
    agentFrt: percentiles(handoffs.map((h) => since(h.firstAgentMessageAt, h.createdAt)).filter(present)),
    queueWait: percentiles(handoffs.map((h) => since(h.acceptedAt, h.createdAt)).filter(present)),
    timeToResolution: percentiles(resolutionTimes.filter((v) => v >= 0)),
    sentiment: {
      mean: sentimentMeans.length ? sum(sentimentMeans) / sentimentMeans.length : null,
      negativeShare: ratio(sentimentMeans.filter((m) => m < NEGATIVE_MEAN).length, sentimentMeans.length),
    },
  };
}

/** Grouping keys the reports offer. */
export type GroupBy = 'day' | 'channel' | 'locale' | 'intent';

/** The value of a session for a grouping key; conversations without a topic group under "(none)". */
export function groupKey(s: ClassifiedSession, by: GroupBy): string {
  if (by === 'day') return s.day;
  if (by === 'channel') return s.s.channel;
  if (by === 'locale') return s.s.locale;
  return s.s.topic ?? '(none)';
}

/** Metrics overall and per group, for sessions that started within [from, to] (inclusive UTC days). */
export function report(
  sessions: ClassifiedSession[],
  range: { from: string; to: string },
  groupBy?: GroupBy,
): { from: string; to: string; overall: Metrics; groups: Array<{ key: string } & Metrics> } {
  const inRange = sessions.filter((s) => s.day >= range.from && s.day <= range.to);
  const groups = new Map<string, ClassifiedSession[]>();
  if (groupBy) {
    for (const s of inRange) {
      const key = groupKey(s, groupBy);
      const list = groups.get(key);
      if (list) list.push(s);
      else groups.set(key, [s]);
    }
  }
  return {
    from: range.from,
    to: range.to,
    overall: computeMetrics(inRange),
    groups: [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, list]) => ({ key, ...computeMetrics(list) })),
  };
}
