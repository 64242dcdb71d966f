/** The restify server: parsers, limits, the JSON error shape, health routes and the Bot Framework endpoint. */
import { ActivityTypes } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import restify, { type Server } from 'restify';
import type { SupportAdapter } from '../adapter.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { SupportBot } from '../supportBot.js';
import { IncomingActivitySchema, toActivity } from './activitySchema.js';
import { HttpError, parseOr400, sendError } from './errors.js';
import { inMemoryMultipart } from './multipart.js';
import { fromThisMachine, RateLimiter } from './rateLimit.js';
import { Redeliveries } from './redelivery.js';
import { type InFlight, route } from './route.js';

/** What `/readyz` reports. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** Dependencies of the HTTP layer. */
export interface ServerDeps {
  config: Config;
  logger: Logger;
  adapter: SupportAdapter;
  bot: SupportBot;
  inFlight: InFlight;
  readiness: () => Promise<Readiness>;
  /** Whether a conversation belongs to a channel service on this server (the built-in Direct Line), not to a caller of /api/messages. */
  ownedElsewhere?: (activity: { channelId: string; conversation: { id: string } }) => boolean;
}

/** Restify's own errors (bad JSON, body too large, unknown route) in our `{ error: { code, message } }` shape. */
function installErrorFormat(server: Server): void {
  server.on('restifyError', (_req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number; body?: { code?: string }; toJSON?: () => unknown }, callback: () => void) => {
    const status = err.statusCode ?? 500;
    const code = (err.body?.code ?? err.name ?? 'error').replace(/Error$/, '').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    // restify's 415 says only the type ("text/plain"): say what to send instead.
    const message =
      status >= 500
        ? 'Something went wrong while handling the request.'
        : status === 415
          ? `Unsupported content type ${err.message}: send the body as application/json.`
          : err.message.replace(/\s+at .*$/s, '');
    err.toJSON = () => ({ error: { code, message } });
    callback();
  });
}

/**
 * Answers 415 to a request whose body is compressed, before anything reads it. restify's body reader inflates gzip and
 * deflate before MAX_BODY_KB applies (a 64 KB body became 66 MB in memory, ahead of any authentication), and no Bot
 * Framework channel, Direct Line client or console compresses what it sends.
 */
function refuseCompressedBodies(req: restify.Request, res: restify.Response, next: restify.Next): void {
  const encoding = req.headers['content-encoding'];
  if (encoding === undefined) {
    next();
    return;
  }
  // Nothing to inflate: a bodiless `GET /healthz` sent with the header was refused.
  if (req.headers['content-length'] === '0') {
    delete req.headers['content-encoding'];
    next();
    return;
  }
  if (encoding.split(',').every((coding) => ['', 'identity'].includes(coding.trim().toLowerCase()))) {
    // "identity" is no compression at all, yet restify's body reader refuses every coding but gzip.
    delete req.headers['content-encoding'];
    next();
    return;
  }
  const shown = JSON.stringify(encoding.length > 40 ? `${encoding.slice(0, 40)}…` : encoding);
  sendError(res, 415, 'unsupported_content_encoding', `Content-Encoding ${shown} is not accepted: send the body uncompressed.`, { 'Accept-Encoding': 'identity' });
  next(false);
}

/**
 * Answers 415 to a form-encoded body, which restify's body parser would accept: no route takes one, and it is the body
 * a cross-site HTML form can post without a preflight (the login took `username=…&password=…`).
 */
function refuseFormBodies(req: restify.Request, res: restify.Response, next: restify.Next): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    next();
    return;
  }
  sendError(res, 415, 'unsupported_media_type', `Unsupported content type ${type}: send the body as application/json.`);
  next(false);
}

