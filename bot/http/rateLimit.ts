/** Fixed-window rate limits per key (client IP, conversation…), in bounded memory. */
import type { IncomingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';
import { HttpError } from './errors.js';

interface Window {
  start: number;
  count: number;
}

/** Allows `limit` events per key per `windowMs`; remembers at most `maxKeys` keys (least recently seen go first). */
export class RateLimiter {
  private readonly windows: LRUCache<string, Window>;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    maxKeys = 50_000,
    private readonly now: () => number = Date.now,
  ) {
    this.windows = new LRUCache({ max: maxKeys });
  }

  /** Counts one event for `key`; returns 0 when allowed, else the seconds until the window resets. */
  take(key: string): number {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      w = { start: t, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return w.count <= this.limit ? 0 : Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000));
  }

  /** Seconds until `key`'s window resets when its events have reached the limit, else 0; counts nothing. */
  full(key: string): number {
    const t = this.now();
    const w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs || w.count < this.limit) return 0;
    return Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000));
  }

  /** Counts one event, or throws a 429 with Retry-After. */
  check(key: string, what: string): void {
    const wait = this.take(key);
    if (wait > 0) {
      throw new HttpError(429, 'rate_limited', `Too many ${what}; try again in ${wait} s.`, { 'Retry-After': String(wait) });
    }
  }
}

/**
 * Whether a request comes from this machine: its socket's peer is a loopback address and, behind a trusted proxy, so
 * is the address the proxy saw (the last X-Forwarded-For hop, the one a client cannot write).
 */
export function fromThisMachine(req: { headers: IncomingHttpHeaders; socket: { remoteAddress?: string } }, trustProxy: boolean): boolean {
  const loopback = (address: string | undefined) => address !== undefined && /^(?:127\.|::1$|::ffff:127\.)/.test(address);
  if (!loopback(req.socket.remoteAddress)) return false;
  if (!trustProxy) return true;
  const forwarded = req.headers['x-forwarded-for'];
  // No header: the request came straight from this machine. An empty last hop ("1.2.3.4,") says nothing local.
  return forwarded === undefined || loopback(lastHop(forwarded));
}

/** The address the trusted proxy saw: the last X-Forwarded-For entry (earlier ones are the client's to write). */
function lastHop(forwarded: string | string[]): string | undefined {
  return (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',').at(-1)?.trim() || undefined;
}

/**
 * The client's IP: the socket's peer, or behind a trusted proxy the address the proxy saw (the last X-Forwarded-For
 * hop). The first hop is whatever the client sent: a made-up one per request escaped every per-address limit.
 */
export function clientIp(req: { headers: IncomingHttpHeaders; socket: { remoteAddress?: string } }, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  return (forwarded !== undefined ? lastHop(forwarded) : undefined) ?? req.socket.remoteAddress ?? 'unknown';
}
