/**
 * The turn log (DESIGN §3): one JSON line per activity, append-only, one file per UTC day.
 * Appends are group-committed: turns that finish together share one write() call, so cost per turn stays flat
 * however long the log is, and a turn's records are in the file (the kernel's page cache) before its reply is sent.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';

/** Turn outcomes (DESIGN §3). */
export const OutcomeSchema = z.enum(['answered', 'prompted', 'fallback', 'escalated', 'agent', 'survey', 'error']);

/** One record of the log. */
export const TurnRecordSchema = z.object({
  id: z.string(),
  ts: z.iso.datetime(),
  conversationId: z.string(),
  channel: z.string(),
  locale: z.string(),
  direction: z.enum(['in', 'out']),
  customerId: z.string(),
  actor: z.enum(['customer', 'bot', 'agent']),
  /** Activity type when it is not a message (conversationUpdate, event…). */
  type: z.string().optional(),
  text: z.string(),
  intent: z.string().nullable(),
  score: z.number().nullable(),
  entities: z.record(z.string(), z.unknown()),
  sentiment: z.object({ score: z.number(), label: z.enum(['negative', 'neutral', 'positive']) }).nullable(),
  dialog: z.string().nullable(),
  outcome: OutcomeSchema.nullable(),
  latencyMs: z.number().nullable(),
  handoffId: z.string().optional(),
  /** Structured extras: survey answers, FAQ feedback, ticket ids. */
  data: z.record(z.string(), z.unknown()).optional(),
});
export type TurnRecord = z.infer<typeof TurnRecordSchema>;

/** Where records go and come back from. */
export interface TurnLog {
  /** Resolves once the records are written (or the write bound passed; see `health`). */
  append(records: TurnRecord[]): Promise<void>;
  /** Records whose day file lies in [from, to] (YYYY-MM-DD, UTC), in file order. Torn lines are skipped. */
  read(range?: { from?: string; to?: string }): AsyncIterable<TurnRecord>;
  /** Day files present, oldest first (YYYY-MM-DD). */
  days(): Promise<string[]>;
  health(): { ok: boolean; detail?: string };
  /**
   * Rewrites the day files without the lines `drop` selects (erasure); `r` is null for a torn or corrupt line, which
   * is kept unless `drop` says otherwise. Returns how many lines were removed.
   */
  removeWhere(drop: (r: TurnRecord | null, raw: string) => boolean): Promise<number>;
  /** Deletes whole day files older than `day` (retention); returns the days removed. */
  dropDaysBefore(day: string): Promise<string[]>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Options of the file-backed log. */
export interface JsonlTurnLogOptions {
  /** Longest a turn waits for a slow disk before its reply goes out anyway (the record stays queued). */
  writeTimeoutMs?: number;
  /** Records held in memory while the disk refuses writes; beyond it appends fail loudly. */
  maxQueued?: number;
  onWarning?: (message: string, detail?: Record<string, unknown>) => void;
}

interface Pending {
  lines: string[];
  day: string;
  done: () => void;
  fail: (error: Error) => void;
}

/** The days (YYYY-MM-DD) that have a turn-log file in `dir`, oldest first. */
export async function dayFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir))
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))
    .map((f) => f.slice(0, 10))
    .sort();
}

/** The day file a record belongs to. */
export function dayOf(ts: string): string {
  return ts.slice(0, 10);
}

/** Append-only JSON Lines log under `<dir>/YYYY-MM-DD.jsonl`. */
export class JsonlTurnLog implements TurnLog {
  private queue: Pending[] = [];
  private queued = 0;
  private writing: Promise<void> | undefined;
  private handles = new Map<string, FileHandle>();
  private maintenance: Promise<unknown> | undefined;
  private tornTail = new Set<string>();
  private lastError: string | undefined;
  private readonly writeTimeoutMs: number;
  private readonly maxQueued: number;
  private readonly warn: (message: string, detail?: Record<string, unknown>) => void;
  private ready: Promise<unknown> | undefined;

  constructor(
    readonly dir: string,
    options: JsonlTurnLogOptions = {},
  ) {
    this.writeTimeoutMs = options.writeTimeoutMs ?? 2000;
    this.maxQueued = options.maxQueued ?? 100_000;
    this.warn = options.onWarning ?? (() => undefined);
  }

