/**
 * The turn log (DESIGN §3): one JSON line per activity, append-only, one file per UTC day.
 * Appends are group-committed: turns that finish together share one write() call, so cost per turn stays flat
 * however long the log is, and a turn's records are in the file (the kernel's page cache) before its reply is sent.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { Drainer } from './drainer.js';

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
  /** One conversation's records whose day file lies in [from, to], in file order, without reading the other lines. */
  conversation(conversationId: string, range?: { from?: string; to?: string }): Promise<TurnRecord[]>;
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
  /**
   * Conversations each day's index remembers, the most recently written ones; a transcript of an older one scans the
   * day file instead. Without a bound the index grew by about 89 bytes a turn for the whole day (7.6 MB over 90,000
   * turns, measured in heap snapshots under the benchmark's load).
   */
  indexConversations?: number;
  onWarning?: (message: string, detail?: Record<string, unknown>) => void;
}

interface Pending {
  lines: string[];
  /** The conversation of each line, for the index. */
  conversations: string[];
  day: string;
  done: () => void;
  fail: (error: Error) => void;
  /** Settles (never rejects) once the lines are written or have failed. */
  settled: Promise<void>;
}

/** The days (YYYY-MM-DD) that have a turn-log file in `dir`, oldest first. */
export async function dayFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    // No directory yet is an empty log; other failures (permissions, I/O) must not read as "nothing logged".
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))
    .map((f) => f.slice(0, 10))
    .sort();
}

/** The day file a record belongs to. */
export function dayOf(ts: string): string {
  return ts.slice(0, 10);
}

/**
 * Where each conversation's lines sit in one day file (byte offset and length pairs), so an escalation or a
 * transcript reads a handful of lines instead of the whole day. Appends are indexed as they are written; lines that
 * were already in the file when it was opened are indexed by a background scan, until which readers scan the file.
 */
class DayIndex {
  /** In order of each conversation's latest line, oldest first. */
  readonly byConversation = new Map<string, number[]>();
  complete: boolean;
  /** Conversations dropped to stay within the bound (approximately: a false "maybe" only costs a scan). */
  dropped: DroppedFilter | undefined;
  /** Conversations in the index that were dropped once before, so their older lines are not in it. */
  readonly partial = new Set<string>();

  constructor(
    public size: number,
    private readonly maxConversations: number,
  ) {
    this.complete = size === 0;
  }

  add(conversationId: string, offset: number, length: number): void {
    const at = this.byConversation.get(conversationId);
    if (at) {
      at.push(offset, length);
      // Re-inserted, the conversation moves to the newest end: the bound drops the longest-quiet ones.
      this.byConversation.delete(conversationId);
      this.byConversation.set(conversationId, at);
      return;
    }
    this.byConversation.set(conversationId, [offset, length]);
    if (this.dropped?.mightHave(conversationId)) this.partial.add(conversationId);
    // While the lines already in the file are being indexed, a dropped conversation would come back from the scan
    // without its newest lines: the bound applies once the scan is merged.
    if (this.complete) this.trim();
  }

  /** Drops the longest-quiet conversations beyond the bound. */
  trim(): void {
    for (const id of this.byConversation.keys()) {
      if (this.byConversation.size <= this.maxConversations) return;
      this.byConversation.delete(id);
      this.partial.delete(id);
      (this.dropped ??= new DroppedFilter()).add(id);
    }
  }

  /** Where the conversation's lines are, or undefined when the index cannot tell (it dropped them, or may have). */
  lines(conversationId: string): number[] | undefined {
    if (this.partial.has(conversationId)) return undefined;
    const at = this.byConversation.get(conversationId);
    if (at) return at;
    return this.dropped?.mightHave(conversationId) ? undefined : [];
  }
}

/**
 * The conversations a day index dropped, as a Bloom filter: a fixed megabyte however many are dropped, no false
 * "no", and about one false "maybe" in a thousand after 300,000 conversations (which only makes a read scan).
 */
class DroppedFilter {
  private readonly bits = new Uint32Array(1 << 18);

  add(id: string): void {
    for (const bit of this.positions(id)) this.bits[bit >>> 5]! |= 1 << (bit & 31);
  }

