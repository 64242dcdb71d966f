/**
 * Authentication for the agent API (DESIGN §5): POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me, and
 * POST /api/auth/password (a user changing their own password).
 * A session token works as `Authorization: Bearer <token>` or as the HttpOnly cookie the login sets. Cookie-borne
 * changes must also carry the session's CSRF token in `X-CSRF-Token` and may not come from another origin; bearer
 * calls are exempt (a browser never attaches them by itself). Failed logins are limited per IP and per username.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Clock } from '../../storage/clock.js';
import type { Session, SessionStore } from '../../storage/sessionStore.js';
import { hasRole, PasswordSchema, type PublicUser, type Role, sessionPredates, sessionsValidSince, type UserStore } from '../../storage/userStore.js';
import type { Config } from '../config.js';
import { HttpError, parseOr400 } from '../http/errors.js';
import { forwarded } from '../http/publicBase.js';
import type { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import { apiRoute, clientIp, cookie, isHttps, isUnsafe } from './common.js';
import { FailureLimiter } from './rateLimit.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'cxbot_session';

const LoginSchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1000),
});

const PasswordChangeSchema = z.object({ currentPassword: z.string().min(1).max(1000), newPassword: PasswordSchema }).strict();

const LogoutSchema = z.object({ everywhere: z.boolean().optional() }).strict();

/** Who is calling, and how they proved it. */
export interface Principal {
  user: PublicUser;
  session: Session;
  token: string;
  via: 'bearer' | 'cookie';
}

/** Dependencies of the auth layer. */
export interface AuthDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  users: UserStore;
  sessions: SessionStore;
  /** Called when a user logs out of their last session: their chats must not wait on someone who has gone. */
  onSignedOut?: (username: string) => Promise<unknown>;
  /** Called when a session ends by logout (its console's live stream must end with it). */
  onLogout?: (token: string) => void;
  /** Called when every session of a user ended at once (password changed, logout everywhere). */
  onSessionsEnded?: (username: string) => void;
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer realm="agent-api"' });

function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks callers and serves the /api/auth routes. */
export class Auth {
  private readonly byIp: FailureLimiter;
  private readonly byUser: FailureLimiter;

  constructor(private readonly deps: AuthDeps) {
    const windowMs = deps.config.LOGIN_WINDOW_MINUTES * 60_000;
    this.byIp = new FailureLimiter(deps.config.LOGIN_MAX_ATTEMPTS_PER_IP, windowMs, deps.clock);
    this.byUser = new FailureLimiter(deps.config.LOGIN_MAX_ATTEMPTS, windowMs, deps.clock);
  }

  /** The token the request carries, bearer first. */
  private credentials(req: Request): { token: string; via: Principal['via'] } | undefined {
    const header = req.header('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) throw unauthorized('The Authorization header must be "Bearer <token>".');
      return { token: m[1]!, via: 'bearer' };
    }
    const fromCookie = cookie(req, SESSION_COOKIE);
    return fromCookie ? { token: fromCookie, via: 'cookie' } : undefined;
  }

  /** The caller, or 401. */
  async authenticate(req: Request): Promise<Principal> {
    const creds = this.credentials(req);
    if (!creds) throw unauthorized('Log in first: send "Authorization: Bearer <token>" or the session cookie.');
    const principal = await this.resolve(creds.token, creds.via);
    if (!principal) throw unauthorized('The session has expired or was ended. Log in again.');
    return principal;
  }

  /** The principal of a token if its session and user still exist. */
  async resolve(token: string, via: Principal['via']): Promise<Principal | undefined> {
    const session = await this.deps.sessions.find(token, this.deps.clock.now());
    const user = session && (await this.deps.users.get(session.username));
    if (!session || !user || sessionPredates(user, session.createdAt)) return undefined;
    return { user: { username: user.username, role: user.role, createdAt: user.createdAt }, session, token, via };
  }

  /** The caller with at least `role` (401 / 403); a cookie-borne change must pass the CSRF checks. */
  async require(req: Request, role: Role): Promise<Principal> {
    const principal = await this.authenticate(req);
    if (principal.via === 'cookie' && isUnsafe(req.method ?? 'GET')) {
      this.checkOrigin(req);
      const sent = req.header('x-csrf-token') ?? '';
      if (!sameBytes(sent, principal.session.csrf)) {
        throw new HttpError(403, 'csrf', 'Missing or wrong X-CSRF-Token header (required for changes made with the session cookie).');
      }
    }
    if (!hasRole(principal.user.role, role)) {
      throw new HttpError(403, 'forbidden', `This needs the ${role} role; you are signed in as ${principal.user.role}.`);
    }
    return principal;
  }

