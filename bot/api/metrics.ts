/**
 * The lead's numbers (DESIGN §4/§5): GET /api/metrics (a period, optional grouping, filter, previous-period comparison,
 * extra breakdowns; JSON or CSV), GET /api/alerts and GET /api/escalations. All of them go through the metrics
 * engine's one query mechanism (metrics/query.ts), so the dashboard, the CSV and the alerts agree by construction.
 */
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { evaluateAlerts } from '../../metrics/alerts.js';
import type { EscalationRow } from '../../metrics/escalations.js';
import { COLUMNS } from '../../metrics/format.js';
import { filterShape, GroupBySchema, GroupListSchema, lastDays, periodShape, refinePeriod, resolvePeriod } from '../../metrics/query.js';
import type { Metrics, MetricsReport } from '../../metrics/service.js';
import { HandoffReasonSchema, HandoffStatusListSchema } from '../../storage/handoffStore.js';
import type { Config } from '../config.js';
import { parseQuery } from '../http/errors.js';
import type { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import type { Auth } from './auth.js';
import { apiRoute } from './common.js';
import { sendCsv, toCsv } from './csv.js';

/** Dependencies of the metrics routes (`config` holds the alert thresholds). */
export interface MetricsRouteDeps {
  metrics: Metrics;
  logger: Logger;
  inFlight: InFlight;
  auth: Auth;
  config: Config;
}

const format = z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json');

/** Query of GET /api/metrics. */
export const MetricsQuerySchema = z
  .object({
    ...periodShape,
    ...filterShape,
    groupBy: GroupBySchema.optional(),
    compare: z.enum(['previous'], { error: 'must be "previous"' }).optional(),
    breakdowns: GroupListSchema.optional(),
    format,
  })
  .strict()
  .superRefine((q, ctx) => refinePeriod(q, ctx, true));

const AlertsQuerySchema = z
  .object({ ...periodShape, ...filterShape })
  .strict()
  .superRefine((q, ctx) => refinePeriod(q, ctx, false));

const EscalationsQuerySchema = z
  .object({ ...periodShape, ...filterShape, reason: HandoffReasonSchema.optional(), status: HandoffStatusListSchema.optional(), format })
  .strict()
  .superRefine((q, ctx) => refinePeriod(q, ctx, false));

const filterOf = (q: { channel?: string; locale?: string; intent?: string }) => ({
  ...(q.channel ? { channel: q.channel } : {}),
  ...(q.locale ? { locale: q.locale } : {}),
  ...(q.intent ? { intent: q.intent } : {}),
});

const METRIC_COLUMNS = ['section', 'key', ...COLUMNS.map((c) => c.header)] as const;

/** Every number of a report, one row per shown block: overall, the previous period, each group and breakdown row. */
export function reportCsv(r: MetricsReport, groupBy?: string): string {
  type Row = Record<string, string | number | null>;
  const row = (section: string, key: string, m: MetricsReport['overall']): Row =>
    Object.fromEntries([['section', section], ['key', key], ...COLUMNS.map((c) => [c.header, c.value(m)])]);
  const rows: Row[] = [row('overall', `${r.from}..${r.to}`, r.overall)];
  if (r.previous) rows.push(row('previous', `${r.previous.from}..${r.previous.to}`, r.previous.overall));
  if (groupBy) for (const g of r.groups) rows.push(row(groupBy, g.key, g));
  for (const [by, groups] of Object.entries(r.breakdowns ?? {})) if (by !== groupBy) for (const g of groups ?? []) rows.push(row(by, g.key, g));
  return toCsv(METRIC_COLUMNS as unknown as string[], rows);
}

const ESCALATION_COLUMNS = [
  'id', 'conversationId', 'customerId', 'createdAt', 'reason', 'priority', 'channel', 'locale', 'intent', 'status', 'agent',
  'acceptedAt', 'resolvedAt', 'queueWaitMs', 'agentFrtMs', 'outcome', 'csat', 'nps', 'sentimentMean',
] as const satisfies ReadonlyArray<keyof EscalationRow>;

/** Registers /api/metrics, /api/alerts and /api/escalations (leads and admins). */
export function registerMetricsRoutes(server: Server, deps: MetricsRouteDeps): void {
  const { metrics, logger, inFlight, auth } = deps;

  server.get(
    '/api/metrics',
    apiRoute(logger, inFlight, async (req: Request, res: Response) => {
      await auth.require(req, 'lead');
      const q = parseQuery(MetricsQuerySchema, req.query);
      const now = metrics.now();
      const period = resolvePeriod(q, now);
      const report = await metrics.report({ ...period, groupBy: q.groupBy, filter: filterOf(q), compare: q.compare === 'previous', breakdowns: q.breakdowns });
      if (q.format === 'csv') sendCsv(res, `metrics-${period.from}-${period.to}.csv`, reportCsv(report, q.groupBy));
      // The clock the figures were counted by: the page says "as of" and tells a day still going from one that is over.
      else res.json({ ...report, generatedAt: now.toISOString() });
    }),
  );

  server.get(
    '/api/alerts',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'lead');
      const q = parseQuery(AlertsQuerySchema, req.query);
      const c = deps.config;
      const period = resolvePeriod(q, metrics.now(), lastDays(metrics.now(), c.ALERT_WINDOW_DAYS));
      const report = await metrics.report({ ...period, filter: filterOf(q), compare: true });
      const thresholds = {
        minSample: c.ALERT_MIN_SAMPLE,
        escalationRateMax: c.ALERT_ESCALATION_RATE_MAX,
        abandonmentRateMax: c.ALERT_ABANDONMENT_RATE_MAX,
        fallbackRateMax: c.ALERT_FALLBACK_RATE_MAX,
        csatMin: c.ALERT_CSAT_MIN,
        negativeShareRise: c.ALERT_NEGATIVE_SHARE_RISE,
      };
      res.json({ window: period, previousWindow: { from: report.previous!.from, to: report.previous!.to }, filter: report.filter, thresholds, alerts: evaluateAlerts(report, thresholds) });
    }),
  );

  server.get(
    '/api/escalations',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'lead');
      const q = parseQuery(EscalationsQuerySchema, req.query);
      const period = resolvePeriod(q, metrics.now(), lastDays(metrics.now(), 30));
      const filter = filterOf(q);
      const items = await metrics.escalations({ ...period, filter, reason: q.reason, status: q.status });
      if (q.format === 'csv') sendCsv(res, `escalations-${period.from}-${period.to}.csv`, toCsv(ESCALATION_COLUMNS, items));
      else res.json({ ...period, filter, items });
    }),
  );
}
