/**
 * The ticket API: the complaints and messages the bot promised a reply to, for the people who owe that reply.
 * Agents list, read (with the conversation) and close tickets; leads also export them as CSV and see their KPIs.
 */
import type { Request, Server } from 'restify';
import { z } from 'zod';
import { filterShape, lastDays, periodShape, RANGE_PRESETS, refinePeriod, resolvePeriod } from '../../metrics/query.js';
import { ticketSummary } from '../../metrics/tickets.js';
import type { Clock } from '../../storage/clock.js';
import { isOverdue, type Ticket, TicketPrioritySchema, TicketSchema, type TicketStore } from '../../storage/ticketStore.js';
import { hasRole } from '../../storage/userStore.js';
import type { AgentDesk } from '../handoff/agentDesk.js';
import type { HandoffService } from '../handoff/handoffService.js';
import { HttpError, NoQuerySchema, parseOr400, parseQuery } from '../http/errors.js';
import type { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import type { Auth } from './auth.js';
import { apiRoute } from './common.js';
import { sendCsv, toCsv } from './csv.js';

const StatusSchema = TicketSchema.shape.status;
const KindSchema = TicketSchema.shape.kind;

const ListQuerySchema = z
  .object({
    status: StatusSchema.optional(),
    kind: KindSchema.optional(),
    priority: TicketPrioritySchema.optional(),
    overdue: z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true').optional(),
    format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
  })
  .strict();

/** The period of the summary (the last 7 days by default) and the conversations' channel and language. */
const SummaryQuerySchema = z
  .object({ ...periodShape, channel: filterShape.channel, locale: filterShape.locale })
  .strict()
  .superRefine((q, ctx) => refinePeriod(q, ctx, false));

const IdSchema = z.string().regex(/^T-\d{6,}$/, { error: 'a ticket id looks like T-000123' });
/** `note` stays with the team; `reply` is the answer the customer gets in their chat. */
const CloseSchema = z.object({ note: z.string().trim().max(2000).optional(), reply: z.string().trim().max(2000).optional() }).strict();

/** A ticket as the API shows it: whether it is past its promised reply time, and where its conversation is. */
export function publicTicket(t: Ticket, now: Date) {
  // The conversation reference is the bot's way back to the customer's chat, not something an agent reads.
  const { reference: _reference, ...fields } = t;
  return { ...fields, overdue: isOverdue(t, now), links: { transcript: `/api/tickets/${t.id}/transcript` } };
}

/** Open tickets first, the one due soonest on top; closed ones after, the latest closed first. */
function byUrgency(a: Ticket, b: Ticket): number {
  if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
  if (a.status === 'open') return a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id);
  return (b.closedAt ?? '').localeCompare(a.closedAt ?? '') || b.id.localeCompare(a.id);
}

const CSV_COLUMNS = [
  'id', 'kind', 'status', 'priority', 'category', 'createdAt', 'dueAt', 'overdue', 'closedAt', 'closedBy', 'orderNumber',
  'channel', 'locale', 'customerId', 'conversationId', 'sentiment', 'description', 'followUps', 'note', 'reply',
] as const;

type CsvRow = Record<(typeof CSV_COLUMNS)[number], string | number | null | undefined>;

function csvRow(t: ReturnType<typeof publicTicket>): CsvRow {
  const { links: _links, overdue, followUps, ...fields } = t;
  return {
    orderNumber: undefined, sentiment: undefined, closedAt: undefined, closedBy: undefined, note: undefined, reply: undefined, ...fields,
    overdue: String(overdue),
    // Each on its own line inside the cell.
    followUps: (followUps ?? []).map((f) => f.text).join('\n'),
  };
}

/** Dependencies of the ticket routes. */
export interface TicketRoutesDeps {
  clock: Clock;
  logger: Logger;
  inFlight: InFlight;
  auth: Auth;
  tickets: TicketStore;
  handoffs: HandoffService;
  desk: AgentDesk;
}

/** Registers /api/tickets. */
export function registerTicketRoutes(server: Server, deps: TicketRoutesDeps): void {
  const { clock, logger, inFlight, auth, tickets, handoffs, desk } = deps;
  const load = async (req: Request): Promise<Ticket> => {
    const id = parseOr400(IdSchema, String(req.params.id ?? ''), 'ticket id');
    const t = await tickets.get(id);
    if (!t) throw new HttpError(404, 'not_found', `No ticket ${id}.`);
    return t;
  };

  server.get(
    '/api/tickets',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'agent');
      const q = parseQuery(ListQuerySchema, req.query);
      const now = clock.now();
      const items = (await tickets.list())
        .filter((t) => (q.status ? t.status === q.status : true) && (q.kind ? t.kind === q.kind : true) && (q.priority ? t.priority === q.priority : true))
        .map((t) => publicTicket(t, now))
        .filter((t) => (q.overdue === undefined ? true : t.overdue === q.overdue))
        .sort(byUrgency);
      if (q.format === 'csv') {
        if (!hasRole(p.user.role, 'lead')) throw new HttpError(403, 'forbidden', `The CSV export needs the lead role; you are signed in as ${p.user.role}.`);
        sendCsv(res, `tickets-${now.toISOString().slice(0, 10)}.csv`, toCsv(CSV_COLUMNS, items.map(csvRow)));
        return;
      }
      res.json({ items });
    }),
  );

  server.get(
    '/api/tickets/summary',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'lead');
      const q = parseQuery(SummaryQuerySchema, req.query);
      const now = clock.now();
      const period = resolvePeriod(q, now, lastDays(now, RANGE_PRESETS['7d']));
      res.json(ticketSummary(await tickets.list(), period, now, { channel: q.channel, locale: q.locale }));
    }),
  );

  server.get(
    '/api/tickets/:id',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'agent');
      parseQuery(NoQuerySchema, req.query);
      res.json(publicTicket(await load(req), clock.now()));
    }),
  );

  server.get(
    '/api/tickets/:id/transcript',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'agent');
      parseQuery(NoQuerySchema, req.query);
      const t = await load(req);
      res.json({ ticket: publicTicket(t, clock.now()), turns: await handoffs.sessionTranscript(t, t.createdAt, null) });
    }),
  );

  server.post(
    '/api/tickets/:id/close',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'agent');
      const t = await load(req);
      const { note, reply } = parseOr400(CloseSchema, req.body ?? {}, 'closing');
      const change = await desk.closeTicket(t.id, { by: p.user.username, at: clock.now().toISOString(), ...(note ? { note } : {}), ...(reply ? { reply } : {}) });
      if (!change.ok) {
        if (change.refusal === 'not_found') throw new HttpError(404, 'not_found', `No ticket ${t.id}.`);
        throw new HttpError(409, 'closed', `${t.id} was already closed by ${change.ticket?.closedBy ?? 'someone'}.`);
      }
      res.json({ ...publicTicket(change.ticket, clock.now()), ...(change.notified === undefined ? {} : { notified: change.notified }) });
    }),
  );
}
