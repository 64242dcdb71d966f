/** Pseudonymous customer ids: a keyed HMAC of channel + user id, stable across a customer's conversations. */
import { createHmac, randomBytes } from 'node:crypto';
import { access, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { DataFileError } from '../storage/jsonDb.js';

/** A generated key: 32 random bytes written as 64 hex characters. */
const KEY_FILE_TEXT = /^[0-9a-fA-F]{64}$/;

/** What the bot writes about customers under DATA_DIR; ids in them are HMACs under the kept key. */
const CUSTOMER_DATA = ['turns', 'state', 'tickets.json', 'tickets.journal.jsonl', 'handoffs.json', 'handoffs.journal.jsonl'];

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
   * so ids stay stable across restarts. A damaged key file, or a missing one beside existing customer data, stops
   * start-up (DataFileError) rather than hand out ids anyone could compute or ids that no longer match the data.
   */
  static async load(configured: string | undefined, dataDir: string): Promise<CustomerIds> {
    const ids = await CustomerIds.keyed(configured, dataDir);
    await ids.checkAgainst(dataDir);
    return ids;
  }

  /**
   * Refuses a key other than the one the data directory's customer ids were made with, as its check file
   * (`secrets/customer-id.check`: an HMAC of a fixed text, which says nothing of the key) records it; writes the check
   * on first use. Setting CUSTOMER_ID_KEY on a directory that had used its key file, or changing it, gave every
   * customer a new id without a word: their tickets no longer showed, and erasure by id missed what they had left.
   */
  private async checkAgainst(dataDir: string): Promise<void> {
    const file = path.join(dataDir, 'secrets', 'customer-id.check');
    const check = createHmac('sha256', this.key).update('customer-id key check').digest('hex');
    const kept = await readFile(file, 'utf8').then((text) => text.trim(), (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new DataFileError(file, `cannot be read (${error.code ?? error.message})`, 'key');
    });
    if (kept === check) return;
    const found = await customerData(dataDir);
    if (kept !== undefined && found.length) {
      throw new DataFileError(file, `says the customer data in ${dataDir} (${found.join(', ')}) was made with another customer-id key: with this one every customer would get a new id. Set CUSTOMER_ID_KEY (or restore secrets/customer-id.key) as it was, or delete the check file to start new ids on purpose`, 'key');
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${check}\n`, { mode: 0o600 });
  }

  /** The key: CUSTOMER_ID_KEY, else the kept key file, else a new one (unless customer data shows one is missing). */
  private static async keyed(configured: string | undefined, dataDir: string): Promise<CustomerIds> {
    if (configured) return new CustomerIds(Buffer.from(configured, 'utf8'));
    const file = path.join(dataDir, 'secrets', 'customer-id.key');
    const kept = await readKeyFile(file);
    if (kept) return new CustomerIds(kept);
    const found = await customerData(dataDir);
    if (found.length) {
      throw new DataFileError(file, `is missing, but ${dataDir} holds customer data (${found.join(', ')})`, 'key');
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await chmod(file, 0o600);
    // Read back: another process may have written its key first.
    const written = await readKeyFile(file);
    if (!written) throw new DataFileError(file, 'vanished right after it was written', 'key');
    return new CustomerIds(written);
  }
}

/** The key in `file`, or undefined when there is no such file; anything but 64 hex characters is refused. */
async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'key');
  }
  // Buffer.from(text, 'hex') stops at the first non-hex character, so a damaged file would become a short or empty key.
  if (!KEY_FILE_TEXT.test(text)) {
    throw new DataFileError(file, `must hold exactly 64 hex characters (a 256-bit key), but holds ${text.length} characters${text.length === 64 ? ' that are not all hex' : ''}`, 'key');
  }
  return Buffer.from(text, 'hex');
}

/** The entries of CUSTOMER_DATA present in `dataDir`. */
async function customerData(dataDir: string): Promise<string[]> {
  const present = await Promise.all(
    CUSTOMER_DATA.map((name) =>
      access(path.join(dataDir, name)).then(
        () => name,
        () => undefined,
      ),
    ),
  );
  return present.filter((name): name is string => name !== undefined);
}
