/**
 * The handoff API (DESIGN §5): the queue and escalation log (JSON or CSV), accept, messages, transcript, resolve.
 * Agents work handoffs; leads and admins also export the log and may resolve any handoff.
 */
import type { Request, Server } from 'restify';
import { z } from 'zod';
import type { Clock } from '../../storage/clock.js';
import { type Handoff, type HandoffFilter, HandoffReasonSchema, HandoffStatusListSchema, type Refusal } from '../../storage/handoffStore.js';
import { hasRole, type UserStore } from '../../storage/userStore.js';
import type { Config } from '../config.js';
import type { AgentDesk, DeskResult } from '../handoff/agentDesk.js';
import { publicHandoff } from '../handoff/events.js';
import type { HandoffService } from '../handoff/handoffService.js';
import { HttpError, NoQuerySchema, parseOr400, parseQuery } from '../http/errors.js';
import type { InFlight } from '../http/route.js';
import { publicBase } from '../http/publicBase.js';
import type { Logger } from '../logger.js';
import type { Auth } from './auth.js';
import { apiRoute } from './common.js';
import { sendCsv, toCsv } from './csv.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A day (YYYY-MM-DD, UTC) or an ISO instant. */
const DateParam = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be YYYY-MM-DD or an ISO 8601 date-time' });

const ListQuerySchema = z
  .object({
    status: HandoffStatusListSchema.optional(),
    from: DateParam.optional(),
    to: DateParam.optional(),
    channel: z.string().min(1).max(100).optional(),
    reason: HandoffReasonSchema.optional(),
    format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
  })
  .strict();

const IdSchema = z.string().regex(/^H-\d{6,}$/, { error: 'a handoff id looks like H-000123' });

/** The instants an ISO 8601 string with a four-digit year can name: every stored timestamp lies between them. */
const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * The instant a `from` / `to` parameter stands for (a day `to` includes that whole day), or undefined when it bounds
 * nothing. The store compares ISO strings, and the day after 9999-12-31 is "+010000-01-01T…", which sorts before
 * every stored time: `to=9999-12-31` was refused with "from must be before to". A bound beyond every timestamp on
 * its own side is no bound; one beyond them on the other side is refused, naming the range.
 */
function instant(value: string, end: boolean): string | undefined {
  const at = DAY.test(value) ? Date.parse(`${value}T00:00:00.000Z`) + (end ? 86_400_000 : 0) : Date.parse(value);
  if (end ? at > LAST_INSTANT : at < FIRST_INSTANT) return undefined;
  if (at < FIRST_INSTANT || at > LAST_INSTANT) {
    throw new HttpError(400, 'invalid_request', `Invalid query: ${end ? 'to' : 'from'} must fall between 0000-01-01 and 9999-12-31 (UTC).`);
  }
  return new Date(at).toISOString();
}

/** Dependencies of the handoff routes. */
export interface HandoffRoutesDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  inFlight: InFlight;
  auth: Auth;
  handoffs: HandoffService;
  desk: AgentDesk;
  /** Whom a chat can be handed to. */
  users: UserStore;
  /** Who has a console open (`online` in GET /api/agents). */
  streams?: { online(username: string): boolean };
}

/** CSV columns of the escalation log, in order. */
// A new column goes last: spreadsheets and scripts read the export by position.
const CSV_COLUMNS = [
  'id', 'status', 'reason', 'priority', 'channel', 'locale', 'customerId', 'conversationId', 'createdAt', 'acceptedAt',
  'firstAgentMessageAt', 'resolvedAt', 'abandonedAt', 'endedBy', 'agent', 'queueWaitMs', 'intents', 'sentimentMean',
  'ticketId', 'note', 'transcript', 'closedBy',
] as const;

function csvRow(h: Handoff, base: string): Record<(typeof CSV_COLUMNS)[number], string | number | null> {
  const p = publicHandoff(h);
  return {
    id: h.id, status: h.status, reason: h.reason, priority: h.priority, channel: h.channel, locale: h.locale,
    customerId: h.customerId, conversationId: h.conversationId, createdAt: h.createdAt, acceptedAt: h.acceptedAt,
    firstAgentMessageAt: h.firstAgentMessageAt, resolvedAt: h.resolvedAt, abandonedAt: h.abandonedAt, endedBy: h.endedBy,
    agent: h.agent, closedBy: h.closedBy, queueWaitMs: h.acceptedAt ? Date.parse(h.acceptedAt) - Date.parse(h.createdAt) : null,
    intents: h.intents.join(' '), sentimentMean: h.sentiment?.mean ?? null, ticketId: h.ticketId ?? null, note: h.note,
    transcript: `${base}${p.links.transcript}`,
  };
}

/** 404 / 409 for a refused state change, naming what is in the way. */
function refusalError(id: string, refusal: Refusal, h?: Handoff): HttpError {
  switch (refusal) {
    case 'not_found':
      return new HttpError(404, 'not_found', `No handoff ${id}.`);
    case 'taken':
      return new HttpError(409, 'already_accepted', `${id} was already accepted by ${h?.agent ?? 'another agent'}.`);
    case 'closed':
      return new HttpError(409, 'closed', `${id} is already ${h?.status ?? 'closed'}.`);
    case 'not_active':
      return new HttpError(409, 'not_active', `${id} is ${h?.status ?? 'not active'}; only an accepted handoff can take messages or go to a colleague.`);
  }
}

/** Answers a desk result: the public handoff, plus whether the customer could be told. */
function deskAnswer(id: string, result: DeskResult) {
  if (!result.ok) throw refusalError(id, result.refusal, result.handoff);
  return { ...publicHandoff(result.handoff), ...(result.notified === undefined ? {} : { notified: result.notified }) };
}

