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

  /**
   * Counts an attempt as failed before it is checked, and returns its mark for `forgive`. Counted only after the
   * password check, 40 logins sent at once all passed the limit (39 × 401 and one 200, no 429).
   */
  begin(key: string): number {
    const at = this.clock.now().getTime();
    this.failures.set(key, [...this.recent(key), at]);
    return at;
  }

  /** Takes back the attempt `begin` counted, once it turned out not to have failed. */
  forgive(key: string, at: number): void {
    const list = this.failures.get(key);
    const i = list?.indexOf(at) ?? -1;
    if (!list || i < 0) return;
    const rest = list.filter((_, j) => j !== i);
    if (rest.length) this.failures.set(key, rest);
    else this.failures.delete(key);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
