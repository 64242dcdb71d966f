/**
 * Simulated time for the demo seeder. The app runs with a `SimClock`; simulated customers and agents are actors that
 * sleep in simulated time, and the scheduler wakes them one at a time in time order, moving the clock to each wake-up.
 * While an actor runs (a real HTTP turn through the real bot) real time keeps flowing on top, so latencies and first
 * response times are the bot's own. Days of conversations then take seconds, with every timestamp consistent.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../storage/clock.js';

/** A clock that runs at real speed from a point in time that the scheduler moves forward. */
export class SimClock implements Clock {
  private base: number;
  private realAt = performance.now();

  constructor(start: Date) {
    this.base = start.getTime();
  }

  now(): Date {
    return new Date(this.base + (performance.now() - this.realAt));
  }

  /** Jumps to `at` (ms since epoch) unless the clock is already past it: time never runs backwards. */
  advanceTo(at: number): void {
    if (at <= this.now().getTime()) return;
    this.base = at;
    this.realAt = performance.now();
  }
}

interface Wake {
  at: number;
  seq: number;
  run: () => void;
}

/** A binary min-heap of wake-ups by (time, insertion order), so equal times keep their order. */
class WakeQueue {
  private heap: Wake[] = [];
  get size(): number {
    return this.heap.length;
  }
  private less(a: Wake, b: Wake): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  push(w: Wake): void {
    const h = this.heap;
    h.push(w);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  pop(): Wake | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Runs actors cooperatively in simulated time; exactly one actor runs at any moment. */
export class Simulation {
  private readonly queue = new WakeQueue();
  private seq = 0;
  private parked: (() => void) | undefined;
  readonly errors: Error[] = [];

  constructor(readonly clock: SimClock) {}

  /** Simulated now, in ms since epoch. */
  now(): number {
    return this.clock.now().getTime();
  }

  /** Starts `actor` at simulated time `at`. Safe to call from inside another actor. */
  spawn(at: number, actor: () => Promise<void>): void {
    this.queue.push({
      at,
      seq: this.seq++,
      run: () => {
        actor()
          .catch((error: unknown) => this.errors.push(error instanceof Error ? error : new Error(String(error))))
          .finally(() => this.yielded());
      },
    });
  }

  /** Parks the calling actor for `ms` of simulated time. Actors must not sleep twice at once. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ at: this.now() + Math.max(0, ms), seq: this.seq++, run: resolve });
      this.yielded();
    });
  }

  private yielded(): void {
    const parked = this.parked;
    this.parked = undefined;
    parked?.();
  }

  /** Runs until no actor is left; `onProgress` is called after every wake-up. */
  async run(onProgress?: () => void): Promise<void> {
    for (let next = this.queue.pop(); next; next = this.queue.pop()) {
      this.clock.advanceTo(next.at);
      const done = new Promise<void>((resolve) => (this.parked = resolve));
      next.run();
      await done;
      onProgress?.();
    }
  }
}

/** A small seeded pseudo-random generator (mulberry32), so `--seed` reproduces a run. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** One key of `weights`, chosen in proportion to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    let r = this.next() * entries.reduce((n, [, w]) => n + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return entries.at(-1)![0];
  }
}
