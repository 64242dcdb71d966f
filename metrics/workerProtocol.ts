/** Messages between MetricsWorker (the bot's thread) and metrics/worker.ts (the worker thread). */
import type { HandoffFacts } from './compute.js';
import type { EscalationsQuery, ReportQuery } from './service.js';

/** What the worker is started with. */
export interface MetricsWorkerSetup {
  turnsDir: string;
  idleMs: number;
}

/** One call; `now` is the caller's clock, `handoffs` its handoff store (for the calls that read them). */
export type MetricsRequest = { id: number; now: number; handoffs?: HandoffFacts[] } & (
  | { op: 'report'; query: ReportQuery }
  | { op: 'escalations'; query: EscalationsQuery }
  | { op: 'daysOf'; conversationId: string; range?: { from?: string; to?: string } }
  | { op: 'refresh' }
  | { op: 'invalidate' }
);

/** A call's answer (`result` or `error`), or a warning from the roll-ups. */
export type MetricsResponse = { id: number; result?: unknown; error?: string } | { warn: string; detail?: Record<string, unknown> };
