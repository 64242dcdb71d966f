/** botbuilder `Storage` keeping one small JSON file per key: a turn rewrites its own state, never one big file. */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Storage, StoreItems } from 'botbuilder';
import { LRUCache } from 'lru-cache';

type Item = Record<string, unknown> & { eTag?: string };

/** File-backed conversation/user state. Writes are atomic (temp + rename) and serialised per key. */
export class FileStorage implements Storage {
  private readonly cache: LRUCache<string, { item: Item | null }>;
  private readonly pending = new Map<string, Promise<void>>();
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

  private async load(key: string): Promise<Item | null> {
    const cached = this.cache.get(key);
    if (cached) return cached.item;
    await this.pending.get(key);
    let item: Item | null = null;
    try {
      const stored = JSON.parse(await readFile(this.fileFor(key), 'utf8')) as { key: string; item: Item };
      item = stored.item;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A torn or foreign file is treated as absent state: the conversation restarts rather than the bot failing.
      if (code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
    }
    this.cache.set(key, { item });
    return item;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    for (const key of keys) {
      const item = await this.load(key);
      if (item) out[key] = structuredClone(item);
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    await Promise.all(
      Object.entries(changes).map(async ([key, change]) => {
        const current = await this.load(key);
        const incoming = change as Item;
        if (current && incoming.eTag && incoming.eTag !== '*' && incoming.eTag !== current.eTag) {
          throw new Error(`Storage: eTag conflict for key "${key}"`);
        }
        const item: Item = { ...structuredClone(incoming), eTag: randomUUID() };
        this.cache.set(key, { item });
        await this.persist(key, JSON.stringify({ key, item }));
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map(async (key) => {
        this.cache.set(key, { item: null });
        await this.enqueue(key, () => unlink(this.fileFor(key)).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        }));
      }),
    );
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

  /** Resolves once every write issued so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending.values()]);
  }

  private persist(key: string, body: string): Promise<void> {
    const file = this.fileFor(key);
    return this.enqueue(key, async () => {
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, file);
    });
  }

  private enqueue(key: string, op: () => Promise<void>): Promise<void> {
    const previous = this.pending.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(op);
    this.pending.set(key, next);
    void next.finally(() => {
      if (this.pending.get(key) === next) this.pending.delete(key);
    }).catch(() => undefined);
    return next;
  }
}