/** Registers /api/handoffs (the events stream lives in ./handoffEvents.ts). */
export function registerHandoffRoutes(server: Server, deps: HandoffRoutesDeps): void {
  const { logger, inFlight, auth, handoffs, desk, config, clock, users } = deps;
  const load = async (req: Request): Promise<Handoff> => {
    const id = parseOr400(IdSchema, String(req.params.id ?? ''), 'handoff id');
    const h = await handoffs.store.get(id);
    if (!h) throw new HttpError(404, 'not_found', `No handoff ${id}.`);
    return h;
  };

  server.get(
    '/api/agents',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'agent');
      parseQuery(NoQuerySchema, req.query);
      // Who a chat can be handed to: names, roles and whether their console is open (the user list itself is the
      // admin's). A chat handed to a colleague who had logged out told the customer they were taking over.
      res.json({ items: (await users.list()).map((u) => ({ username: u.username, role: u.role, online: deps.streams?.online(u.username) ?? false })) });
    }),
  );

  server.get(
    '/api/handoffs',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'agent');
      const q = parseQuery(ListQuerySchema, req.query);
      const from = q.from ? instant(q.from, false) : undefined;
      const to = q.to ? instant(q.to, true) : undefined;
      const filter: HandoffFilter = {
        ...(q.status ? { status: q.status } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.reason ? { reason: q.reason } : {}),
      };
      if (filter.from && filter.to && filter.from >= filter.to) throw new HttpError(400, 'invalid_request', 'Invalid query: from must be before to.');
      const items = await handoffs.store.list(filter);
      if (q.format === 'csv') {
        if (!hasRole(p.user.role, 'lead')) throw new HttpError(403, 'forbidden', `The CSV export needs the lead role; you are signed in as ${p.user.role}.`);
        const base = publicBase(req, { publicUrl: config.PUBLIC_URL, trustProxy: config.TRUST_PROXY });
        sendCsv(res, `handoffs-${clock.now().toISOString().slice(0, 10)}.csv`, toCsv(CSV_COLUMNS, items.map((h) => csvRow(h, base))));
        return;
      }
      res.json({ items: items.map(publicHandoff) });
    }),
  );

  server.get(
    '/api/handoffs/:id',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'agent');
      parseQuery(NoQuerySchema, req.query);
      const h = await load(req);
      res.json({ ...publicHandoff(h), queuePosition: h.status === 'queued' ? await handoffs.position(h) : null });
    }),
  );

  server.post(
    '/api/handoffs/:id/accept',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'agent');
      const h = await load(req);
      res.json(deskAnswer(h.id, await desk.accept(h.id, p.user.username)));
    }),
  );

  const TransferSchema = z.object({ to: z.string().trim().min(1, { error: 'must name a user' }).max(64) }).strict();
  server.post(
    '/api/handoffs/:id/transfer',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'agent');
      const h = await load(req);
      const { to } = parseOr400(TransferSchema, req.body ?? {}, 'transfer');
      if (h.status === 'active' && h.agent !== p.user.username && !hasRole(p.user.role, 'lead')) {
        throw new HttpError(403, 'not_your_handoff', `${h.id} is handled by ${h.agent}; only they or a lead can hand it on.`);
      }
      const colleague = await users.get(to);
      if (!colleague) throw new HttpError(400, 'unknown_user', `There is no user "${to}" to hand ${h.id} to.`);
      res.json(deskAnswer(h.id, await desk.transfer(h.id, colleague.username)));
    }),
  );

  // Line breaks and tabs are an agent's formatting; other control characters reached the customer as "a�b␇c".
  const MessageSchema = z
    .object({
      text: z
        .string()
        .trim()
        .min(1, { error: 'must not be empty' })
        .max(config.MAX_MESSAGE_CHARS)
        .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), { error: 'must not contain control characters' }),
    })
    .strict();
  server.post(
    '/api/handoffs/:id/messages',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'agent');
      const h = await load(req);
      const { text } = parseOr400(MessageSchema, req.body ?? {}, 'message');
      if (h.status === 'active' && h.agent !== p.user.username) {
        throw new HttpError(403, 'not_your_handoff', `${h.id} is handled by ${h.agent}; only they can write in it.`);
      }
      const result = await desk.message(h.id, p.user.username, text);
      if (result.ok && result.notified === false) {
        throw new HttpError(502, 'delivery_failed', "The message could not be delivered to the customer's channel; try again.");
      }
      const handoff = deskAnswer(h.id, result);
      res.status(201);
      res.json({ message: { text, from: 'agent', agent: p.user.username }, handoff });
    }),
  );

  server.get(
    '/api/handoffs/:id/transcript',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'agent');
      parseQuery(NoQuerySchema, req.query);
      const h = await load(req);
      res.json({ handoff: publicHandoff(h), turns: await handoffs.transcript(h) });
    }),
  );

  const ResolveSchema = z.object({ note: z.string().trim().max(2000).optional() }).strict();
  server.post(
    '/api/handoffs/:id/resolve',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'agent');
      const h = await load(req);
      const { note } = parseOr400(ResolveSchema, req.body ?? {}, 'resolution');
      const lead = hasRole(p.user.role, 'lead');
      if (h.status === 'queued' && !lead) throw new HttpError(409, 'not_active', `${h.id} is still queued; accept it before resolving it.`);
      if (h.status === 'active' && h.agent !== p.user.username && !lead) {
        throw new HttpError(403, 'not_your_handoff', `${h.id} is handled by ${h.agent}; only they or a lead can resolve it.`);
      }
      res.json(deskAnswer(h.id, await desk.resolve(h.id, p.user.username, note || undefined)));
    }),
  );
}