  /**
   * A browser's Origin, when it sends one, must be this server: the Host it asked, or behind a trusted proxy the host
   * the proxy says the browser asked (X-Forwarded-Host), or PUBLIC_URL's. A proxy that passes its own upstream address
   * as Host refused every login from the console with cross_origin.
   */
  private checkOrigin(req: Request): void {
    const origin = req.header('origin');
    if (!origin) return;
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    const { TRUST_PROXY, PUBLIC_URL } = this.deps.config;
    const ours = [req.header('host'), forwarded(req, 'x-forwarded-host', TRUST_PROXY), PUBLIC_URL ? new URL(PUBLIC_URL).host : undefined];
    if (!host || !ours.includes(host)) throw new HttpError(403, 'cross_origin', 'Requests from another site are not accepted.');
  }

  /** Session cookie attributes: HttpOnly, SameSite=Strict, Secure over HTTPS. */
  private setCookie(req: Request, res: Response, value: string, maxAgeSeconds: number): void {
    const secure = isHttps(req, this.deps.config.TRUST_PROXY) ? '; Secure' : '';
    res.header('Set-Cookie', `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`);
  }

  private async login(req: Request, res: Response): Promise<void> {
    this.checkOrigin(req);
    const { username, password } = parseOr400(LoginSchema, req.body ?? {}, 'login');
    const ip = clientIp(req, this.deps.config.TRUST_PROXY);
    const name = username.trim().toLowerCase();
    const wait = () => Math.max(this.byIp.retryAfter(`ip:${ip}`), this.byUser.retryAfter(`user:${name}`));
    const refuse = (seconds: number) =>
      new HttpError(429, 'too_many_attempts', `Too many failed logins. Try again in ${seconds} seconds.`, { 'Retry-After': String(seconds) });
    if (wait() > 0) throw refuse(wait());
    const user = await this.deps.users.authenticate(name, password);
    // Checked again once the (slow, asynchronous) password check is done: logins sent at once all passed the first
    // check, and the right password, sent last after 39 wrong ones, got in. Now each attempt counts as if the attempts
    // had come one after another in the order they finished, so the limit holds, and right passwords sent together
    // (a team signing in at once) all get in.
    if (wait() > 0) throw refuse(wait());
    if (!user) {
      this.byIp.fail(`ip:${ip}`);
      this.byUser.fail(`user:${name}`);
      this.deps.logger.warn({ ip, username: name }, 'Failed agent console login');
      // Never say which of the two was wrong.
      throw new HttpError(401, 'invalid_credentials', 'Wrong username or password.');
    }
    this.byUser.reset(`user:${name}`);
    // Stamped later than this server's clock (another machine's clock, a hand edit), every session it gave them would
    // be dead on arrival, and the user locked out until then.
    const now = this.deps.clock.now();
    if (sessionsValidSince(user) > now.getTime()) {
      this.deps.logger.warn({ username: user.username, createdAt: user.createdAt, passwordChangedAt: user.passwordChangedAt }, 'User dated later than this clock (another clock, or a hand edit): set to now');
      await this.deps.users.restamp(user.username, now.toISOString());
    }
    await this.startSession(req, res, user);
    this.deps.logger.info({ username: user.username, role: user.role }, 'Agent console login');
  }

  /** Starts a session for `user`: sets the cookie and answers with the token, as login does. */
  private async startSession(req: Request, res: Response, user: Pick<PublicUser, 'username' | 'role'>): Promise<void> {
    const ttlMs = this.deps.config.AUTH_SESSION_HOURS * 3_600_000;
    const { token, session } = await this.deps.sessions.create(user.username, this.deps.clock.now(), ttlMs);
    this.setCookie(req, res, token, ttlMs / 1000);
    res.json({ token, user: { username: user.username, role: user.role }, csrfToken: session.csrf, expiresAt: session.expiresAt });
  }

