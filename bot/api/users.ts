/**
 * Users (admin only, DESIGN §5): GET /api/users, POST /api/users, DELETE /api/users/{name}, PUT
 * /api/users/{name}/password; and the first admin,
 * created at start-up from ADMIN_USER / ADMIN_PASSWORD when no user exists.
 */
import type { Server } from 'restify';
import { z } from 'zod';
import type { Clock } from '../../storage/clock.js';
import type { HandoffStore } from '../../storage/handoffStore.js';
import { PasswordSchema, RoleSchema, UsernameSchema, type UserStore } from '../../storage/userStore.js';
import type { Config } from '../config.js';
import { HttpError, parseOr400 } from '../http/errors.js';
import type { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import type { Auth } from './auth.js';
import { apiRoute } from './common.js';

const NewUserSchema = z.object({ username: UsernameSchema, password: PasswordSchema, role: RoleSchema }).strict();
const PasswordResetSchema = z.object({ password: PasswordSchema }).strict();

/** Dependencies of the users routes. */
export interface UsersDeps {
  logger: Logger;
  clock: Clock;
  inFlight: InFlight;
  auth: Auth;
  users: UserStore;
  /** Open handoffs: a user still holding a chat is not removed. */
  handoffs: Pick<HandoffStore, 'list'>;
  /** Called when a user's sessions were all ended by a password reset: their chats must not wait on them. */
  signedOut?: (username: string) => Promise<unknown>;
}

/** Registers /api/users. */
export function registerUserRoutes(server: Server, deps: UsersDeps): void {
  const { logger, inFlight, auth, users, clock } = deps;

  server.get(
    '/api/users',
    apiRoute(logger, inFlight, async (req, res) => {
      await auth.require(req, 'admin');
      res.json({ items: await users.list() });
    }),
  );

  server.post(
    '/api/users',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'admin');
      const body = parseOr400(NewUserSchema, req.body ?? {}, 'user');
      const user = await users.add(body.username, body.password, body.role, clock.now().toISOString());
      if (!user) throw new HttpError(409, 'user_exists', `A user named "${body.username}" already exists.`);
      logger.info({ by: p.user.username, username: user.username, role: user.role }, 'User added');
      res.status(201);
      res.json({ user });
    }),
  );

  // For a forgotten password or a suspected leak: every session of the user ends, and their open chats go back to the
  // queue as at their last logout (an agent locked out cannot answer them). The admin passes the new password on.
  server.put(
    '/api/users/:name/password',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'admin');
      const name = String(req.params.name ?? '').toLowerCase();
      const { password } = parseOr400(PasswordResetSchema, req.body ?? {}, 'password reset');
      if (!(await users.setPassword(name, password, clock.now().toISOString()))) throw new HttpError(404, 'not_found', `No user named "${name}".`);
      const ended = await auth.endSessions(name);
      await deps.signedOut?.(name);
      logger.info({ by: p.user.username, username: name, sessionsEnded: ended }, 'Password reset');
      res.send(204);
    }),
  );

  server.del(
    '/api/users/:name',
    apiRoute(logger, inFlight, async (req, res) => {
      const p = await auth.require(req, 'admin');
      const name = String(req.params.name ?? '').toLowerCase();
      const target = await users.get(name);
      if (!target) throw new HttpError(404, 'not_found', `No user named "${name}".`);
      if (target.role === 'admin' && (await users.list()).filter((u) => u.role === 'admin').length === 1) {
        throw new HttpError(409, 'last_admin', 'This is the only admin; add another admin before removing it.');
      }
      // Removed, they still held their chats: the customers waited for someone who could no longer sign in.
      const held = (await deps.handoffs.list({ status: ['active'] })).filter((h) => h.agent === name);
      if (held.length) {
        throw new HttpError(409, 'holds_chats', `${name} still has ${held.length} open chat(s) (${held.map((h) => h.id).join(', ')}); transfer or resolve them first.`);
      }
      await users.remove(name);
      await auth.endSessions(name);
      logger.info({ by: p.user.username, username: name }, 'User removed');
      res.send(204);
    }),
  );
}

/** Creates the first admin from ADMIN_USER / ADMIN_PASSWORD when there are no users yet. */
export async function bootstrapAdmin(users: UserStore, config: Config, clock: Clock, logger: Logger): Promise<void> {
  if ((await users.count()) > 0) return;
  if (!config.ADMIN_USER || !config.ADMIN_PASSWORD) {
    logger.warn('No agent console users yet: set ADMIN_USER and ADMIN_PASSWORD, or run `npm run user:add -- --username <name> --role admin`.');
    return;
  }
  // loadConfig has checked both against the store's rules (and lower-cased the name).
  await users.add(config.ADMIN_USER, config.ADMIN_PASSWORD, 'admin', clock.now().toISOString());
  logger.info({ username: config.ADMIN_USER }, 'Created the first admin from ADMIN_USER');
}
