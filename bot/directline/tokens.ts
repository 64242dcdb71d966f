/**
 * Direct Line secrets and tokens.
 *
 * The secret (`DIRECTLINE_SECRET`) is for servers: it starts conversations and mints tokens. A token is for one
 * browser and one conversation: a compact HS256 JWT (signed with a key derived from the secret, so rotating the
 * secret revokes every token) carrying the conversation id, the user id and an expiry. JWT-shaped like the real
 * service's tokens, so clients that peek inside (botframework-directlinejs reads `user`) find what they expect.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What a token grants. */
export interface TokenClaims {
  /** Conversation id the token is bound to. */
  conv: string;
  /** User id activities from this token are attributed to; absent when the token was issued for no particular user. */
  user?: string;
  /** Issued at / expires at, seconds since the epoch. */
  iat: number;
  exp: number;
}

/** Who is calling: the holder of the secret (a server) or of a token (one conversation). */
export type Caller = { kind: 'secret' } | { kind: 'token'; claims: TokenClaims; token: string };

/** Why a bearer value was refused. */
export type TokenProblem = 'missing' | 'malformed' | 'bad_signature' | 'expired';

const ISSUER = 'cx-support-bot/directline';
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const ClaimsSchema = z.object({
  iss: z.literal(ISSUER),
  conv: z.string().min(1).max(128),
  user: z.string().min(1).max(128).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** Compares two strings in constant time (hashing first, so lengths do not leak either). */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** A random identifier with `bytes` of entropy, URL-safe. */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** Mints and checks tokens; recognises the secret. */
export class TokenService {
  private readonly key: Buffer;

  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    // A derived key, so a token never doubles as a way to test guesses of the secret itself.
    this.key = createHmac('sha256', secret).update('directline-token-v1').digest();
  }

  /** Token lifetime in seconds, as `expires_in` reports it. */
  get ttl(): number {
    return this.ttlSeconds;
  }

  /** A fresh token for `conv`, bound to `user` when given (activities are then always from that user). */
  issue(conv: string, user?: string): { token: string; expiresIn: number; claims: TokenClaims } {
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = { conv, ...(user ? { user } : {}), iat, exp: iat + this.ttlSeconds };
    const payload = base64url(JSON.stringify({ iss: ISSUER, ...claims }));
    const signature = this.sign(`${HEADER}.${payload}`);
    return { token: `${HEADER}.${payload}.${signature}`, expiresIn: this.ttlSeconds, claims };
  }

  /** Seconds until `claims` expire (never negative). */
  remaining(claims: TokenClaims): number {
    return Math.max(0, claims.exp - Math.floor(this.now() / 1000));
  }

  /** Identifies the caller from a bearer value: the secret, a valid token, or the reason it is neither. */
  authenticate(bearer: string | undefined): Caller | { problem: TokenProblem } {
    if (!bearer) return { problem: 'missing' };
    if (sameSecret(bearer, this.secret)) return { kind: 'secret' };
    const parts = bearer.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return { problem: 'malformed' };
    const [, payload = '', signature = ''] = parts;
    const expected = Buffer.from(this.sign(`${HEADER}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { problem: 'bad_signature' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { problem: 'malformed' };
    }
    const claims = ClaimsSchema.safeParse(parsed);
    if (!claims.success) return { problem: 'malformed' };
    if (claims.data.exp <= Math.floor(this.now() / 1000)) return { problem: 'expired' };
    const { iss: _iss, ...rest } = claims.data;
    return { kind: 'token', claims: rest, token: bearer };
  }

  /**
   * The claims of a token this service signed, even when it has expired (undefined for anything else, the secret
   * included). Lets the web page keep its (pseudonymous) user across visits and come back to its open conversation by
   * showing the last token it had, without letting anyone pick a user id or a conversation.
   */
  genuine(token: string | undefined): TokenClaims | undefined {
    const result = this.authenticate(token);
    if ('kind' in result) return result.kind === 'token' ? result.claims : undefined;
    if (result.problem !== 'expired' || !token) return undefined;
    const payload = token.split('.')[1] ?? '';
    try {
      const claims = ClaimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      if (!claims.success) return undefined;
      const { iss: _iss, ...rest } = claims.data;
      return rest;
    } catch {
      return undefined;
    }
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

/** The bearer value of an `Authorization: Bearer …` header, if any. */
export function bearerOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return match?.[1];
}
