/** Pseudonymous customer ids: a keyed HMAC of channel + user id, stable across a customer's conversations. */
import { createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';

/** Maps (channel, user id) to a pseudonymous id; the key never leaves the server. */
export class CustomerIds {
  /** The same customers write again and again: remember recent ids instead of hashing every turn. */
  private readonly recent = new LRUCache<string, string>({ max: 50_000 });

  constructor(private readonly key: Buffer) {}

  /** `c_` + 16 hex characters of HMAC-SHA256(key, "channel:userId"). */
  of(channelId: string, userId: string): string {
    const source = `${channelId}:${userId}`;
    let id = this.recent.get(source);
    if (!id) {
      id = `c_${createHmac('sha256', this.key).update(source).digest('hex').slice(0, 16)}`;
      this.recent.set(source, id);
    }
    return id;
  }

  /**
   * Uses CUSTOMER_ID_KEY when given; otherwise a key generated once and kept (mode 0600) in the data directory,
   * so ids stay stable across restarts.
   */
  static async load(configured: string | undefined, dataDir: string): Promise<CustomerIds> {
    if (configured) return new CustomerIds(Buffer.from(configured, 'utf8'));
    const file = path.join(dataDir, 'secrets', 'customer-id.key');
    try {
      return new CustomerIds(Buffer.from((await readFile(file, 'utf8')).trim(), 'hex'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const key = randomBytes(32);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, key.toString('hex'), { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await chmod(file, 0o600);
    return new CustomerIds(Buffer.from((await readFile(file, 'utf8')).trim(), 'hex'));
  }
}
