/** lowdb documents validated with zod on load and written atomically (steno: temp file + rename). */
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low, Memory, type Adapter } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { z } from 'zod';

/** A data file that exists but cannot be trusted; start-up stops rather than overwrite it. */
export class DataFileError extends Error {
  override name = 'DataFileError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(
      `${file}: ${detail}. The file was left untouched; fix it, restore it from a backup, or move it aside to start that store empty.`,
    );
  }
}

function describeZodError(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'does not match the expected shape';
  const where = first.path.length ? ` at ${first.path.join('.')}` : '';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : '';
  return `invalid data${where}: ${first.message}${more}`;
}

/** Parses and validates one JSON document (or one line of a file, named by `part`), naming the file in every error. */
export function parseDocument<T>(file: string, text: string, schema: z.ZodType<T>, part = ''): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(file, `${part}is not valid JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new DataFileError(file, `${part}${describeZodError(result.error)}`);
  return result.data;
}

/** Options of a lowdb document. */
export interface JsonDbOptions<T> {
  /** File permissions to keep after every write (e.g. 0o600 for credentials). */
  mode?: number;
}

/** Opens a lowdb document at `file` (or in memory when file is null), creating it with `defaults` when absent. */
export async function openJsonDb<T>(file: string | null, schema: z.ZodType<T>, defaults: T, options: JsonDbOptions<T> = {}): Promise<Low<T>> {
  let adapter: Adapter<T>;
  if (file === null) {
    adapter = new Memory<T>();
  } else {
    await mkdir(path.dirname(file), { recursive: true });
    const dataFile = new DataFile<T>(file, {
      parse: (text) => parseDocument(file, text, schema),
      // Compact: lowdb rewrites the whole file on each change, and indentation roughly doubles that cost.
      stringify: (data) => `${JSON.stringify(data)}\n`,
    });
    const { mode } = options;
    adapter =
      mode === undefined
        ? dataFile
        : {
            read: async () => {
              const data = await dataFile.read();
              if (data !== null) await chmod(file, mode);
              return data;
            },
            // The write replaces the file (temp + rename), so the mode is set again each time.
            write: async (data) => {
              await dataFile.write(data);
              await chmod(file, mode);
            },
          };
  }
  const db = new Low<T>(adapter, defaults);
  await db.read();
  if (file !== null && db.data === defaults) await db.write();
  db.write = coalesced(db.write.bind(db));
  return db;
}

/**
 * Coalesces writes of a whole document: a write asked for while one runs shares the next one, which starts after it
 * and so carries every change made meanwhile. Each caller still resolves only once its change is on disk, but a
 * burst of changes serialises the document once instead of once per change.
 */
export function coalesced(write: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const p = write().finally(() => {
      if (running === p) running = undefined;
    });
    running = p;
    return p;
  };
  return () => {
    if (!running) return start();
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return start();
      });
    return next;
  };
}
