/**
 * The Bot Connector API as this server implements it for its own Direct Line conversations: the bot's adapter posts
 * replies (and, later, proactive messages from human agents) to `{serviceUrl}/v3/conversations/{id}/activities[/{replyToId}]`.
 * Only the in-process adapter may call these routes: it signs with a per-process key, and only conversations the
 * Direct Line service holds are accepted.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Server } from 'restify';
import { HttpError, parseOr400 } from '../http/errors.js';
import { type InFlight, route } from '../http/route.js';
import type { Logger } from '../logger.js';
import { BotActivitySchema } from './schemas.js';
import type { DirectLineService } from './service.js';
import { bearerOf } from './tokens.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Registers the connector routes the Direct Line adapter sends to. */
export function registerConnectorRoutes(server: Server, service: DirectLineService, logger: Logger, inFlight: InFlight): void {
  const expected = digest(service.internalKey);

  const authorize = (req: Request) => {
    const bearer = bearerOf(req.headers.authorization);
    if (!bearer || !timingSafeEqual(digest(bearer), expected)) {
      throw new HttpError(401, 'unauthorized', 'This endpoint only accepts the built-in Direct Line adapter.');
    }
    const conversation = service.store.get(String(req.params?.conversationId ?? ''));
    if (!conversation) throw new HttpError(404, 'not_found', 'No such Direct Line conversation.');
    return conversation;
  };

  const check = (req: Request) => {
    const conversation = authorize(req);
    const raw: unknown = req.body;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError(400, 'invalid_request', 'The body must be a JSON activity.');
    const activity = parseOr400(BotActivitySchema, raw, 'activity');
    return { conversation, activity };
  };

  // A message that is not a reply (proactive, e.g. an agent's): the connector's "send to conversation".
  server.post(
    '/v3/conversations/:conversationId/activities',
    route(logger, inFlight, async (req, res) => {
      const { conversation, activity } = check(req);
      const stored = service.deliver(conversation, activity, activity.replyToId);
      res.json({ id: stored.id });
    }),
  );

  // A reply to an activity: the connector's "reply to activity".
  server.post(
    '/v3/conversations/:conversationId/activities/:activityId',
    route(logger, inFlight, async (req, res) => {
      const { conversation, activity } = check(req);
      const stored = service.deliver(conversation, activity, String(req.params?.activityId ?? '') || activity.replyToId);
      res.json({ id: stored.id });
    }),
  );

  // Editing or deleting sent messages is not something Web Chat over this service supports; say so precisely.
  const unsupported = route(logger, inFlight, async (req) => {
    authorize(req);
    throw new HttpError(405, 'not_supported', 'The built-in Direct Line cannot edit or delete sent activities.');
  });
  server.put('/v3/conversations/:conversationId/activities/:activityId', unsupported);
  server.del('/v3/conversations/:conversationId/activities/:activityId', unsupported);
}
