/** The Direct Line 3.0 REST routes (`/v3/directline/*`) and the web chat page's token endpoint. */
import type { Request, Response, Server } from 'restify';
import type { z } from 'zod';
import { HttpError, parseOr400 } from '../http/errors.js';
import { multipartOf } from '../http/multipart.js';
import { publicBase } from '../http/publicBase.js';
import { clientIp, RateLimiter } from '../http/rateLimit.js';
import { type InFlight, route } from '../http/route.js';
import type { Logger } from '../logger.js';
import { CapacityError, type Conversation } from './conversationStore.js';
import {
  ClientActivitySchema,
  ConversationIdSchema,
  GenerateTokenSchema,
  StartConversationSchema,
  WatermarkSchema,
  WebChatTokenSchema,
} from './schemas.js';
import { ClosingError, type DirectLineService } from './service.js';
import { bearerOf, type Caller, randomId } from './tokens.js';

const BASE = '/v3/directline';

/** Limits and settings of the routes. */
export interface RouteOptions {
  logger: Logger;
  inFlight: InFlight;
  trustProxy: boolean;
  publicUrl?: string;
  requestsPerMinute: number;
  messagesPerMinute: number;
  webchatTokensPerMinute: number;
  maxUploadBytes: number;
}

/** Cross-origin access: Direct Line is called from customers' own sites with bearer tokens (never cookies). */
export function allowCors(res: Response): void {
  res.header('Access-Control-Allow-Origin', '*');
  res.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Requested-With, x-ms-bot-agent');
  res.header('Access-Control-Max-Age', '600');
}

/** A new user id for a customer who did not bring one ("dl_" as the real service recommends). */
function newUserId(): string {
  return `dl_${randomId(12)}`;
}

