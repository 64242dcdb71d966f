/**
 * Login sessions of the agent console. The token goes to the client once; only its SHA-256 is stored, so a copy of
 * the file does not let anyone log in. Sessions expire; expired ones are pruned whenever a new one is created.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { openJsonDb } from './jsonDb.js';

/** A stored session: the token's hash, never the token. */
export const SessionSchema = z.object({
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  username: z.string(),
  /** Anti-CSRF token the console echoes in `X-CSRF-Token` on cookie-authenticated writes. */
  csrf: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type Session = z.infer<typeof SessionSchema>;

const SessionDocSchema = z.object({ sessions: z.array(SessionSchema) });
type SessionDoc = z.infer<typeof SessionDocSchema>;

/** SHA-256 of a token, as stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Sessions by token. */
export interface SessionStore {
  /** Starts a session; the token is returned once and never stored. */
  create(username: string, now: Date, ttlMs: number): Promise<{ token: string; session: Session }>;
  /** The live session of a token, or undefined when unknown or expired. */
  find(token: string, now: Date): Promise<Session | undefined>;
  revoke(token: string): Promise<void>;
  /** Ends every session of a user (deleted, or password changed). */
  revokeUser(username: string): Promise<number>;
  /** How many live sessions a user has (signed in on another device or browser), counting those started from `since` (ms). */
  liveFor(username: string, now: Date, since?: number): Promise<number>;
}

/** Sessions in a lowdb JSON document (file, or memory when `file` is null). */
export class LowdbSessionStore implements SessionStore {
  private constructor(private readonly db: Awaited<ReturnType<typeof openJsonDb<SessionDoc>>>) {}

  static async open(file: string | null): Promise<LowdbSessionStore> {
    // Token hashes and CSRF tokens: readable by the owner only.
    return new LowdbSessionStore(await openJsonDb(file, SessionDocSchema, { sessions: [] }, { mode: 0o600 }));
  }

  async create(username: string, now: Date, ttlMs: number): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const session: Session = {
      tokenHash: hashToken(token),
      username,
      csrf: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    const nowIso = now.toISOString();
    this.db.data.sessions = [...this.db.data.sessions.filter((s) => s.expiresAt > nowIso), session];
    await this.db.write();
    return { token, session: { ...session } };
  }

  async find(token: string, now: Date): Promise<Session | undefined> {
    const hash = hashToken(token);
    const s = this.db.data.sessions.find((x) => x.tokenHash === hash);
    return s && s.expiresAt > now.toISOString() ? { ...s } : undefined;
  }

  async revoke(token: string): Promise<void> {
    const hash = hashToken(token);
    const before = this.db.data.sessions.length;
    this.db.data.sessions = this.db.data.sessions.filter((s) => s.tokenHash !== hash);
    if (this.db.data.sessions.length !== before) await this.db.write();
  }

  async liveFor(username: string, now: Date, since = 0): Promise<number> {
    const nowIso = now.toISOString();
    return this.db.data.sessions.filter((s) => s.username === username && s.expiresAt > nowIso && Date.parse(s.createdAt) >= since).length;
  }

  async revokeUser(username: string): Promise<number> {
    const before = this.db.data.sessions.length;
    this.db.data.sessions = this.db.data.sessions.filter((s) => s.username !== username);
    const removed = before - this.db.data.sessions.length;
    if (removed) await this.db.write();
    return removed;
  }
}
