/** Reports on demand: roll-ups of the turn log + handoff facts → the metrics of DESIGN §4 for a date range. */
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../storage/clock.js';
import { type ClassifiedSession, classifySessions, type GroupBy, type HandoffFacts } from './compute.js';
import { type EscalationRow, escalationRows } from './escalations.js';
import { applyFilter, buildReport, type ExtendedReport, previousPeriod, type ReportOptions, type SessionFilter, shiftDay } from './query.js';
import { RollupIndex } from './rollup.js';

/** A report as `/api/metrics` and the CLI return it (the period, overall, groups, plus filter, facets and comparison). */
export type MetricsReport = ExtendedReport;

const day = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
/** Query of a metrics report. */
export const ReportQuerySchema = z
  .object({
    from: day,
    to: day,
    groupBy: z.enum(['day', 'channel', 'locale', 'intent'], { error: 'must be day, channel, locale or intent' }).optional(),
  })
  // zod runs the check on dates that failed their own (`2026-1-1`): only two real dates are compared.
  .refine((q) => !(day.safeParse(q.from).success && day.safeParse(q.to).success) || q.from <= q.to, { error: 'must not be after to', path: ['from'] });
export type ReportQuery = z.infer<typeof ReportQuerySchema> & ReportOptions;

/** Shifts a YYYY-MM-DD date by whole days. */
export const addDays = shiftDay;

/** Query of the escalation review: handoffs of the sessions that started in [from, to]. */
export interface EscalationsQuery {
  from: string;
  to: string;
  filter?: SessionFilter;
  reason?: string;
  status?: string[];
}

/** What the bot's API needs from the metrics engine, in this thread (MetricsService) or on a worker (MetricsWorker). */
export interface Metrics {
  report(query: ReportQuery): Promise<MetricsReport>;
  escalations(query: EscalationsQuery): Promise<EscalationRow[]>;
  /** Days whose log holds records of a conversation. */
  daysOf(conversationId: string, range?: { from?: string; to?: string }): Promise<string[]>;
  /** Folds what the log gained into the roll-ups. */
  refresh(): Promise<void>;
  /** Forgets cached roll-ups (the log was rewritten by retention or erasure). */
  invalidate(): void;
  /** The clock reports are judged by (presets such as "last 7 days" end today by it). */
  now(): Date;
}

/** Computes reports; the roll-up index makes repeated reports read only what the log gained since. */
export class MetricsService implements Metrics {
  readonly rollup: RollupIndex;

  constructor(
    turnsDir: string,
    private readonly idleMs: number,
    private readonly clock: Clock,
    private readonly handoffs: () => Promise<HandoffFacts[]> = async () => [],
    warn?: (message: string, detail?: Record<string, unknown>) => void,
  ) {
    this.rollup = new RollupIndex(turnsDir, idleMs, warn);
  }

  /** Builds the index for a data directory's turn log. */
  static forDataDir(dataDir: string, idleMinutes: number, clock: Clock, handoffs?: () => Promise<HandoffFacts[]>, warn?: (m: string, d?: Record<string, unknown>) => void): MetricsService {
    return new MetricsService(path.join(dataDir, 'turns'), idleMinutes * 60_000, clock, handoffs, warn);
  }

  /** The report for conversations that started within [from, to], optionally filtered and compared. */
  async report(query: ReportQuery): Promise<MetricsReport> {
    const classified = await this.classified(query.compare ? previousPeriod(query).from : query.from, query.to);
    return buildReport(classified, { ...query, groupBy: query.groupBy as GroupBy | undefined });
  }

  /** Sessions around [from, to] with their outcomes decided now; callers keep those that started in the range. */
  async classified(from: string, to: string): Promise<ClassifiedSession[]> {
    // A day before: sessions that began earlier are recognised as such; two after: returns within 24 h (reopens).
    const sessions = await this.rollup.sessions({ from: addDays(from, -1), to: addDays(to, 2) });
    return classifySessions(sessions, await this.handoffs(), this.clock.now().getTime(), this.idleMs);
  }

  async escalations(query: EscalationsQuery): Promise<EscalationRow[]> {
    const sessions = applyFilter(await this.classified(query.from, query.to), query.filter);
    return escalationRows(sessions, query, { reason: query.reason, status: query.status });
  }

  daysOf(conversationId: string, range: { from?: string; to?: string } = {}): Promise<string[]> {
    return this.rollup.daysOf(conversationId, range);
  }

  refresh(): Promise<void> {
    return this.rollup.refresh();
  }

  invalidate(): void {
    this.rollup.invalidate();
  }

  now(): Date {
    return this.clock.now();
  }
}
