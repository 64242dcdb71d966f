/** botbuilder `Storage` keeping one small JSON file per key: a turn rewrites its own state, never one big file. */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Storage, StoreItems } from 'botbuilder';
import { LRUCache } from 'lru-cache';

type Item = Record<string, unknown> & { eTag?: string };

/**
 * File-backed conversation/user state, one file per key. Reads come from an LRU cache; writes update the cache at
 * once and reach the disk behind the turn (write-behind, coalesced per key, atomic temp + rename), so a reply never
 * waits on the file system. State is the bot's working memory: the durable record of a conversation is the turn log.
 */
export class FileStorage implements Storage {
  /** Serialised items (parsing per read is cheaper than cloning objects, and gives each caller its own copy). */
  private readonly cache: LRUCache<string, { json: string | null }>;
  /** Latest serialised item per key not yet on disk (null = delete). */
  private readonly dirty = new Map<string, string | null>();
  private readonly writers = new Map<string, Promise<void>>();
  private lastError: string | undefined;
  private ready: Promise<unknown> | undefined;

  constructor(
    private readonly dir: string,
    cacheEntries = 10_000,
  ) {
    this.cache = new LRUCache({ max: cacheEntries });
  }

  private fileFor(key: string): string {
    return path.join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`);
  }

  private async load(key: string): Promise<string | null> {
    if (this.dirty.has(key)) return this.dirty.get(key) ?? null;
    const cached = this.cache.get(key);
    if (cached) return cached.json;
    let json: string | null = null;
    try {
      const stored = JSON.parse(await readFile(this.fileFor(key), 'utf8')) as { key: string; item: Item };
      json = stored.item ? JSON.stringify(stored.item) : null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A torn file, or a disk that cannot be read, means absent state: the conversation restarts rather than the
      // bot failing; an unreadable disk also shows on /readyz.
      if (code !== 'ENOENT' && !(error instanceof SyntaxError)) this.lastError = code ?? (error as Error).message;
    }
    // A write may have landed while the file was being read: it wins.
    if (this.dirty.has(key)) return this.dirty.get(key) ?? null;
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
      const currentJson = await this.load(key);
      const incoming = change as Item;
      if (currentJson && incoming.eTag && incoming.eTag !== '*') {
        const current = JSON.parse(currentJson) as Item;
        if (incoming.eTag !== current.eTag) throw new Error(`Storage: eTag conflict for key "${key}"`);
      }
      const json = JSON.stringify({ ...incoming, eTag: randomUUID() });
      this.cache.set(key, { json });
      this.schedule(key, json);
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

  /** Marks `key` dirty and makes sure a writer drains it; several writes in a row cost one file write. */
  private schedule(key: string, json: string | null): void {
    this.dirty.set(key, json);
    if (this.writers.has(key)) return;
    const writer = (async () => {
      while (this.dirty.has(key)) {
        const latest = this.dirty.get(key) ?? null;
        try {
          await this.persist(key, latest);
          this.lastError = undefined;
          // Only forget it if no newer write came in meanwhile.
          if (this.dirty.get(key) === latest) this.dirty.delete(key);
        } catch (error) {
          this.lastError = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          await new Promise((r) => setTimeout(r, 500).unref());
        }
      }
    })().finally(() => this.writers.delete(key));
    this.writers.set(key, writer);
  }

  private async persist(key: string, json: string | null): Promise<void> {
    const file = this.fileFor(key);
    if (json === null) {
      await unlink(file).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      return;
    }
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `{"key":${JSON.stringify(key)},"item":${json}}`);
    await rename(tmp, file);
  }

  /**
   * Deletes stored items whose file text `drop` selects, or last written before `olderThan` (ms since epoch):
   * for erasure and retention, which work on what is on disk, not on keys. Returns how many were deleted.
   */
  async deleteWhere(drop: (fileText: string) => boolean, olderThan?: number): Promise<number> {
    await this.flush();
    let removed = 0;
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((f) => f.endsWith('.json'));
    } catch {
      return 0;
    }
    for (const f of files) {
      if (!f.endsWith('.json')) continue;
      const file = path.join(this.dir, f);
      const text = await readFile(file, 'utf8').catch(() => '');
      const old = olderThan !== undefined && (await stat(file)).mtimeMs < olderThan;
      if (!old && !drop(text)) continue;
      try {
        const key = (JSON.parse(text) as { key?: string }).key;
        if (key) this.cache.delete(key);
      } catch {
        // torn file: nothing cached under it
      }
      await unlink(file).catch(() => undefined);
      removed += 1;
    }
    return removed;
  }

  /** Resolves once every write issued so far is on disk, or after `timeoutMs` while a failing disk is retried. */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.writers.size && Date.now() < deadline) {
      await Promise.race([Promise.all([...this.writers.values()]), new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now())).unref())]);
    }
  }
}
