/**
 * botbuilder `Storage` on LevelDB (classic-level): conversation and user state as keys in one embedded database, so
 * a turn's state write is a line in a batched log append instead of a file created and renamed per conversation.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Storage, StoreItems } from 'botbuilder';
import { ClassicLevel } from 'classic-level';
import { LRUCache } from 'lru-cache';
import { Drainer } from './drainer.js';
import { z } from 'zod';
import { DataFileError, parseDocument } from './jsonDb.js';

type Item = Record<string, unknown> & { eTag?: string };

/** What LevelDB stores per key: the item plus when it was written (retention works on that). */
interface Stored {
  key: string;
  at: number;
  item: Item;
}

/**
 * Reads come from an LRU cache of serialised items; writes update the cache at once and reach the database behind
 * the turn (write-behind: every key changed while a batch was being written goes out in the next single batch), so
 * a reply never waits on the disk. State is the bot's working memory: the durable record of a conversation is the
 * turn log.
 */
export class LevelStorage implements Storage {
  /** Serialised items (parsing per read is cheaper than cloning objects, and gives each caller its own copy). */
  private readonly cache: LRUCache<string, { json: string | null }>;
  /** Latest item JSON and stored text per key not yet in the database (null = delete). */
  private dirty = new Map<string, { json: string; stored: string } | null>();
  private readonly writer = new Drainer(() => this.drain(), () => this.dirty.size > 0);
  private lastError: string | undefined;
  private db: ClassicLevel<string, string>;
  /** Set while erasure or retention rebuilds the database: reads and writes wait for it. */
  private maintenance: Promise<void> | undefined;
  /** The batch being written, if any. */
  private batching: Promise<void> | undefined;

  private constructor(
    private readonly dir: string,
    cacheEntries: number,
  ) {
    this.cache = new LRUCache({ max: cacheEntries });
    this.db = levelAt(dir);
  }

  /**
   * Opens (creating) the database in `dir`, importing the one-file-per-key state of earlier versions found there.
   * A database that cannot be opened stops start-up with a message naming the directory.
   */
  static async open(dir: string, cacheEntries = 10_000): Promise<LevelStorage> {
    await recoverInterruptedRebuild(dir);
    const files = await readdir(dir).catch((error: NodeJS.ErrnoException): string[] => {
      if (error.code === 'ENOENT') return [];
      // A file where the directory should be: the operator's message and exit code, not a bare ENOTDIR.
      throw new DataFileError(dir, `cannot be opened as the state database (${error.code ?? error.message})`);
    });
    // Before the database object exists: abstract-level opens (and creates) it on the next tick of its constructor.
    refuseHeadlessDatabase(dir, files);
    // Every legacy file is read before any is imported or removed, so a bad one stops start-up with all of them there.
    const legacy = await readLegacyFiles(dir, files);
    const storage = new LevelStorage(dir, cacheEntries);
    try {
      await storage.db.open();
    } catch (error) {
      const cause = (error as { cause?: Error }).cause;
      throw new DataFileError(dir, `cannot be opened as the state database (${cause?.message ?? (error as Error).message})`);
    }
    await storage.importLegacyFiles(legacy);
    return storage;
  }

