/** Failed-attempt limiting (login): at most `max` failures per key within a sliding window, on the injected clock. */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../storage/clock.js';

/** Counts failures per key (an IP, a username); bounded memory. */
export class FailureLimiter {
  private readonly failures = new LRUCache<string, number[]>({ max: 10_000 });

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  private recent(key: string): number[] {
    const since = this.clock.now().getTime() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until `key` may try again; 0 when it may now. */
  retryAfter(key: string): number {
    const list = this.recent(key);
    if (list.length < this.max) return 0;
    const oldest = list[list.length - this.max]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.clock.now().getTime()) / 1000));
  }

  fail(key: string): void {
    this.failures.set(key, [...this.recent(key), this.clock.now().getTime()]);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