/** Registers the REST routes; returns the per-IP limiter so the WebSocket upgrade shares it. */
export function registerDirectLineRoutes(server: Server, service: DirectLineService, options: RouteOptions): RateLimiter {
  const { logger, inFlight } = options;
  const perIp = new RateLimiter(options.requestsPerMinute);
  const perConversation = new RateLimiter(options.messagesPerMinute);
  const webchatPerIp = new RateLimiter(options.webchatTokensPerMinute);
  const tokens = service.tokens;

  /** Wraps a handler with CORS, the per-IP limit and the mapping of service errors to HTTP answers. */
  const handle = (fn: (req: Request, res: Response) => Promise<void>) =>
    route(logger, inFlight, async (req, res) => {
      allowCors(res);
      perIp.check(clientIp(req, options.trustProxy), 'requests from this address');
      try {
        await fn(req, res);
      } catch (error) {
        if (error instanceof ClosingError) throw new HttpError(503, 'unavailable', error.message, { 'Retry-After': '5' });
        if (error instanceof CapacityError) {
          logger.warn({ open: service.store.size }, 'Direct Line is full: refusing a new conversation');
          throw new HttpError(503, 'capacity', 'Too many open conversations; try again in a minute.', { 'Retry-After': '60' });
        }
        throw error;
      }
    });

  /** The caller, or 401/403 explaining why not. */
  const authenticate = (req: Request): Caller => {
    const result = tokens.authenticate(bearerOf(req.headers.authorization));
    if ('kind' in result) return result;
    switch (result.problem) {
      case 'missing':
        throw new HttpError(401, 'unauthorized', 'Send "Authorization: Bearer <Direct Line secret or token>".');
      case 'expired':
        // 403, as the real service answers: directlinejs then treats the token as expired rather than fatal.
        throw new HttpError(403, 'token_expired', 'The token has expired; get a new one.');
      default:
        throw new HttpError(401, 'unauthorized', 'The Direct Line secret or token is not valid.');
    }
  };

  /** The conversation a request names, checking that the caller may use it. */
  const conversationFor = (req: Request, caller: Caller): Conversation => {
    const id = String(req.params?.conversationId ?? '');
    if (caller.kind === 'token' && caller.claims.conv !== id) {
      throw new HttpError(403, 'forbidden', 'This token belongs to another conversation.');
    }
    const conversation = ConversationIdSchema.safeParse(id).success ? service.store.get(id) : undefined;
    if (!conversation) {
      const ended = service.store.hasEnded(id);
      throw new HttpError(404, ended ? 'conversation_ended' : 'not_found', ended ? 'The conversation has ended.' : 'No such conversation.');
    }
    return conversation;
  };

  const body = <T>(schema: z.ZodType<T>, req: Request, what: string): T => {
    const raw: unknown = req.body ?? {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError(400, 'invalid_request', `The body must be a JSON object (${what}).`);
    return parseOr400(schema, raw, what);
  };

  /** WebSocket URL of a conversation, from PUBLIC_URL or the host the client used. */
  const streamUrl = (req: Request, conversationId: string, token: string, watermark?: number): string => {
    const base = publicBase(req, options);
    const wm = watermark === undefined ? '' : `&watermark=${watermark}`;
    return `${base.replace(/^http/, 'ws')}${BASE}/conversations/${conversationId}/stream?t=${encodeURIComponent(token)}${wm}`;
  };

  const conversationAnswer = (req: Request, conversation: Conversation, caller: Caller, watermark?: number, boundUser?: string) => {
    const issued = caller.kind === 'token' ? { token: caller.token, expiresIn: tokens.remaining(caller.claims) } : tokens.issue(conversation.id, boundUser);
    return {
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      streamUrl: streamUrl(req, conversation.id, issued.token, watermark),
      referenceGrammarId: '',
    };
  };

  // CORS preflight for pages on other sites (the embeddable snippet). Answered before body parsing: browsers send
  // OPTIONS without a Content-Length, which the body parser would refuse as an unknown media type.
  server.pre((req: Request, res: Response, next: (stop?: false) => void) => {
    const path = req.getPath();
    if (req.method === 'OPTIONS' && (path.startsWith(`${BASE}/`) || path === '/api/webchat/token')) {
      allowCors(res);
      res.send(204);
      next(false);
      return;
    }
    next();
  });

  server.post(
    `${BASE}/tokens/generate`,
    handle(async (req, res) => {
      const caller = authenticate(req);
      if (caller.kind !== 'secret') throw new HttpError(403, 'forbidden', 'Generating tokens needs the Direct Line secret.');
      const input = body(GenerateTokenSchema, req, 'token request');
      // Without a user the token lets the client name its own user, as with the real service.
      const issued = tokens.issue(randomId(), input.user?.id);
      res.json({ conversationId: issued.claims.conv, token: issued.token, expires_in: issued.expiresIn });
    }),
  );

  server.post(
    `${BASE}/tokens/refresh`,
    handle(async (req, res) => {
      const caller = authenticate(req);
      if (caller.kind !== 'token') throw new HttpError(403, 'forbidden', 'Refresh a token with the token itself, not the secret.');
      if (service.store.hasEnded(caller.claims.conv)) throw new HttpError(404, 'conversation_ended', 'The conversation has ended.');
      const issued = tokens.issue(caller.claims.conv, caller.claims.user);
      res.json({ conversationId: issued.claims.conv, token: issued.token, expires_in: issued.expiresIn });
    }),
  );

  server.post(
    `${BASE}/conversations`,
    handle(async (req, res) => {
      const caller = authenticate(req);
      const input = body(StartConversationSchema, req, 'conversation request');
      const locale = input.locale;
      if (caller.kind === 'token') {
        const { conv, user } = caller.claims;
        if (service.store.hasEnded(conv)) throw new HttpError(404, 'conversation_ended', 'The conversation has ended; get a new token.');
        const existing = service.store.get(conv);
        // A token bound to a user fixes the user; a different id in the body is ignored.
        const conversation = existing ?? (await service.start(conv, user ?? input.user?.id ?? newUserId(), locale));
        res.status(existing ? 200 : 201);
        res.json(conversationAnswer(req, conversation, caller));
        return;
      }
      const conversation = await service.start(randomId(), input.user?.id ?? newUserId(), locale);
      res.status(201);
      res.json(conversationAnswer(req, conversation, caller, undefined, input.user?.id));
    }),
  );

  server.get(
    `${BASE}/conversations/:conversationId`,
    handle(async (req, res) => {
      const caller = authenticate(req);
      const conversation = conversationFor(req, caller);
      const watermark = parseOr400(WatermarkSchema, emptyToUndefined(req.query?.watermark), 'watermark');
      res.json(conversationAnswer(req, conversation, caller, watermark));
    }),
  );

  server.get(
    `${BASE}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const caller = authenticate(req);
      const conversation = conversationFor(req, caller);
      const watermark = parseOr400(WatermarkSchema, emptyToUndefined(req.query?.watermark), 'watermark');
      res.json(conversation.since(watermark));
    }),
  );

  server.post(
    `${BASE}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const caller = authenticate(req);
      const conversation = conversationFor(req, caller);
      const activity = body(ClientActivitySchema, req, 'activity');
      perConversation.check(conversation.id, 'messages in this conversation');
      const id = await service.receive(conversation, activity, boundUserOf(caller));
      res.json({ id });
    }),
  );

  server.post(
    `${BASE}/conversations/:conversationId/upload`,
    handle(async (req, res) => {
      const caller = authenticate(req);
      const conversation = conversationFor(req, caller);
      const { parts, tooLarge } = multipartOf(req);
      if (tooLarge) throw new HttpError(413, 'payload_too_large', `Uploads are limited to ${Math.round(options.maxUploadBytes / 1024)} kB in all.`);
      const activityPart = parts.find((p) => p.field === 'activity');
      const files = parts.filter((p) => p.field === 'file');
      if (!activityPart) throw new HttpError(400, 'invalid_request', 'Send a multipart body with an "activity" part and "file" parts.');
      let raw: unknown;
      try {
        raw = JSON.parse(activityPart.data.toString('utf8'));
      } catch {
        throw new HttpError(400, 'invalid_request', 'The "activity" part must be JSON.');
      }
      const activity = parseOr400(ClientActivitySchema, raw, 'activity');
      const described = activity.attachments ?? [];
      // Files become inline data URLs: bounded by the upload cap and the log's byte budget, nothing on disk.
      const attachments = files.map((file, i) => ({
        ...described[i],
        contentType: file.contentType ?? described[i]?.contentType ?? 'application/octet-stream',
        name: file.filename ?? described[i]?.name ?? `file-${i + 1}`,
        contentUrl: `data:${file.contentType ?? 'application/octet-stream'};base64,${file.data.toString('base64')}`,
      }));
      perConversation.check(conversation.id, 'messages in this conversation');
      const id = await service.receive(conversation, { ...activity, attachments }, boundUserOf(caller));
      res.json({ id });
    }),
  );

  // The page's own token endpoint: the browser never sees the secret. Each call is a new conversation's token, unless
  // the page asks to resume and its previous token's conversation is still open (a reload, a second tab).
  server.post(
    '/api/webchat/token',
    handle(async (req, res) => {
      const input = body(WebChatTokenSchema, req, 'token request');
      res.header('Cache-Control', 'no-store');
      const resumed = input.resume ? service.resume(input.previousToken) : undefined;
      if (resumed) {
        // Opens nothing new, so it does not count against the new-chat limit.
        const { conversation, token, expiresIn, userId } = resumed;
        res.json({ conversationId: conversation.id, token, expires_in: expiresIn, userId, resumed: true });
        return;
      }
      webchatPerIp.check(clientIp(req, options.trustProxy), 'chat sessions from this address');
      // A returning visitor keeps its user id (so its conversations can be linked), proven by a token we signed.
      const userId = tokens.genuine(input.previousToken)?.user ?? newUserId();
      const issued = tokens.issue(randomId(), userId);
      res.json({ conversationId: issued.claims.conv, token: issued.token, expires_in: issued.expiresIn, userId, resumed: false });
    }),
  );

  return perIp;
}

/** The user a caller's activities must come from, if its token names one. */
function boundUserOf(caller: Caller): string | undefined {
  return caller.kind === 'token' ? caller.claims.user : undefined;
}

function emptyToUndefined(value: unknown): unknown {
  return value === '' || value === undefined ? undefined : value;
}
