/**
 * GET /api/handoffs/events: server-sent events for agent consoles. The stream opens with a `snapshot` of the open
 * handoffs, the server's time and the message length limit, then sends `handoff` (created or changed), `message` (a chat line) and `ticket` (filed,
 * added to or closed) events.
 * A comment line every 25 s keeps proxies from closing it; the session is checked again each time, so a logged-out
 * or deleted user's stream ends.
 */
import type { Request, Response, Server } from 'restify';
import type { Clock } from '../../storage/clock.js';
import { type ChatLine, type DeskEvent, type HandoffEvents, publicHandoff } from '../handoff/events.js';
import type { HandoffService } from '../handoff/handoffService.js';
import { HttpError, sendError } from '../http/errors.js';
import type { Logger } from '../logger.js';
import { redact } from '../redaction.js';
import type { Auth } from './auth.js';
import { apiHeaders } from './common.js';
import { publicTicket } from './tickets.js';

const HEARTBEAT_MS = 25_000;

/** Open streams, so shutdown, a logout or a user's removal can end them. */
export class EventStreams {
  private readonly closers = new Set<() => void>();
  /** Open streams per user: a console that is open, whoever may be looking at it. */
  private readonly byUser = new Map<string, number>();
  /** Each stream's user and session, so a logout or a removal ends it at once (it went on for up to 25 s). */
  private readonly owners = new Map<() => void, { username?: string; token?: string }>();

  add(close: () => void, username?: string, token?: string): () => void {
    this.closers.add(close);
    this.owners.set(close, { ...(username ? { username } : {}), ...(token ? { token } : {}) });
    if (username) this.byUser.set(username, (this.byUser.get(username) ?? 0) + 1);
    return () => {
      this.owners.delete(close);
      if (!this.closers.delete(close) || !username) return;
      const left = (this.byUser.get(username) ?? 1) - 1;
      if (left > 0) this.byUser.set(username, left);
      else this.byUser.delete(username);
    };
  }

  /** Ends the streams of one session (its logout) or of every session of a user (their removal). */
  end(which: { token: string } | { username: string }): void {
    for (const [close, owner] of [...this.owners]) {
      if ('token' in which ? owner.token === which.token : owner.username === which.username) close();
    }
  }

  /** Whether `username` has a console open now (its live stream connected). */
  online(username: string): boolean {
    return this.byUser.has(username);
  }

  get size(): number {
    return this.closers.size;
  }

  /** Ends every stream (at shutdown). */
  closeAll(): void {
    for (const close of [...this.closers]) close();
  }
}

/** Registers the events stream. */
export function registerHandoffEvents(
  server: Server,
  deps: { logger: Logger; clock: Clock; auth: Auth; handoffs: HandoffService; events: HandoffEvents; streams: EventStreams; maxMessageChars: number },
): void {
  const { logger, clock, auth, handoffs, events, streams, maxMessageChars } = deps;
  // Not wrapped in route(): the response stays open for as long as the console is, and must not hold up shutdown.
  server.get('/api/handoffs/events', async (req: Request, res: Response) => {
    apiHeaders(res);
    let principal;
    try {
      principal = await auth.require(req, 'agent');
    } catch (error) {
      if (error instanceof HttpError) sendError(res, error.status, error.code, error.message, error.headers);
      else {
        logger.error({ err: error }, 'Event stream failed to open');
        sendError(res, 500, 'internal', 'Something went wrong while handling the request.');
      }
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    const write = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.write('retry: 3000\n\n');
    // Subscribe before reading the snapshot and hold events until it is out, so none falls in between.
    const held: DeskEvent[] = [];
    let live = false;
    // A chat's lines as said go to the agent who has it; to every other console as the log keeps them (redacted): a
    // card number a customer typed to one agent reached every console open.
    const agents = new Map<string, string | null>();
    const lineFor = (line: ChatLine): ChatLine => (agents.get(line.handoffId) === principal.user.username ? line : { ...line, text: redact(line.text) });
    const send = (e: DeskEvent) => {
      if (e.type === 'handoff') agents.set(e.handoff.id, e.handoff.agent);
      write(e.type, e.type === 'handoff' ? e.handoff : e.type === 'ticket' ? publicTicket(e.ticket, clock.now()) : lineFor(e.line));
    };
    const unsubscribe = events.subscribe((e) => (live ? send(e) : held.push(e)));
    const open = await handoffs.store.list({ status: ['queued', 'active'] });
    // The server's clock lets consoles show waiting times that agree with the stored timestamps; the limit lets the reply
    // box stop at what POST /api/handoffs/{id}/messages accepts, instead of failing after the agent pressed Send.
    for (const h of open) agents.set(h.id, h.agent);
    write('snapshot', { items: open.map(publicHandoff), now: clock.now().toISOString(), limits: { messageChars: maxMessageChars } });
    live = true;
    for (const e of held.splice(0)) send(e);

    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(beat);
      unsubscribe();
      forget();
      res.end();
    };
    const forget = streams.add(close, principal.user.username, principal.token);
    const beat = setInterval(() => {
      void auth.resolve(principal.token, principal.via).then(
        (still) => (still ? res.write(': keep-alive\n\n') : close()),
        () => close(),
      );
    }, HEARTBEAT_MS);
    beat.unref();
    // The response's close is the client going away (the request's fires once its body is read).
    res.on('close', close);
    if (req.socket.destroyed) close();
  });
}