  private async load(key: string): Promise<string | null> {
    if (this.dirty.has(key)) return this.dirty.get(key)?.json ?? null;
    const cached = this.cache.get(key);
    if (cached) return cached.json;
    let json: string | null = null;
    try {
      while (this.maintenance) await this.maintenance;
      const stored = await this.db.get(key);
      json = stored === undefined ? null : itemJson(stored);
    } catch (error) {
      // An unreadable database means absent state: the conversation restarts rather than the turn failing; the
      // failure also shows on /readyz.
      this.lastError = describe(error);
    }
    // A write may have landed while the database was being read: it wins.
    if (this.dirty.has(key)) return this.dirty.get(key)?.json ?? null;
    this.cache.set(key, { json });
    return json;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    for (const key of keys) {
      const json = await this.load(key);
      if (json) out[key] = JSON.parse(json) as Item;
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, change] of Object.entries(changes)) {
      const incoming = change as Item;
      // Only an eTag check needs the stored item. Writes without one (botbuilder's BotState always sends "*") apply
      // at once, so writes to a key land in the order they were made.
      if (incoming.eTag && incoming.eTag !== '*') {
        const currentJson = await this.load(key);
        const current = currentJson ? (JSON.parse(currentJson) as Item) : undefined;
        if (current && incoming.eTag !== current.eTag) throw new Error(`Storage: eTag conflict for key "${key}"`);
      }
      const json = JSON.stringify({ ...incoming, eTag: randomUUID() });
      this.cache.set(key, { json });
      this.schedule(key, { json, stored: `{"key":${JSON.stringify(key)},"at":${Date.now()},"item":${json}}` });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      this.cache.set(key, { json: null });
      this.schedule(key, null);
    }
  }

  /** Whether writes are reaching the disk (false after a failed write, until one succeeds). */
  health(): { ok: boolean; detail?: string } {
    return this.lastError ? { ok: false, detail: this.lastError } : { ok: true };
  }

  private schedule(key: string, change: { json: string; stored: string } | null): void {
    this.dirty.set(key, change);
    this.writer.kick();
  }

  /** Writes the dirty keys as one batch, again and again until none are left; a failure is retried. */
  private async drain(): Promise<void> {
    while (this.dirty.size) {
      while (this.maintenance) await this.maintenance;
      const batch = this.dirty;
      this.dirty = new Map();
      try {
        this.batching = this.db.batch([...batch].map(([key, change]) => (change === null ? { type: 'del' as const, key } : { type: 'put' as const, key, value: change.stored })));
        await this.batching;
        this.lastError = undefined;
      } catch (error) {
        this.lastError = describe(error);
        // Keep anything newer that arrived meanwhile; retry the rest after a pause.
        for (const [key, value] of batch) if (!this.dirty.has(key)) this.dirty.set(key, value);
        await new Promise((r) => setTimeout(r, 500).unref());
        await this.reopen();
      }
    }
  }

  /** After a write error LevelDB refuses further writes until reopened; a database closed under us is reopened too. */
  private async reopen(): Promise<void> {
    // A rebuild in progress swaps in a freshly opened database itself.
    while (this.maintenance) await this.maintenance;
    try {
      await this.db.close();
      // The database existed when the bot started: one gone since (its CURRENT lost) is an error, not a new database.
      await this.db.open({ createIfMissing: false });
    } catch (error) {
      this.lastError = describe(error);
    }
  }

  /**
   * Deletes stored items whose stored text `drop` selects, or last written before `olderThan` (ms since epoch): for
   * erasure and retention, which work on what is stored, not on keys. Returns how many were deleted.
   */
  async deleteWhere(drop: (storedText: string) => boolean, olderThan?: number): Promise<number> {
    await this.flush();
    while (this.maintenance) await this.maintenance;
    let finished!: () => void;
    this.maintenance = new Promise((resolve) => (finished = resolve));
    try {
      // A batch that started before maintenance began finishes first; later ones wait for it to end.
      await this.batching?.catch(() => undefined);
      const gone = new Set<string>();
      for await (const [key, value] of this.db.iterator()) {
        if (drop(value) || (olderThan !== undefined && writtenAt(value) < olderThan)) gone.add(key);
      }
      if (gone.size) await this.rebuildWithout(gone);
      for (const key of gone) this.cache.delete(key);
      return gone.size;
    } finally {
      this.maintenance = undefined;
      finished();
    }
  }

  /**
   * Copies every entry but `gone` into a fresh database and swaps it in. A LevelDB delete only adds a tombstone,
   * and compaction never rewrites the bottom level's files, so this is how erased state reliably leaves the disk.
   */
  private async rebuildWithout(gone: Set<string>): Promise<void> {
    const fresh = `${this.dir}.rebuild`;
    await rm(fresh, { recursive: true, force: true });
    const next = levelAt(fresh);
    await next.open();
    let ops: Array<{ type: 'put'; key: string; value: string }> = [];
    for await (const [key, value] of this.db.iterator()) {
      if (gone.has(key)) continue;
      ops.push({ type: 'put', key, value });
      if (ops.length >= 1000) {
        await next.batch(ops);
        ops = [];
      }
    }
    if (ops.length) await next.batch(ops);
    await next.close();
    await this.db.close();
    // The old directory is set aside until the new one is in place; open() finishes an interrupted swap.
    await rename(this.dir, `${this.dir}.old`);
    await rename(fresh, this.dir);
    await rm(`${this.dir}.old`, { recursive: true, force: true });
    this.db = levelAt(this.dir);
    await this.db.open();
  }

  /** The stored items whose stored text `match` selects, with their keys (an access request's conversation state). */
  async itemsWhere(match: (storedText: string) => boolean): Promise<Array<{ key: string; item: Item }>> {
    await this.flush();
    while (this.maintenance) await this.maintenance;
    const found: Array<{ key: string; item: Item }> = [];
    for await (const [key, value] of this.db.iterator()) {
      if (!match(value)) continue;
      const item = storedItem(value);
      if (item) found.push({ key, item });
    }
    return found;
  }

  /** The stored keys (diagnostics and tests). */
  async keys(): Promise<string[]> {
    await this.flush();
    return this.db.keys().all();
  }

  /** Resolves once every write issued so far is stored, or after `timeoutMs` while a failing disk is retried. */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.writer.current && Date.now() < deadline) {
      await Promise.race([this.writer.current, new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now())).unref())]);
    }
  }

  /** Writes what is pending and closes the database (shutdown). */
  async close(): Promise<void> {
    await this.flush();
    await this.db.close();
  }

  /** Stores the read `<hash>.json` files of the earlier one-file-per-key storage, then deletes them. */
  private async importLegacyFiles(legacy: LegacyFile[]): Promise<void> {
    if (!legacy.length) return;
    const at = Date.now();
    // Synced: a file is deleted only once its state is on disk, not in the operating system's cache.
    await this.db.batch(
      legacy.flatMap(({ key, item }) => (item ? [{ type: 'put' as const, key, value: JSON.stringify({ key, at, item } satisfies Stored) }] : [])),
      { sync: true },
    );
    for (const { file } of legacy) await unlink(file);
  }
}

