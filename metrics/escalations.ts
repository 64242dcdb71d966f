/**
 * The escalation review: every handoff of the conversations that started in a period (after the dashboard's filter),
 * with its wait, agent, outcome and the conversation's survey answers. Built from the same classified sessions as the
 * metrics, so the review's rows and the escalation tiles count the same conversations.
 */
import { type ClassifiedSession, groupKey } from './compute.js';

/** One handoff as the review lists it. Durations are milliseconds; null when it did not happen (yet). */
export interface EscalationRow {
  id: string;
  conversationId: string;
  customerId: string;
  createdAt: string;
  reason: string | null;
  priority: string | null;
  channel: string;
  locale: string;
  /** The conversation's topic (its first task intent), "(none)" without one. */
  intent: string;
  /** The handoff's own status: queued, active, resolved, abandoned. */
  status: string;
  agent: string | null;
  acceptedAt: string | null;
  resolvedAt: string | null;
  queueWaitMs: number | null;
  agentFrtMs: number | null;
  /** The conversation's outcome (DESIGN §4): escalated, resolved_by_agent, or open while it goes on. */
  outcome: ClassifiedSession['outcome'];
  csat: number | null;
  nps: number | null;
  /** Mean sentiment of the customer's turns in the conversation. */
  sentimentMean: number | null;
}

const since = (later: string | null | undefined, earlier: string): number | null => (later ? Date.parse(later) - Date.parse(earlier) : null);

/** Rows for the sessions that started in [from, to], newest handoff first; `only` narrows by reason or status. */
export function escalationRows(
  sessions: ClassifiedSession[],
  period: { from: string; to: string },
  only: { reason?: string; status?: readonly string[] } = {},
): EscalationRow[] {
  const rows: EscalationRow[] = [];
  for (const c of sessions) {
    if (c.day < period.from || c.day > period.to || c.handoffs.length === 0) continue;
    const s = c.s;
    for (const h of c.handoffs) {
      if ((only.reason && h.reason !== only.reason) || (only.status && !only.status.includes(h.status))) continue;
      rows.push({
        id: h.id,
        conversationId: s.conversationId,
        customerId: s.customerId,
        createdAt: h.createdAt,
        reason: h.reason ?? null,
        priority: h.priority ?? null,
        channel: s.channel,
        locale: s.locale,
        intent: groupKey(c, 'intent'),
        status: h.status,
        agent: h.agent ?? null,
        acceptedAt: h.acceptedAt ?? null,
        resolvedAt: h.resolvedAt ?? null,
        queueWaitMs: since(h.acceptedAt, h.createdAt),
        agentFrtMs: since(h.firstAgentMessageAt, h.createdAt),
        outcome: c.outcome,
        csat: s.csat,
        nps: s.nps,
        sentimentMean: s.sentimentCount ? Math.round((s.sentimentSum / s.sentimentCount) * 1000) / 1000 : null,
      });
    }
  }
  return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}