  mightHave(id: string): boolean {
    for (const bit of this.positions(id)) if (!(this.bits[bit >>> 5]! & (1 << (bit & 31)))) return false;
    return true;
  }

  /** Three bit positions by double hashing two FNV-1a variants. */
  private positions(id: string): number[] {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < id.length; i += 1) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    const size = this.bits.length * 32;
    h2 |= 1;
    return [h1 >>> 0, (h1 + h2) >>> 0, (h1 + 2 * h2) >>> 0].map((h) => h % size);
  }
}

/** Append-only JSON Lines log under `<dir>/YYYY-MM-DD.jsonl`. */
export class JsonlTurnLog implements TurnLog {
  /** Indexes of the day files with an open handle (today's and yesterday's); bounded with them. */
  private indexes = new Map<string, DayIndex>();
  /** The batch being written now. */
  private inFlight: Pending[] = [];
  private queue: Pending[] = [];
  private queued = 0;
  private readonly writer = new Drainer(() => this.drain(), () => this.queue.length > 0);
  private handles = new Map<string, FileHandle>();
  private maintenance: Promise<unknown> | undefined;
  private tornTail = new Set<string>();
  private lastError: string | undefined;
  private readonly writeTimeoutMs: number;
  private readonly maxQueued: number;
  private readonly indexConversations: number;
  private readonly warn: (message: string, detail?: Record<string, unknown>) => void;
  private ready: Promise<unknown> | undefined;

  constructor(
    readonly dir: string,
    options: JsonlTurnLogOptions = {},
  ) {
    this.writeTimeoutMs = options.writeTimeoutMs ?? 2000;
    this.maxQueued = options.maxQueued ?? 100_000;
    this.indexConversations = options.indexConversations ?? 20_000;
    this.warn = options.onWarning ?? (() => undefined);
  }

  append(records: TurnRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.queued + records.length > this.maxQueued) {
      return Promise.reject(new Error(`Turn log queue is full (${this.queued} records waiting): ${this.lastError ?? 'disk too slow'}`));
    }
    const byDay = new Map<string, { lines: string[]; conversations: string[] }>();
    for (const r of records) {
      const day = dayOf(r.ts);
      let group = byDay.get(day);
      if (!group) byDay.set(day, (group = { lines: [], conversations: [] }));
      group.lines.push(`${JSON.stringify(r)}\n`);
      group.conversations.push(r.conversationId);
    }
    const written = Promise.all(
      [...byDay].map(([day, { lines, conversations }]) => {
        let callbacks!: Pick<Pending, 'done' | 'fail'>;
        const result = new Promise<void>((done, fail) => (callbacks = { done, fail }));
        this.queue.push({ day, lines, conversations, ...callbacks, settled: result.catch(() => undefined) });
        this.queued += lines.length;
        return result;
      }),
    ).then(() => undefined);
    this.writer.kick();
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

