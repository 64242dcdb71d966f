/**
 * A growing collection of records (handoffs, tickets) kept as a lowdb snapshot plus an append-only journal of
 * changed records: a change costs one appended line instead of rewriting every record ever made (lowdb's whole-file
 * write is O(n)). The journal is folded into the snapshot once it outgrows it, so the amortised cost per change
 * stays flat and start-up replays a bounded tail.
 */
import { appendFile, type FileHandle, open, readFile, stat, truncate } from 'node:fs/promises';
import { z } from 'zod';
import { Drainer } from './drainer.js';
import { openJsonDb, parseDocument } from './jsonDb.js';

/** What a journaled collection needs to know about its records. */
export interface JournaledOptions<T> {
  /** The snapshot (a lowdb JSON document `{ seq, [key]: [...] }`); the journal sits next to it. null: memory only. */
  file: string | null;
  /** The snapshot's array field ("handoffs", "tickets"). */
  key: string;
  item: z.ZodType<T>;
  id: (record: T) => string;
  /** The journal is folded into the snapshot when it is larger than this and than the snapshot (default 1 MiB). */
  minFoldBytes?: number;
  /** Told when opening cuts a torn last line off the journal (as the turn log's `onWarning`). */
  onWarning?: (message: string, detail?: Record<string, unknown>) => void;
}

type Doc = { seq: number } & Record<string, unknown>;

interface Waiter {
  line: string;
  settle: (error?: Error) => void;
}

/** The journal file of a snapshot file: `handoffs.json` → `handoffs.journal.jsonl`. */
export function journalFileOf(file: string): string {
  return file.replace(/(\.json)?$/, '.journal.jsonl');
}

/** Records in creation order plus a sequence counter, persisted as snapshot + journal (see the module comment). */
export class JournaledCollection<T> {
  private queue: Waiter[] = [];
  private readonly writer = new Drainer(() => this.drain(), () => this.queue.length > 0);
  /** Set by `rewrite()` and after a failed append (which may have left a partial line): the next write folds. */
  private foldNext = false;
  /** The journal, held open between appends, and the file it was when opened. */
  private held: { handle: FileHandle; dev: number; ino: number } | undefined;

  private constructor(
    private readonly db: Awaited<ReturnType<typeof openJsonDb<Doc>>>,
    private readonly journal: string | null,
    private readonly options: JournaledOptions<T>,
    private journalBytes: number,
    private snapshotBytes: number,
    /** The journal's last record lacks its newline (stripped by an editor): the next append starts a line first. */
    private unterminated = false,
  ) {}

  /** Opens the snapshot (created when absent) and replays the journal over it; a corrupt line stops start-up. */
  static async open<T>(options: JournaledOptions<T>): Promise<JournaledCollection<T>> {
    const { file, key, item } = options;
    const schema = z.object({ seq: z.number().int().nonnegative(), [key]: z.array(item) }) as unknown as z.ZodType<Doc>;
    const db = await openJsonDb<Doc>(file, schema, { seq: 0, [key]: [] });
    if (file === null) return new JournaledCollection(db, null, options, 0, 0);
    const journal = journalFileOf(file);
    const { bytes, unterminated } = await replay(journal, db.data, options);
    return new JournaledCollection(db, journal, options, bytes, (await stat(file)).size, unterminated);
  }

  get seq(): number {
    return this.db.data.seq;
  }

  set seq(value: number) {
    this.db.data.seq = value;
  }

  /** The records, oldest first; the owner mutates them in place and then calls `save` or `rewrite`. */
  get items(): T[] {
    return this.db.data[this.options.key] as T[];
  }

  set items(records: T[]) {
    this.db.data[this.options.key] = records;
  }

  /** Journals the current state of `records` (new or changed); resolves once the lines are written. */
  save(...records: T[]): Promise<void> {
    const seq = this.seq;
    return this.enqueue(records.map((put) => `${JSON.stringify({ seq, put })}\n`).join(''));
  }

  /** Writes every record to the snapshot and empties the journal: deletions use it, so removed records leave the disk. */
  rewrite(): Promise<void> {
    this.foldNext = true;
    return this.enqueue('');
  }