  /**
   * A signed-in user changes their own password, proving the current one (a session left open on a shared screen
   * must not be enough). Wrong answers count as failed logins. Every session of the user ends, this one included, and
   * a new one starts for the caller, so a stolen token dies with the old password.
   */
  private async changePassword(req: Request, res: Response): Promise<void> {
    const p = await this.require(req, 'agent');
    const body = parseOr400(PasswordChangeSchema, req.body ?? {}, 'password change');
    // One change at a time per user: sent at once, every guess passed the limit before any was counted (15 checked
    // where 5 may be), and two changes both "succeeded" with only the last one's password working.
    return this.onePerUser(p.user.username, () => this.changeOwnPassword(req, res, p, body));
  }

  private async changeOwnPassword(req: Request, res: Response, p: Principal, body: z.infer<typeof PasswordChangeSchema>): Promise<void> {
    const name = p.user.username;
    // A change that ran first has ended this session.
    if (!(await this.resolve(p.token, p.via))) throw unauthorized('The session has expired or was ended. Log in again.');
    const ip = clientIp(req, this.deps.config.TRUST_PROXY);
    const wait = Math.max(this.byIp.retryAfter(`ip:${ip}`), this.byUser.retryAfter(`user:${name}`));
    if (wait > 0) throw new HttpError(429, 'too_many_attempts', `Too many wrong passwords. Try again in ${wait} seconds.`, { 'Retry-After': String(wait) });
    if (!(await this.deps.users.authenticate(name, body.currentPassword))) {
      this.byIp.fail(`ip:${ip}`);
      this.byUser.fail(`user:${name}`);
      this.deps.logger.warn({ ip, username: name }, 'Wrong current password in a password change');
      // Not 401: the session is fine, and the console treats 401 as "log in again".
      throw new HttpError(403, 'wrong_password', 'The current password is wrong.');
    }
    if (body.newPassword === body.currentPassword) throw new HttpError(400, 'invalid_request', 'The new password must differ from the current one.');
    await this.deps.users.setPassword(name, body.newPassword, this.deps.clock.now().toISOString());
    this.byUser.reset(`user:${name}`);
    const ended = await this.endSessions(name);
    this.deps.logger.info({ username: name, sessionsEnded: ended }, 'Password changed');
    await this.startSession(req, res, p.user);
  }

  /** Ends every session of a user, and their consoles' live streams; returns how many sessions ended. */
  async endSessions(username: string): Promise<number> {
    const ended = await this.deps.sessions.revokeUser(username);
    this.deps.onSessionsEnded?.(username);
    return ended;
  }

  private readonly running = new Map<string, Promise<unknown>>();

  /** Runs `work` after any other for the same user has finished. */
  private onePerUser<T>(username: string, work: () => Promise<T>): Promise<T> {
    const run = (this.running.get(username) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => undefined);
    this.running.set(username, settled);
    void settled.then(() => {
      if (this.running.get(username) === settled) this.running.delete(username);
    });
    return run;
  }

  /** Whether the user still has a session that counts (others may predate a password change made elsewhere). */
  private async signedIn(username: string): Promise<boolean> {
    const user = await this.deps.users.get(username);
    return (await this.deps.sessions.liveFor(username, this.deps.clock.now(), user ? sessionsValidSince(user) : 0)) > 0;
  }

  private async logout(req: Request, res: Response): Promise<void> {
    const p = await this.require(req, 'agent');
    const { everywhere } = parseOr400(LogoutSchema, req.body ?? {}, 'logout');
    const name = p.user.username;
    if (everywhere) {
      const ended = await this.endSessions(name);
        this.deps.logger.info({ username: name, sessionsEnded: ended }, 'Logged out everywhere');
    } else {
      await this.deps.sessions.revoke(p.token);
      this.deps.onLogout?.(p.token);
    }
    this.setCookie(req, res, '', 0);
    if (!(await this.signedIn(name))) await this.deps.onSignedOut?.(name);
    res.send(204);
  }

  /** Registers /api/auth/*. */
  register(server: Server, inFlight: InFlight): void {
    const { logger } = this.deps;
    server.post('/api/auth/login', apiRoute(logger, inFlight, (req, res) => this.login(req, res)));
    server.post('/api/auth/logout', apiRoute(logger, inFlight, (req, res) => this.logout(req, res)));
    server.post('/api/auth/password', apiRoute(logger, inFlight, (req, res) => this.changePassword(req, res)));
    server.get(
      '/api/auth/me',
      apiRoute(logger, inFlight, async (req, res) => {
        const p = await this.authenticate(req);
        res.json({ user: { username: p.user.username, role: p.user.role }, csrfToken: p.session.csrf, expiresAt: p.session.expiresAt });
      }),
    );
  }
}