  /** Writes everything queued so far, one write per day file, and settles the waiting appends. */
  private async drain(): Promise<void> {
    // Maintenance (erasure, retention) rewrites files: appends wait for it, then go to the new files.
    while (this.maintenance) await this.maintenance;
    this.ready ??= mkdir(this.dir, { recursive: true });
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      this.inFlight = batch;
      const byDay = new Map<string, Pending[]>();
      for (const p of batch) byDay.set(p.day, [...(byDay.get(p.day) ?? []), p]);
      for (const [day, items] of byDay) {
        const count = items.reduce((n, p) => n + p.lines.length, 0);
        let handle: FileHandle | undefined;
        try {
          await this.ready;
          handle = await this.handle(day);
          // After a crash mid-write the file may end in a torn line: start ours on a fresh line.
          const lead = this.tornTail.delete(day) ? '\n' : '';
          await handle.appendFile(lead + items.flatMap((p) => p.lines).join(''));
          this.indexWritten(day, lead.length, items);
          this.lastError = undefined;
          this.queued -= count;
          for (const p of items) p.done();
          this.inFlight = this.inFlight.filter((p) => !items.includes(p));
        } catch (error) {
          this.lastError = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          this.warn('Turn log write failed; will retry', { error: this.lastError, day });
          // A write cut short (a full disk) left half a record in the middle of the file for good, and every reader
          // after it skipped a corrupt line: cut the file back to its last whole line before the retry writes it all.
          const size = this.indexes.get(day)?.size;
          if (handle && size !== undefined) await handle.truncate(size).catch(() => undefined);
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
      const index = new DayIndex(size, this.indexConversations);
      this.indexes.set(day, index);
      if (!index.complete) void this.indexExisting(day, index);
      // Keep only today's and yesterday's files open.
      for (const old of [...this.handles.keys()].sort().slice(0, -2)) await this.closeHandle(old);
    }
    return h;
  }

  private async closeHandle(day: string): Promise<void> {
    const h = this.handles.get(day);
    this.handles.delete(day);
    // Whatever happens to the file next (rewrite, failed write) is not seen by the index: drop it.
    this.indexes.delete(day);
    await h?.close().catch(() => undefined);
  }

  /** Records where the lines just appended to `day` went. */
  private indexWritten(day: string, lead: number, items: Pending[]): void {
    const index = this.indexes.get(day);
    if (!index) return;
    let offset = index.size + lead;
    for (const p of items) {
      for (let i = 0; i < p.lines.length; i += 1) {
        const length = Buffer.byteLength(p.lines[i] as string);
        index.add(p.conversations[i] as string, offset, length);
        offset += length;
      }
    }
    index.size = offset;
  }

  /** Indexes the lines that were in `day`'s file before this process opened it, then marks the index complete. */
  private async indexExisting(day: string, index: DayIndex): Promise<void> {
    const found = new DayIndex(0, this.indexConversations);
    try {
      for await (const { line, offset, length } of fileLines(path.join(this.dir, `${day}.jsonl`), index.size)) {
        const id = conversationIdOf(line);
        if (id !== undefined) found.add(id, offset, length);
      }
    } catch (error) {
      this.warn('Could not index a turn log day file; transcripts will scan it', { day, error: (error as Error).message });
      return;
    }
    if (this.indexes.get(day) !== index) return; // the file was closed or rewritten meanwhile
    // Older lines first, then what was appended while the scan ran (those conversations are the newest). A
    // conversation the scan dropped but the appends have is partial: its older lines are read by a scan.
    for (const [id, at] of index.byConversation) {
      const before = found.byConversation.get(id);
      found.byConversation.delete(id);
      found.byConversation.set(id, before ? [...before, ...at] : at);
      if (!before && found.dropped?.mightHave(id)) found.partial.add(id);
    }
    index.byConversation.clear();
    for (const [id, at] of found.byConversation) index.byConversation.set(id, at);
    index.dropped = found.dropped;
    for (const id of found.partial) index.partial.add(id);
    index.complete = true;
    index.trim();
  }

  days(): Promise<string[]> {
    return dayFiles(this.dir);
  }

  /**
   * Waits until every record appended before this call is written (or failed). Unlike `flush`, it does not wait for
   * records that keep arriving behind it, which under steady load could be for ever. A failing disk keeps records
   * queued for retry: readers then wait no longer than the write bound and read what the files hold. With
   * `conversationId`, only that conversation's records are waited for. Resolves to the days those records go to.
   */
  private async caughtUp(conversationId?: string): Promise<string[]> {
    const pending = [...this.inFlight, ...this.queue].filter((p) => conversationId === undefined || p.conversations.includes(conversationId));
    const waiting = pending.map((p) => p.settled);
    if (!waiting.length) return [];
    this.writer.kick();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.writeTimeoutMs)));
    await Promise.race([Promise.all(waiting), bound]);
    clearTimeout(timer);
    return pending.map((p) => p.day);
  }

  async *read(range: { from?: string; to?: string } = {}): AsyncIterable<TurnRecord> {
    await this.caughtUp();
    for (const day of await this.days()) {
      if ((range.from && day < range.from) || (range.to && day > range.to)) continue;
      yield* readDayFile(path.join(this.dir, `${day}.jsonl`), this.warn);
    }
  }

  async conversation(conversationId: string, range: { from?: string; to?: string } = {}): Promise<TurnRecord[]> {
    // On a busy server each file-system round trip waits behind other turns, so this one makes as few as it can:
    // the directory listing alongside the wait, and the lines of a day read together.
    const [listed, pendingDays] = await Promise.all([this.days(), this.caughtUp(conversationId)]);
    const days = [...new Set([...listed, ...pendingDays])].sort().filter((day) => !((range.from && day < range.from) || (range.to && day > range.to)));
    const perDay = await Promise.all(
      days.map(async (day) => {
        const indexed = await this.readIndexed(day, conversationId).catch(() => undefined);
        if (indexed) return indexed;
        const found: TurnRecord[] = [];
        for await (const r of readDayFile(path.join(this.dir, `${day}.jsonl`), this.warn)) if (r.conversationId === conversationId) found.push(r);
        return found;
      }),
    );
    return perDay.flat();
  }

  /** The conversation's lines of `day` read through the index, or undefined when the day has no complete index. */
  private async readIndexed(day: string, conversationId: string): Promise<TurnRecord[] | undefined> {
    const index = this.indexes.get(day);
    const handle = this.handles.get(day);
    if (!index?.complete || !handle || this.maintenance) return undefined;
    const at = index.lines(conversationId);
    if (!at) return undefined;
    const lines = await Promise.all(
      Array.from({ length: at.length / 2 }, async (_, i) => {
        const buffer = Buffer.alloc(at[2 * i + 1] as number);
        await handle.read(buffer, 0, buffer.length, at[2 * i] as number);
        return buffer.toString('utf8');
      }),
    );
    const out: TurnRecord[] = [];
    for (const line of lines) {
      // Only whole lines are indexed, so a line that does not parse means the index disagrees with the file: scan it.
      const record = parseLine(line, () => undefined, {});
      if (record?.conversationId !== conversationId) return undefined;
      out.push(record);
    }
    return out;
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
      if (this.queue.length) this.writer.kick();
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
    while (this.writer.current || this.queue.length) {
      this.writer.kick();
      await this.writer.current;
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
    const record = parseLine(line, warn, { file, line: lineNo });
    if (record) yield record;
  }
}

