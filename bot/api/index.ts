/**
 * The agent side of the product in one call: user and session stores, the first admin, /api/auth, /api/users,
 * /api/handoffs (with its event stream), /api/tickets and the /agent page.
 */
import path from 'node:path';
import type { Server } from 'restify';
import type { Clock } from '../../storage/clock.js';
import type { TicketStore } from '../../storage/ticketStore.js';
import { LowdbSessionStore } from '../../storage/sessionStore.js';
import { LowdbUserStore } from '../../storage/userStore.js';
import type { Config } from '../config.js';
import { AgentDesk } from '../handoff/agentDesk.js';
import type { HandoffService } from '../handoff/handoffService.js';
import type { ProactiveMessenger } from '../handoff/proactive.js';
import { registerAgentPage } from '../http/agentPage.js';
import type { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import { Auth } from './auth.js';
import { EventStreams, registerHandoffEvents } from './handoffEvents.js';
import { registerHandoffRoutes } from './handoffs.js';
import { registerTicketRoutes } from './tickets.js';
import { bootstrapAdmin, registerUserRoutes } from './users.js';

/** What the agent side exposes to the app (tests reach the stores through it). */
export interface AgentApi {
  users: LowdbUserStore;
  sessions: LowdbSessionStore;
  auth: Auth;
  desk: AgentDesk;
  streams: EventStreams;
}

/** Builds the agent side and registers its routes on `server`. */
export async function createAgentApi(
  server: Server,
  deps: { config: Config; clock: Clock; logger: Logger; inFlight: InFlight; handoffs: HandoffService; tickets: TicketStore; messenger: ProactiveMessenger },
): Promise<AgentApi> {
  const { config, clock, logger, inFlight, handoffs } = deps;
  const users = await LowdbUserStore.open(path.join(config.DATA_DIR, 'users.json'));
  const sessions = await LowdbSessionStore.open(path.join(config.DATA_DIR, 'sessions.json'));
  await bootstrapAdmin(users, config, clock, logger);
  const desk = new AgentDesk(handoffs, deps.tickets, deps.messenger, logger);
  const streams = new EventStreams();
  const auth = new Auth({
    config,
    clock,
    logger,
    users,
    sessions,
    onSignedOut: (username) => desk.leave(username),
    onLogout: (token) => streams.end({ token }),
    onSessionsEnded: (username) => streams.end({ username }),
  });
  auth.register(server, inFlight);
  registerUserRoutes(server, { logger, clock, inFlight, auth, users, handoffs: handoffs.store, signedOut: (username) => desk.leave(username) });
  registerHandoffEvents(server, { logger, clock, auth, handoffs, events: handoffs.events, streams, maxMessageChars: config.MAX_MESSAGE_CHARS });
  registerHandoffRoutes(server, { config, clock, logger, inFlight, auth, handoffs, desk, users, streams });
  registerTicketRoutes(server, { clock, logger, inFlight, auth, tickets: deps.tickets, handoffs, desk });
  registerAgentPage(server, logger, inFlight);
  return { users, sessions, auth, desk, streams };
}
