/** One call from the composition root installs the built-in Direct Line: service, REST routes, connector routes, stream. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import type { BotCore } from '../app.js';
import type { Config } from '../config.js';
import type { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import { registerConnectorRoutes } from './connectorRoutes.js';
import { registerDirectLineRoutes } from './routes.js';
import { DIRECTLINE_CHANNEL, DirectLineService } from './service.js';
import { attachStream } from './stream.js';
import { randomId } from './tokens.js';

export { DIRECTLINE_CHANNEL, DirectLineService } from './service.js';

/** The installed Direct Line: the service (with its adapter for proactive messages) and its shutdown steps. */
export interface DirectLine {
  service: DirectLineService;
  /** Stops new turns and waits for those in flight; call before the HTTP server stops accepting. */
  drain(timeoutMs: number): Promise<void>;
  /** Closes sockets and forgets conversations. */
  close(): void;
}

/** Dependencies of the Direct Line installation. */
export interface DirectLineOptions {
  config: Config;
  logger: Logger;
  core: Pick<BotCore, 'bot' | 'attach' | 'handoffs'>;
  inFlight: InFlight;
}

/** The base URL this process reaches itself on: the address the server listens on, loopback for wildcards. */
export function ownBaseUrl(server: Server): string {
  const address = server.server.address() as AddressInfo | null;
  if (!address) throw new Error('The HTTP server is not listening yet');
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}/`;
}

/** Installs the built-in Direct Line on `server`. */
export function registerDirectLine(server: Server, options: DirectLineOptions): DirectLine {
  const { config, logger, core, inFlight } = options;
  let secret = config.DIRECTLINE_SECRET;
  if (!secret) {
    secret = randomId(32);
    logger.warn('DIRECTLINE_SECRET is not set: using a random secret for this run. The web chat page works; set it to call /v3/directline with the secret from elsewhere.');
  }
  const service = new DirectLineService({
    secret,
    tokenTtlSeconds: config.DIRECTLINE_TOKEN_TTL_SECONDS,
    limits: {
      maxConversations: config.DIRECTLINE_MAX_CONVERSATIONS,
      maxActivities: config.DIRECTLINE_MAX_ACTIVITIES,
      maxLogBytes: config.DIRECTLINE_MAX_LOG_KB * 1024,
      idleMs: config.DIRECTLINE_IDLE_MINUTES * 60_000,
    },
    bot: { id: config.MicrosoftAppId ?? 'support-bot', name: config.BOT_NAME },
    logger,
    logic: (context) => core.bot.run(context),
    attach: (adapter) => core.attach(adapter),
    serviceUrl: () => ownBaseUrl(server),
    withPerson: async (id) => (await core.handoffs.openFor(id, DIRECTLINE_CHANNEL))?.status === 'active',
  });
  const perIp = registerDirectLineRoutes(server, service, {
    logger,
    inFlight,
    trustProxy: config.TRUST_PROXY,
    publicUrl: config.PUBLIC_URL,
    requestsPerMinute: config.DIRECTLINE_REQUESTS_PER_MINUTE,
    messagesPerMinute: config.DIRECTLINE_MESSAGES_PER_MINUTE,
    webchatTokensPerMinute: config.WEBCHAT_TOKENS_PER_MINUTE,
    maxUploadBytes: config.MAX_BODY_KB * 1024,
  });
  registerConnectorRoutes(server, service, logger, inFlight);
  const stream = attachStream(server.server, service, {
    logger,
    perIp,
    trustProxy: config.TRUST_PROXY,
    maxSocketsPerConversation: config.DIRECTLINE_MAX_SOCKETS,
  });
  return {
    service,
    drain: (timeoutMs) => service.drain(timeoutMs),
    close: () => {
      stream.close();
      service.close();
    },
  };
}