/** One log line as a record, or null (with a warning) when it is torn, corrupt or of the wrong shape. */
function parseLine(line: string, warn: (message: string, detail?: Record<string, unknown>) => void, where: Record<string, unknown>): TurnRecord | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    warn('Skipping a torn or corrupt turn log line', where);
    return null;
  }
  const result = TurnRecordSchema.safeParse(parsed);
  if (result.success) return result.data;
  warn('Skipping a turn log line of the wrong shape', where);
  return null;
}

const CONVERSATION_KEY = Buffer.from('"conversationId":"');

/**
 * The conversation id of a raw line, or undefined when the line is torn or corrupt. Lines written by `append` come
 * from JSON.stringify, where the key cannot occur unescaped inside a value, so a plain id is read straight from the
 * bytes; anything else is parsed in full. A wrong guess costs only a scan: indexed reads check the id.
 */
function conversationIdOf(line: Buffer): string | undefined {
  const start = line.indexOf(CONVERSATION_KEY) + CONVERSATION_KEY.length;
  if (start >= CONVERSATION_KEY.length && line[line.length - 1] === 0x7d /* } */) {
    const end = line.indexOf(0x22 /* " */, start);
    if (end !== -1 && line.subarray(start, end).indexOf(0x5c /* \ */) === -1) return line.toString('utf8', start, end);
  }
  try {
    const id = (JSON.parse(line.toString('utf8')) as { conversationId?: unknown }).conversationId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The lines of the first `end` bytes of a file with their byte offsets (the newline counted in the length). */
async function* fileLines(file: string, end: number): AsyncIterable<{ line: Buffer; offset: number; length: number }> {
  let carry: Buffer = Buffer.alloc(0);
  let base = 0; // file offset of carry[0]
  for await (const chunk of createReadStream(file, { start: 0, end: end - 1 }) as AsyncIterable<Buffer>) {
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let from = 0;
    for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, from)) {
      if (nl > from) yield { line: data.subarray(from, nl), offset: base + from, length: nl + 1 - from };
      from = nl + 1;
    }
    carry = data.subarray(from);
    base += from;
  }
  // A torn last line (no newline) is not indexed: it holds no complete record.
}