  append(records: TurnRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.queued + records.length > this.maxQueued) {
      return Promise.reject(new Error(`Turn log queue is full (${this.queued} records waiting): ${this.lastError ?? 'disk too slow'}`));
    }
    const byDay = new Map<string, string[]>();
    for (const r of records) {
      const day = dayOf(r.ts);
      byDay.set(day, [...(byDay.get(day) ?? []), `${JSON.stringify(r)}\n`]);
    }
    const written = Promise.all(
      [...byDay].map(
        ([day, lines]) =>
          new Promise<void>((done, fail) => {
            this.queue.push({ day, lines, done, fail });
            this.queued += lines.length;
          }),
      ),
    ).then(() => undefined);
    this.kick();
    // A reply never waits on a slow disk longer than the bound; the records stay queued and are written later.
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.lastError ??= `write slower than ${this.writeTimeoutMs} ms`;
        this.warn('Turn log write exceeded its bound; replying anyway', { queued: this.queued });
        resolve();
      }, this.writeTimeoutMs);
      timer.unref();
    });
    return Promise.race([written, bound]).finally(() => clearTimeout(timer));
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      if (this.queue.length) this.kick();
    });
  }

  /** Writes everything queued so far, one write per day file, and settles the waiting appends. */
  private async drain(): Promise<void> {
    // Maintenance (erasure, retention) rewrites files: appends wait for it, then go to the new files.
    while (this.maintenance) await this.maintenance;
    this.ready ??= mkdir(this.dir, { recursive: true });
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      const byDay = new Map<string, Pending[]>();
      for (const p of batch) byDay.set(p.day, [...(byDay.get(p.day) ?? []), p]);
      for (const [day, items] of byDay) {
        const count = items.reduce((n, p) => n + p.lines.length, 0);
        try {
          await this.ready;
          const handle = await this.handle(day);
          // After a crash mid-write the file may end in a torn line: start ours on a fresh line.
          const lead = this.tornTail.delete(day) ? '\n' : '';
          await handle.appendFile(lead + items.flatMap((p) => p.lines).join(''));
          this.lastError = undefined;
          this.queued -= count;
          for (const p of items) p.done();
        } catch (error) {
          this.lastError = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          this.warn('Turn log write failed; will retry', { error: this.lastError, day });
          await this.closeHandle(day);
          // Keep them at the front and retry shortly: the log must not lose acknowledged turns.
          this.queue = [...items, ...this.queue];
          await new Promise((r) => setTimeout(r, 200).unref());
          if (this.queued > this.maxQueued) for (const p of items) p.fail(new Error(this.lastError));
        }
      }
    }
  }

  private async handle(day: string): Promise<FileHandle> {
    let h = this.handles.get(day);
    if (!h) {
      h = await open(path.join(this.dir, `${day}.jsonl`), 'a+');
      const { size } = await h.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await h.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) this.tornTail.add(day);
      }
      this.handles.set(day, h);
      // Keep only today's and yesterday's files open.
      for (const old of [...this.handles.keys()].sort().slice(0, -2)) await this.closeHandle(old);
    }
    return h;
  }

  private async closeHandle(day: string): Promise<void> {
    const h = this.handles.get(day);
    this.handles.delete(day);
    await h?.close().catch(() => undefined);
  }

  days(): Promise<string[]> {
    return dayFiles(this.dir);
  }

  async *read(range: { from?: string; to?: string } = {}): AsyncIterable<TurnRecord> {
    await this.flush();
    for (const day of await this.days()) {
      if ((range.from && day < range.from) || (range.to && day > range.to)) continue;
      yield* readDayFile(path.join(this.dir, `${day}.jsonl`), this.warn);
    }
  }

  /** Runs `work` with appends held back and every file handle closed, so files can be replaced safely. */
  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.maintenance) await this.maintenance;
    await this.flush();
    const job = (async () => {
      for (const day of [...this.handles.keys()]) await this.closeHandle(day);
      return work();
    })();
    this.maintenance = job.catch(() => undefined);
    try {
      return await job;
    } finally {
      this.maintenance = undefined;
      if (this.queue.length) this.kick();
    }
  }

  async removeWhere(drop: (r: TurnRecord | null, raw: string) => boolean): Promise<number> {
    return this.exclusive(async () => {
      let removed = 0;
      for (const day of await this.days()) {
        const file = path.join(this.dir, `${day}.jsonl`);
        const keep: string[] = [];
        let dropped = 0;
        const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
        for await (const raw of lines) {
          if (!raw.trim()) continue;
          let r: TurnRecord | null = null;
          try {
            const parsed = TurnRecordSchema.safeParse(JSON.parse(raw));
            r = parsed.success ? parsed.data : null;
          } catch {
            r = null;
          }
          if (drop(r, raw)) dropped += 1;
          else keep.push(raw);
        }
        if (!dropped) continue;
        removed += dropped;
        const tmp = `${file}.${process.pid}.tmp`;
        const h = await open(tmp, 'w');
        await h.writeFile(keep.length ? `${keep.join('\n')}\n` : '');
        await h.sync();
        await h.close();
        await rename(tmp, file);
      }
      return removed;
    });
  }

  async dropDaysBefore(day: string): Promise<string[]> {
    return this.exclusive(async () => {
      const old = (await this.days()).filter((d) => d < day);
      for (const d of old) await rm(path.join(this.dir, `${d}.jsonl`), { force: true });
      return old;
    });
  }

  health(): { ok: boolean; detail?: string } {
    return this.lastError ? { ok: false, detail: this.lastError } : { ok: true };
  }

  async flush(): Promise<void> {
    while (this.writing || this.queue.length) {
      this.kick();
      await this.writing;
    }
  }

  async close(): Promise<void> {
    await this.flush();
    for (const day of [...this.handles.keys()]) await this.closeHandle(day);
  }
}

/** Streams one day file; a torn or corrupt line is skipped with a warning, never fatal. */
export async function* readDayFile(
  file: string,
  warn: (message: string, detail?: Record<string, unknown>) => void = () => undefined,
  start = 0,
): AsyncIterable<TurnRecord> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8', start }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      warn('Skipping a torn or corrupt turn log line', { file, line: lineNo });
      continue;
    }
    const result = TurnRecordSchema.safeParse(parsed);
    if (result.success) yield result.data;
    else warn('Skipping a turn log line of the wrong shape', { file, line: lineNo });
  }
}