  private enqueue(line: string): Promise<void> {
    if (this.journal === null) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, settle: (error) => (error ? reject(error) : resolve()) });
      this.writer.kick();
    });
  }

  /** Group commit: everything queued while a write runs goes out in the next single write. */
  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      const text = batch.map((w) => w.line).join('');
      try {
        const bytes = Buffer.byteLength(text);
        const limit = Math.max(this.options.minFoldBytes ?? 1 << 20, this.snapshotBytes);
        if (this.foldNext || this.journalBytes + bytes > limit) await this.fold();
        else await this.append(text, bytes);
        for (const w of batch) w.settle();
      } catch (error) {
        this.foldNext = true;
        for (const w of batch) w.settle(error as Error);
        // Let the callers undo their in-memory change before the next write serialises the records.
        await new Promise((r) => setTimeout(r, 100).unref());
      }
    }
  }

  /**
   * Appends through the held handle while checking, in the same round trip, that the path still names that file.
   * Opening per batch cost three thread-pool round trips (open, write, close), which set the latency of escalation
   * turns under load. A journal moved or deleted under the process would swallow writes to a held handle, so then
   * the text goes to the path as a fresh append: written there, or failed (directory gone), never silently lost.
   */
  private async append(text: string, bytes: number): Promise<void> {
    const journal = this.journal as string;
    const lead = this.unterminated ? '\n' : '';
    const held = await this.holdJournal();
    const [written, current] = await Promise.allSettled([held.handle.appendFile(lead + text), stat(journal)]);
    if (written.status === 'rejected') {
      await this.release();
      throw written.reason;
    }
    if (current.status === 'rejected' || current.value.ino !== held.ino || current.value.dev !== held.dev) {
      await this.release();
      await appendFile(journal, lead + text);
    }
    this.unterminated = false;
    this.journalBytes += bytes + lead.length;
  }

  private async holdJournal(): Promise<{ handle: FileHandle; dev: number; ino: number }> {
    if (this.held) return this.held;
    const handle = await open(this.journal as string, 'a');
    try {
      const { dev, ino } = await handle.stat();
      this.held = { handle, dev, ino };
      return this.held;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  private async release(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    await held?.handle.close().catch(() => undefined);
  }

  /** Waits for queued writes, then lets go of the journal file. */
  async close(): Promise<void> {
    while (this.writer.current) await this.writer.current;
    await this.release();
  }

  /** Snapshot first (atomic temp + rename), then the journal emptied: a crash between them only replays lines again. */
  private async fold(): Promise<void> {
    await this.db.write();
    this.snapshotBytes = (await stat(this.options.file as string)).size;
    await truncate(this.journal as string, 0).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    this.journalBytes = 0;
    this.unterminated = false;
    this.foldNext = false;
  }
}

/** What a journal holds: its complete lines, their byte length, and what follows the last of them. */
interface JournalText {
  lines: string[];
  bytes: number;
  /** Bytes of a torn last line (a write cut short, never acknowledged), left out of `lines`. */
  tornBytes: number;
  /** The last line is a whole record without its newline. */
  unterminated: boolean;
}

/**
 * Reads a journal. Text after the last newline is a complete record when it parses (an editor that strips the final
 * newline is enough to leave one there, and it was acknowledged); a record is a JSON object, and no prefix of an
 * object parses, so anything else is a torn line.
 */
async function readJournal(journal: string): Promise<JournalText> {
  let text: string;
  try {
    text = await readFile(journal, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], bytes: 0, tornBytes: 0, unterminated: false };
    throw error;
  }
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  const tail = text.slice(end);
  if (tail && parses(tail)) return { lines: [...lines, tail], bytes: Buffer.byteLength(text), tornBytes: 0, unterminated: true };
  return { lines, bytes: Buffer.byteLength(text.slice(0, end)), tornBytes: Buffer.byteLength(tail), unterminated: false };
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Applies journal entries to `records` in order: a later entry for an id replaces the record, a new id is appended. */
function applyEntries<T>(records: T[], entries: Iterable<{ seq: number; put: T }>, id: (record: T) => string): number {
  const at = new Map(records.map((r, i) => [id(r), i]));
  let seq = 0;
  for (const entry of entries) {
    const index = at.get(id(entry.put));
    if (index === undefined) {
      at.set(id(entry.put), records.length);
      records.push(entry.put);
    } else {
      records[index] = entry.put;
    }
    seq = Math.max(seq, entry.seq);
  }
  return seq;
}

/**
 * Applies the journal to the snapshot's records and returns the journal's byte length and whether its last record
 * lacks a newline. A torn last line was never acknowledged and is cut off the file, with a warning saying how much;
 * any other bad line stops start-up, naming the file and line.
 */
async function replay<T>(journal: string, doc: Doc, options: JournaledOptions<T>): Promise<{ bytes: number; unterminated: boolean }> {
  const { lines, bytes, tornBytes, unterminated } = await readJournal(journal);
  if (tornBytes) {
    await truncate(journal, bytes);
    // Not its text: a torn ticket line holds a customer's words, and the warning goes to the logs.
    options.onWarning?.('Cut a torn last line off a journal (a write cut short, never acknowledged)', { file: journal, offset: bytes, bytes: tornBytes });
  }
  const lineSchema = z.object({ seq: z.number().int().nonnegative(), put: options.item });
  // The bot never writes a blank line; one added by hand or by a tool ("echo >> …") holds nothing and stopped start-up.
  const entries = lines.flatMap((line, i) => (line.trim() ? [parseDocument(journal, line, lineSchema, { line: i + 1 }) as { seq: number; put: T }] : []));
  doc.seq = Math.max(doc.seq, applyEntries(doc[options.key] as T[], entries, options.id));
  return { bytes, unterminated };
}

/**
 * Reads a journaled collection's records without opening it for writing (reports beside a running server): the
 * snapshot with the journal applied, read again if the server folded the journal meanwhile. Null when absent.
 */
export async function readJournaled<T extends { id: string }>(file: string, key: string): Promise<T[] | null> {
  for (let attempt = 0; ; attempt += 1) {
    let before: number;
    let snapshot: Record<string, unknown>;
    try {
      before = (await stat(file)).mtimeMs;
      snapshot = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const { lines } = await readJournal(journalFileOf(file));
    if ((await stat(file)).mtimeMs !== before && attempt < 3) continue;
    const records = Array.isArray(snapshot[key]) ? (snapshot[key] as T[]) : [];
    applyEntries(records, lines.filter((line) => line.trim()).map((line) => JSON.parse(line) as { seq: number; put: T }), (r) => r.id);
    return records;
  }
}
