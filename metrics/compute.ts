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

/** A session with its outcome decided. */
export interface ClassifiedSession extends Piece {
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
  const v = [...values].sort((a, b) => a - b);
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
    const hs = s.handoffIds.map((id) => byId.get(id) ?? { id, conversationId: s.conversationId, status: s.handoffResolvedAt ? 'resolved' : 'queued', createdAt: new Date(s.firstAt).toISOString(), resolvedAt: s.handoffResolvedAt ? new Date(s.handoffResolvedAt).toISOString() : null });
    const start = s.firstCustomerAt ?? s.firstAt;
    const day = new Date(start).toISOString().slice(0, 10);
    const base = { ...s, handoffs: hs, day, confirmed: false, reopened: false };
    if (s.engagedMessages === 0) return { ...base, outcome: 'not_engaged' };
    const resolvedByAgent = hs.some((h) => h.status === 'resolved' || Boolean(h.resolvedAt));
    const ended = s.ending || resolvedByAgent || now - (s.lastCustomerAt ?? s.lastAt) > idleMs;
    if (!ended) return { ...base, outcome: 'open' };
    if (hs.length) return { ...base, outcome: resolvedByAgent ? 'resolved_by_agent' : 'escalated' };
    const leftHanging = s.lastBotOutcome === 'prompted' || s.lastBotOutcome === 'fallback';
    if (leftHanging && !s.ending) return { ...base, outcome: 'abandoned' };
    return { ...base, outcome: 'contained', confirmed: s.feedbackYes > 0 || s.csat !== null };
  });
  markReopens(classified);
  return classified;
}

/** A contained session is reopened when its customer is back with the same topic within 24 h. */
function markReopens(sessions: ClassifiedSession[]): void {
  const byCustomer = new Map<string, ClassifiedSession[]>();
  for (const s of sessions) {
    const list = byCustomer.get(s.customerId);
    if (list) list.push(s);
    else byCustomer.set(s.customerId, [s]);
  }
  for (const list of byCustomer.values()) {
    list.sort((a, b) => a.firstAt - b.firstAt);
    for (const s of list) {
      if (s.outcome !== 'contained' || !s.topic) continue;
      s.reopened = list.some((o) => o !== s && o.topic === s.topic && o.firstAt > s.lastAt && o.firstAt - s.lastAt <= DAY_MS);
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
  const engaged = sessions.filter((s) => s.outcome !== 'open' && s.outcome !== 'not_engaged');
  const contained = engaged.filter((s) => s.outcome === 'contained');
  const escalated = engaged.filter((s) => s.outcome === 'escalated' || s.outcome === 'resolved_by_agent');
  const resolvedByAgent = engaged.filter((s) => s.outcome === 'resolved_by_agent');
  const abandoned = engaged.filter((s) => s.outcome === 'abandoned');
  const customerMessages = sessions.reduce((n, s) => n + s.customerMessages, 0);
  const fallbackTurns = sessions.reduce((n, s) => n + s.fallbackTurns, 0);
  const csatAll = sessions.filter((s) => s.csat !== null).map((s) => s.csat as number);
  const csatAgent = sessions.filter((s) => s.csat !== null && s.handoffs.length > 0).map((s) => s.csat as number);
  const csatBot = sessions.filter((s) => s.csat !== null && s.handoffs.length === 0).map((s) => s.csat as number);
  const npsAll = sessions.filter((s) => s.nps !== null).map((s) => s.nps as number);
  const handoffs = sessions.flatMap((s) => s.handoffs);
  const sentimentMeans = sessions.filter((s) => s.sentimentCount > 0).map((s) => s.sentimentSum / s.sentimentCount);
  const resolutionTimes = [
    ...contained.map((s) => (s.resolvedAt !== null && s.firstCustomerAt !== null ? s.resolvedAt - s.firstCustomerAt : null)),
    ...resolvedByAgent.map((s) => {
      const at = s.handoffs.map((h) => h.resolvedAt).filter(Boolean).sort().at(-1);
      return at && s.firstCustomerAt !== null ? Date.parse(at) - s.firstCustomerAt : null;
    }),
  ].filter(present);

  return {
    conversations: sessions.length,
    open: sessions.filter((s) => s.outcome === 'open').length,
    engaged: engaged.length,
    contained: contained.length,
    escalated: escalated.length,
    resolvedByAgent: resolvedByAgent.length,
    abandoned: abandoned.length,
    containmentRate: ratio(contained.length, engaged.length),
    escalationRate: ratio(escalated.length, engaged.length),
    abandonmentRate: ratio(abandoned.length, engaged.length),
    fallbackRate: ratio(fallbackTurns, customerMessages),
    confirmedShare: ratio(contained.filter((s) => s.confirmed).length, contained.length),
    assumedShare: ratio(contained.filter((s) => !s.confirmed).length, contained.length),
    reopenRate: ratio(contained.filter((s) => s.reopened).length, contained.length),
    csat: {
      ...csatPart(csatAll),
      responseRate: ratio(csatAll.length, sessions.filter((s) => s.surveyOffered).length),
      bot: csatPart(csatBot),
      agent: csatPart(csatAgent),
    },
    nps: {
      score: npsAll.length ? (100 * (npsAll.filter((v) => v >= 9).length - npsAll.filter((v) => v <= 6).length)) / npsAll.length : null,
      count: npsAll.length,
    },
    frt: percentiles(sessions.map((s) => (s.firstBotReplyAt !== null && s.firstCustomerAt !== null ? s.firstBotReplyAt - s.firstCustomerAt : null)).filter(present)),
    agentFrt: percentiles(handoffs.map((h) => since(h.firstAgentMessageAt, h.createdAt)).filter(present)),
    queueWait: percentiles(handoffs.map((h) => since(h.acceptedAt, h.createdAt)).filter(present)),
    timeToResolution: percentiles(resolutionTimes),
    sentiment: {
      mean: sentimentMeans.length ? sentimentMeans.reduce((a, b) => a + b, 0) / sentimentMeans.length : null,
      negativeShare: ratio(sentimentMeans.filter((m) => m < NEGATIVE_MEAN).length, sentimentMeans.length),
    },
  };
}

/** Grouping keys the reports offer. */
export type GroupBy = 'day' | 'channel' | 'locale' | 'intent';

/** The value of a session for a grouping key; conversations without a topic group under "(none)". */
export function groupKey(s: ClassifiedSession, by: GroupBy): string {
  if (by === 'day') return s.day;
  if (by === 'channel') return s.channel;
  if (by === 'locale') return s.locale;
  return s.topic ?? '(none)';
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