/** Creates the server with the core routes; other modules add theirs through `server`. */
export function createServer(deps: ServerDeps): Server {
  const { config, logger, adapter, bot, inFlight } = deps;
  const server = restify.createServer({ name: config.BOT_NAME, handleUncaughtExceptions: false });
  installErrorFormat(server);
  // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3); say so, or the body
  // parser below refuses a bodiless DELETE as an unsupported media type.
  server.pre((req: restify.Request, _res: restify.Response, next: restify.Next) => {
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) req.headers['content-length'] = '0';
    next();
  });
  server.pre(refuseCompressedBodies);
  server.pre(refuseFormBodies);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      mapParams: false,
      maxBodySize: config.MAX_BODY_KB * 1024,
      rejectUnknown: true,
      // Multipart (Direct Line uploads) stays in memory under the same cap instead of landing in the temp directory.
      ...inMemoryMultipart(config.MAX_BODY_KB * 1024),
    }),
  );

  // Per conversation, not per address: Azure Bot Service posts every customer's messages from the same few addresses.
  const perConversation = new RateLimiter(config.MESSAGES_PER_MINUTE);
  // Typing indicators apart: a client sends one every few seconds while someone types, and sixty of them used up the
  // minute, so the message that followed was refused.
  const typingPerConversation = new RateLimiter(config.MESSAGES_PER_MINUTE);
  const redeliveries = new Redeliveries();
  server.post(
    '/api/messages',
    route(logger, inFlight, async (req, res) => {
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        throw new HttpError(400, 'invalid_request', 'The body must be a JSON Bot Framework activity.');
      }
      // Without Bot Framework credentials nothing proves who sent an activity: anyone could speak as any channel user
      // (and read what the bot tells them) and have replies posted to any URL. So open mode serves this machine only.
      if (config.openMode && !fromThisMachine(req, config.TRUST_PROXY)) {
        throw new HttpError(403, 'open_mode', 'This bot has no MicrosoftAppId (open local mode), so /api/messages takes activities from this machine only: set MicrosoftAppId and MicrosoftAppPassword to take channels over the network.');
      }
      const activity = parseOr400(IncomingActivitySchema, req.body, 'activity');
      // An activity naming a web chat customer's conversation spoke as that customer to their agent, and moved where
      // the agent's messages (with the built-in Direct Line's key) were sent.
      if (deps.ownedElsewhere?.(activity)) {
        throw new HttpError(403, 'conversation_elsewhere', `Conversation ${activity.conversation.id} belongs to the built-in Direct Line: its customer posts to /v3/directline/conversations/{id}/activities with its token.`);
      }
      const limiter = activity.type === ActivityTypes.Typing ? typingPerConversation : perConversation;
      limiter.check(`${activity.channelId}:${activity.conversation.id}`, activity.type === ActivityTypes.Typing ? 'typing indicators in this conversation' : 'messages in this conversation');
      const key = Redeliveries.keyOf(activity);
      if (key && !redeliveries.claim(key)) {
        logger.info({ channelId: activity.channelId, conversationId: activity.conversation.id, activityId: activity.id }, 'Ignoring an activity delivered again');
        // Its replies went out with the first delivery; expectReplies gets none a second time.
        if (activity.deliveryMode === 'expectReplies') res.send(200, { activities: [] });
        else res.end();
        return;
      }
      const response = await adapter.handle(req.headers.authorization ?? '', toActivity(activity), (context) => bot.run(context)).catch((error: unknown) => {
        // Not handled: the retry must be. An unauthenticated copy must not shut out the real activity either.
        if (key) redeliveries.release(key);
        if (error instanceof AuthenticationError) throw new HttpError(401, 'unauthorized', error.message);
        throw error;
      });
      res.status(response?.status ?? 200);
      if (response?.body !== undefined && response.body !== null) res.send(response.body);
      else res.end();
    }),
  );

  server.get(
    '/healthz',
    route(logger, inFlight, async (_req, res) => {
      res.json({ status: 'ok' });
    }),
  );

  server.get(
    '/readyz',
    route(logger, inFlight, async (_req, res) => {
      const r = await deps.readiness();
      res.status(r.ready ? 200 : 503);
      res.json({ status: r.ready ? 'ready' : 'not_ready', checks: r.checks });
    }),
  );

  return server;
}

