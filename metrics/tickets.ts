/**
 * Ticket KPIs for support leads: how many complaints and messages the bot promised a reply to, how many the team
 * answered within the promised time (SLA_HOURS, counted in business hours), how long closing took, and the backlog.
 */
import { isOverdue, type Ticket } from '../storage/ticketStore.js';
import { type Duration, percentiles } from './compute.js';
import { type Period, previousPeriod } from './query.js';

/** Which tickets count: by the channel and language of the conversation they came from. */
export interface TicketFilter {
  channel?: string;
  locale?: string;
}

/** A period's ticket figures. */
export interface TicketPeriodFigures {
  /** Tickets created in the period. */
  opened: number;
  /** Tickets closed in the period. */
  closed: number;
  /** Of those, closed by their due time. */
  closedOnTime: number;
  /** closedOnTime / closed; null without closed tickets. */
  slaMet: number | null;
  /** From creation to closing, of the tickets closed in the period (ms). */
  timeToClose: Duration;
}

/** The backlog now, whatever the period. */
export interface TicketBacklog {
  open: number;
  /** Open past their due time. */
  overdue: number;
  byPriority: { high: number; normal: number; low: number };
}

/** What GET /api/tickets/summary answers. */
export interface TicketSummary extends TicketPeriodFigures {
  from: string;
  to: string;
  backlog: TicketBacklog;
  previous: TicketPeriodFigures & { from: string; to: string };
}

const inPeriod = (iso: string | undefined, p: Period): boolean => {
  const day = iso?.slice(0, 10);
  return day !== undefined && day >= p.from && day <= p.to;
};

function figures(tickets: Ticket[], p: Period): TicketPeriodFigures {
  const closed = tickets.filter((t) => t.status === 'closed' && inPeriod(t.closedAt, p));
  const onTime = closed.filter((t) => (t.closedAt as string) <= t.dueAt).length;
  return {
    opened: tickets.filter((t) => inPeriod(t.createdAt, p)).length,
    closed: closed.length,
    closedOnTime: onTime,
    slaMet: closed.length ? onTime / closed.length : null,
    timeToClose: percentiles(closed.map((t) => Date.parse(t.closedAt as string) - Date.parse(t.createdAt))),
  };
}

/** The period's ticket figures, the same for the period before, and the backlog at `now`; days are UTC, as every report's. */
export function ticketSummary(all: Ticket[], p: Period, now: Date, filter: TicketFilter = {}): TicketSummary {
  const tickets = all.filter((t) => (!filter.channel || t.channel === filter.channel) && (!filter.locale || t.locale === filter.locale));
  const open = tickets.filter((t) => t.status === 'open');
  const before = previousPeriod(p);
  const count = (priority: Ticket['priority']) => open.filter((t) => t.priority === priority).length;
  return {
    from: p.from,
    to: p.to,
    ...figures(tickets, p),
    backlog: {
      open: open.length,
      overdue: open.filter((t) => isOverdue(t, now)).length,
      byPriority: { high: count('high'), normal: count('normal'), low: count('low') },
    },
    previous: { from: before.from, to: before.to, ...figures(tickets, before) },
  };
}
