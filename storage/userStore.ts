/**
 * People who use the agent console: agents, leads and admins. Passwords are scrypt hashes with a per-user salt,
 * compared in constant time. The file is re-read when another process (`npm run user:add`) changed it, so a user
 * added while the server runs can log in at once and is never overwritten by the server's next write.
 */
import { randomBytes, scrypt as scryptCallback, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { openJsonDb } from './jsonDb.js';

/** Console roles: agent (handoffs), lead (+ exports, resolve any), admin (+ users). */
export const RoleSchema = z.enum(['agent', 'lead', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

const RANK: Record<Role, number> = { agent: 0, lead: 1, admin: 2 };

/** Whether `role` may do what `needed` may (admin ⊇ lead ⊇ agent). */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Lower-case letters, digits, dot, dash and underscore; 2–64 characters. */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,64}$/, { error: 'must be 2–64 characters: letters, digits, dot, dash or underscore' });

/**
 * Long enough to resist guessing, short enough not to be a denial-of-service vector for scrypt, and not blank: ten
 * spaces pass a length rule but are the first thing anyone would try.
 */
export const PasswordSchema = z
  .string()
  .min(10, { error: 'must be at least 10 characters' })
  .max(200, { error: 'must be at most 200 characters' })
  .refine((p) => /[^\s\p{Cf}\p{Cc}]/u.test(p), { error: 'must not be blank (spaces and invisible characters only)' });

/** A stored user (the file's shape). */
export const UserSchema = z.object({
  username: z.string(),
  role: RoleSchema,
  /** `scrypt$N$r$p$<salt b64>$<hash b64>` */
  passwordHash: z.string().startsWith('scrypt$'),
  createdAt: z.iso.datetime(),
  /** When the password was last changed: sessions started before it (or before `createdAt`) no longer count. */
  passwordChangedAt: z.iso.datetime().optional(),
});
export type User = z.infer<typeof UserSchema>;
/** A user as the API shows it (never the hash). */
export type PublicUser = Pick<User, 'username' | 'role' | 'createdAt'>;

/**
 * Whether a session started at `startedAt` still speaks for `user`: not if the password changed after it, nor if the
 * user was removed and added again since (by hand or by another process, where this one's revocation cannot reach).
 */
export function sessionPredates(user: User, startedAt: string): boolean {
  return Date.parse(startedAt) < sessionsValidSince(user);
}

/** The instant (ms) from which a user's sessions count: their creation, or their last password change if later. */
export function sessionsValidSince(user: User): number {
  return Math.max(Date.parse(user.createdAt), user.passwordChangedAt ? Date.parse(user.passwordChangedAt) : 0);
}

const UserDocSchema = z.object({ users: z.array(UserSchema) });
type UserDoc = z.infer<typeof UserDocSchema>;

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 } as const;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, keylen, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Hashes a password with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` matches `stored`; constant-time on the derived key. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a password nobody has: checked when the username is unknown, so both failures take the same time. */
let decoyHash: Promise<string> | undefined;

/** Users and their credentials. */
export interface UserStore {
  count(): Promise<number>;
  get(username: string): Promise<User | undefined>;
  list(): Promise<PublicUser[]>;
  /** Adds a user; refused (false) when the name is taken. */
  add(username: string, password: string, role: Role, createdAt: string): Promise<PublicUser | undefined>;
  /** Removes a user; false when absent. */
  remove(username: string): Promise<boolean>;
  /** Replaces a user's password, stamping `passwordChangedAt`; false when absent. */
  setPassword(username: string, password: string, changedAt: string): Promise<boolean>;
  /** Brings a user's `createdAt` and `passwordChangedAt` back to `now` where they are later (another clock, a hand edit). */
  restamp(username: string, now: string): Promise<void>;
  /** The user when the password is right; always does the same work whether or not the user exists. */
  authenticate(username: string, password: string): Promise<User | undefined>;
}

const toPublic = (u: User): PublicUser => ({ username: u.username, role: u.role, createdAt: u.createdAt });

/** Users in a lowdb JSON document (file, or memory when `file` is null). */
export class LowdbUserStore implements UserStore {
  private seen: { mtimeMs: number; size: number } | undefined;
  /** Operations run one at a time, so a reload can never race one of our own writes. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Awaited<ReturnType<typeof openJsonDb<UserDoc>>>,
    private readonly file: string | null,
  ) {}

  static async open(file: string | null): Promise<LowdbUserStore> {
    // Password hashes: readable by the owner only.
    const store = new LowdbUserStore(await openJsonDb(file, UserDocSchema, { users: [] }, { mode: 0o600 }), file);
    await store.remember();
    return store;
  }

  private async remember(): Promise<void> {
    if (!this.file) return;
    const s = await stat(this.file);
    this.seen = { mtimeMs: s.mtimeMs, size: s.size };
  }

  /** Reloads the document when the file changed under us (another process added a user). */
  private async fresh(): Promise<UserDoc> {
    if (this.file) {
      const s = await stat(this.file);
      if (!this.seen || s.mtimeMs !== this.seen.mtimeMs || s.size !== this.seen.size) {
        await this.db.read();
        this.seen = { mtimeMs: s.mtimeMs, size: s.size };
      }
    }
    return this.db.data;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  count(): Promise<number> {
    return this.exclusive(async () => (await this.fresh()).users.length);
  }

  get(username: string): Promise<User | undefined> {
    const name = username.toLowerCase();
    return this.exclusive(async () => (await this.fresh()).users.find((u) => u.username === name));
  }

  list(): Promise<PublicUser[]> {
    return this.exclusive(async () => (await this.fresh()).users.map(toPublic));
  }

  async add(username: string, password: string, role: Role, createdAt: string): Promise<PublicUser | undefined> {
    const name = UsernameSchema.parse(username);
    PasswordSchema.parse(password);
    const passwordHash = await hashPassword(password);
    return this.exclusive(async () => {
      const data = await this.fresh();
      if (data.users.some((u) => u.username === name)) return undefined;
      const user = UserSchema.parse({ username: name, role, passwordHash, createdAt });
      data.users.push(user);
      await this.write(() => data.users.splice(data.users.indexOf(user), 1));
      return toPublic(user);
    });
  }

  remove(username: string): Promise<boolean> {
    return this.exclusive(async () => {
      const data = await this.fresh();
      const index = data.users.findIndex((u) => u.username === username.toLowerCase());
      if (index < 0) return false;
      const [removed] = data.users.splice(index, 1);
      await this.write(() => data.users.splice(index, 0, removed!));
      return true;
    });
  }

  async setPassword(username: string, password: string, changedAt: string): Promise<boolean> {
    PasswordSchema.parse(password);
    const passwordHash = await hashPassword(password);
    return this.exclusive(async () => {
      const data = await this.fresh();
      const index = data.users.findIndex((u) => u.username === username.toLowerCase());
      if (index < 0) return false;
      const before = data.users[index]!;
      data.users[index] = { ...before, passwordHash, passwordChangedAt: changedAt };
      await this.write(() => {
        data.users[index] = before;
      });
      return true;
    });
  }

  restamp(username: string, now: string): Promise<void> {
    return this.exclusive(async () => {
      const data = await this.fresh();
      const index = data.users.findIndex((u) => u.username === username.toLowerCase());
      const before = data.users[index];
      if (!before) return;
      const at = Date.parse(now);
      const later = (stamp: string | undefined) => stamp !== undefined && Date.parse(stamp) > at;
      if (!later(before.createdAt) && !later(before.passwordChangedAt)) return;
      data.users[index] = { ...before, ...(later(before.createdAt) ? { createdAt: now } : {}), ...(later(before.passwordChangedAt) ? { passwordChangedAt: now } : {}) };
      await this.write(() => {
        data.users[index] = before;
      });
    });
  }

  async authenticate(username: string, password: string): Promise<User | undefined> {
    const user = await this.get(username);
    if (!user) {
      decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(password, await decoyHash);
      return undefined;
    }
    return (await verifyPassword(password, user.passwordHash)) ? user : undefined;
  }

  private async write(undo: () => void): Promise<void> {
    try {
      await this.db.write();
      await this.remember();
    } catch (error) {
      undo();
      throw error;
    }
  }
}
