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
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').at(-1)?.trim();
  return !last || loopback(last);
}

/** The client's IP: the socket's peer, or the first X-Forwarded-For hop when the server sits behind a trusted proxy. */
export function clientIp(req: { headers: IncomingHttpHeaders; socket: { remoteAddress?: string } }, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
