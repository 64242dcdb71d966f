/** Reports on demand: roll-ups of the turn log + handoff facts → the metrics of DESIGN §4 for a date range. */
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../storage/clock.js';
import { classifySessions, type GroupBy, type HandoffFacts, type Metrics, report } from './compute.js';
import { RollupIndex } from './rollup.js';

/** A report as `/api/metrics` and the CLI return it. */
export type MetricsReport = { from: string; to: string; overall: Metrics; groups: Array<{ key: string } & Metrics> };

const day = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
/** Query of a metrics report. */
export const ReportQuerySchema = z
  .object({
    from: day,
    to: day,
    groupBy: z.enum(['day', 'channel', 'locale', 'intent'], { error: 'must be day, channel, locale or intent' }).optional(),
  })
  .refine((q) => q.from <= q.to, { error: 'from must not be after to', path: ['from'] });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** Shifts a YYYY-MM-DD date by whole days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Computes reports; the roll-up index makes repeated reports read only what the log gained since. */
export class MetricsService {
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

  /** The report for conversations that started within [from, to]. */
  async report(query: ReportQuery): Promise<MetricsReport> {
    // A day before: sessions that began earlier are recognised as such; two after: returns within 24 h (reopens).
    const sessions = await this.rollup.sessions({ from: addDays(query.from, -1), to: addDays(query.to, 2) });
    const classified = classifySessions(sessions, await this.handoffs(), this.clock.now().getTime(), this.idleMs);
    return report(classified, { from: query.from, to: query.to }, query.groupBy as GroupBy | undefined);
  }
}
