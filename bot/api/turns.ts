/**
 * The turn log for leads (DESIGN §5): GET /api/conversations/{id} (one conversation's turns) and
 * GET /api/turns/export?format=csv|jsonl (the log, streamed, redacted as stored). Leads and admins only.
 */
import { once } from 'node:events';
import type { Response, Server } from 'restify';
import { z } from 'zod';
import { filterShape, periodShape, refinePeriod, resolvePeriod } from '../../metrics/query.js';
import type { Metrics } from '../../metrics/service.js';
import type { TurnLog, TurnRecord } from '../../storage/turnLog.js';
import { HttpError, parseOr400, parseQuery } from '../http/errors.js';
import type { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import type { Auth } from './auth.js';
import { apiRoute } from './common.js';
import { csvField } from './csv.js';

/** Dependencies of the turn routes. */
export interface TurnRoutesDeps {
  logger: Logger;
  inFlight: InFlight;
  auth: Auth;
  turnLog: TurnLog;
  /** Its roll-ups say which day files hold a conversation. */
  metrics: Metrics;
}

const ConversationIdSchema = z.string().min(1, { error: 'must not be empty' }).max(256, { error: 'must be at most 256 characters' });
const ConversationQuerySchema = z
  .object({ from: periodShape.from, to: periodShape.to })
  .strict()
  .superRefine((q, ctx) => refinePeriod(q, ctx, false));

const ExportQuerySchema = z
  .object({
    ...periodShape,
    format: z.enum(['csv', 'jsonl'], { error: 'must be csv or jsonl' }).default('jsonl'),
    channel: z.string().min(1).max(100).optional(),
    // The log keeps the language: a tag (es-ES, EN) is read as its language, as the metrics filter reads it.
    locale: filterShape.locale,
  })
  .strict()
  .superRefine((q, ctx) => refinePeriod(q, ctx, false));

/** CSV columns of the export: every field of a record; entities and data as JSON. */
export const TURN_CSV_COLUMNS = [
  'id', 'ts', 'conversationId', 'channel', 'locale', 'direction', 'customerId', 'actor', 'type', 'text', 'intent', 'score',
  'sentimentScore', 'sentimentLabel', 'dialog', 'outcome', 'latencyMs', 'handoffId', 'entities', 'data',
] as const;

/** One record as a CSV line (CRLF-terminated). */
export function turnCsvLine(r: TurnRecord): string {
  const values: Record<(typeof TURN_CSV_COLUMNS)[number], string | number | null | undefined> = {
    id: r.id, ts: r.ts, conversationId: r.conversationId, channel: r.channel, locale: r.locale, direction: r.direction,
    customerId: r.customerId, actor: r.actor, type: r.type, text: r.text, intent: r.intent, score: r.score,
    sentimentScore: r.sentiment?.score, sentimentLabel: r.sentiment?.label, dialog: r.dialog, outcome: r.outcome,
    latencyMs: r.latencyMs, handoffId: r.handoffId,
    entities: Object.keys(r.entities).length ? JSON.stringify(r.entities) : '',
    data: r.data ? JSON.stringify(r.data) : '',
  };
  return `${TURN_CSV_COLUMNS.map((c) => csvField(values[c])).join(',')}\r\n`;
}

/** Writes `chunk`, waiting for the socket to drain; false when the client has gone. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  return !res.destroyed;
}

/** Registers /api/conversations/:id and /api/turns/export. */
export function registerTurnRoutes(server: Server, deps: TurnRoutesDeps): void {
  const { logger, inFlight, auth, turnLog, metrics } = deps;

  server.get(
    '/api/conversations/:id',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'lead');
      const id = parseOr400(ConversationIdSchema, String(req.params.id ?? ''), 'conversation id');
      const q = parseQuery(ConversationQuerySchema, req.query);
      const turns: TurnRecord[] = [];
      for (const day of await metrics.daysOf(id, q)) {
        turns.push(...(await turnLog.conversation(id, { from: day, to: day })));
      }
      if (!turns.length) throw new HttpError(404, 'not_found', `No turns of conversation ${id}${q.from ? ` between ${q.from} and ${q.to}` : ''}.`);
      turns.sort((a, b) => a.ts.localeCompare(b.ts));
      res.json({ conversationId: id, turns });
    }),
  );

  server.get(
    '/api/turns/export',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'lead');
      const q = parseQuery(ExportQuerySchema, req.query);
      const days = await turnLog.days();
      const period = resolvePeriod(q, metrics.now(), { from: days[0] ?? '0000-01-01', to: days.at(-1) ?? '9999-12-31' });
      const csv = q.format === 'csv';
      res.writeHead(200, {
        'Content-Type': csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'Content-Disposition': `attachment; filename="turns-${period.from}-${period.to}.${csv ? 'csv' : 'jsonl'}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      // Streamed record by record in batches: the log may be far larger than memory.
      let batch = csv ? `${TURN_CSV_COLUMNS.join(',')}\r\n` : '';
      try {
        for await (const r of turnLog.read(period)) {
          if ((q.channel && r.channel !== q.channel) || (q.locale && r.locale !== q.locale)) continue;
          batch += csv ? turnCsvLine(r) : `${JSON.stringify(r)}\n`;
          if (batch.length >= 64 * 1024) {
            if (!(await write(res, batch))) return;
            batch = '';
          }
        }
        if (batch && !(await write(res, batch))) return;
        res.end();
      } catch (error) {
        // Headers are gone: the only honest signal left is a broken download.
        logger.error({ err: error }, 'Turn export failed mid-stream');
        res.destroy(error as Error);
      }
    }),
  );
}