/** A LevelDB database at `dir` holding text values (opened by the caller). */
function levelAt(dir: string): ClassicLevel<string, string> {
  return new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
}

/** The item a stored text holds, or null when the text is torn or holds no item. */
function storedItem(stored: string): Item | null {
  try {
    return (JSON.parse(stored) as Stored).item ?? null;
  } catch {
    return null;
  }
}

/** The item's JSON inside a stored text (null when the text is torn or holds no item). */
function itemJson(stored: string): string | null {
  const item = storedItem(stored);
  return item ? JSON.stringify(item) : null;
}

/** A `<hash>.json` state file of the earlier one-file-per-key storage, read. */
interface LegacyFile {
  file: string;
  key: string;
  item: Item | null;
}

/** A file with no item (`null`) held no state: the earlier storage skipped it, and so does the import (and removes it). */
const LegacySchema = z.object({ key: z.string(), item: z.record(z.string(), z.unknown()).nullable() });

/**
 * Reads every legacy state file in `files`, or throws the data-file error naming the first that cannot be read or
 * parsed. Such a file used to be deleted as absent state: a conversation lost without a word to the operator.
 */
async function readLegacyFiles(dir: string, files: string[]): Promise<LegacyFile[]> {
  const legacy: LegacyFile[] = [];
  for (const f of files.filter((name) => /^[0-9a-f]{40}\.json$/.test(name)).sort()) {
    const file = path.join(dir, f);
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new DataFileError(file, `cannot be read (${error.code ?? error.message})`);
    });
    const { key, item } = parseDocument(file, text, LegacySchema);
    legacy.push({ file, key, item: item as Item | null });
  }
  return legacy;
}

/** Files LevelDB writes for its tables, its write-ahead log and its manifests: what a database holds. */
const DATABASE_FILE = /^(\d+\.(ldb|sst|log)|MANIFEST-\d+)$/;

/**
 * Throws when `dir` (holding `files`) holds database files but no `CURRENT` (lost to a crash, a bad copy or a hand). LevelDB, told to
 * create a missing database, would take the directory for an empty one and delete every table it does not know of;
 * only an empty or absent directory is a new database.
 */
function refuseHeadlessDatabase(dir: string, files: string[]): void {
  const tables = files.filter((f) => DATABASE_FILE.test(f));
  if (tables.length && !files.includes('CURRENT')) {
    throw new DataFileError(path.join(dir, 'CURRENT'), `is missing, yet the state database's files are there (${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', …' : ''}); opening it would start it empty and delete them`);
  }
}

/** Finishes or undoes a rebuild cut short by a crash: the set-aside copy comes back if no new one took its place. */
async function recoverInterruptedRebuild(dir: string): Promise<void> {
  const exists = (p: string) => stat(p).then(() => true, () => false);
  if (!(await exists(dir)) && (await exists(`${dir}.old`))) await rename(`${dir}.old`, dir);
  await rm(`${dir}.old`, { recursive: true, force: true });
  await rm(`${dir}.rebuild`, { recursive: true, force: true });
}

function writtenAt(stored: string): number {
  try {
    return (JSON.parse(stored) as Stored).at ?? 0;
  } catch {
    return 0;
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? String(error);
}
