/** lowdb documents validated with zod on load and written atomically (steno: temp file + rename). */
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low, Memory, type Adapter } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { z } from 'zod';

/**
 * What a file is to the bot: a `store` it writes (its data, under DATA_DIR), or a `source` that people edit and the bot
 * only reads (corpora, catalogues, the knowledge base, the orders seed). Moving a store aside starts it empty; moving a
 * source aside loses what it says (a missing catalogue turns Spanish replies into English ones), so the advice differs.
 * The customer-id `key` is neither: a new one would silently change every customer id.
 */
export type DataFileKind = 'store' | 'source' | 'key';

const ADVICE: Record<DataFileKind, string> = {
  store: 'The file was left untouched; fix it, restore it from a backup, or move it aside to start that store empty.',
  source: 'Fix the file and try again.',
  key:
    'Every customer id would change with a new key, so ticket look-ups and erasure by id would no longer find earlier data. ' +
    'Restore the key file from a backup (its text in CUSTOMER_ID_KEY would not give the same ids), set CUSTOMER_ID_KEY ' +
    'again if the bot ran with it, or delete the customer data to start afresh.',
};

/** A data file that exists but cannot be trusted; start-up stops rather than overwrite it. */
export class DataFileError extends Error {
  override name = 'DataFileError';
  constructor(
    readonly file: string,
    detail: string,
    readonly kind: DataFileKind = 'store',
  ) {
    super(`${file}: ${detail}. ${ADVICE[kind]}`);
  }
}

/** Fields that name an item of a list (an intent, a record's id, an order number); errors show them beside its index. */
const NAMING_FIELDS = ['intent', 'id', 'number'];

/** A path into `raw` as people read it: `data[17] (intent "faq.returns").utterances[2]`. */
function describePath(path: readonly PropertyKey[], raw: unknown): string {
  let out = '';
  let at = raw;
  for (const key of path) {
    at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key !== 'number') {
      out += `${out ? '.' : ''}${String(key)}`;
      continue;
    }
    const item = at !== null && typeof at === 'object' ? (at as Record<string, unknown>) : {};
    const field = NAMING_FIELDS.find((f) => typeof item[f] === 'string');
    out += `[${key}]${field ? ` (${field} ${JSON.stringify(item[field])})` : ''}`;
  }
  return out;
}

function describeZodError(error: z.ZodError, raw: unknown): string {
  // A misspelt key explains the missing one beside it: "utterance" is the news, not that "utterances" is absent.
  const first = error.issues.find((issue) => issue.code === 'unrecognized_keys') ?? error.issues[0];
  if (!first) return 'does not match the expected shape';
  const where = first.path.length ? ` at ${describePath(first.path, raw)}` : '';
  const others = error.issues.length - 1;
  const more = others > 0 ? ` (and ${others} more ${others === 1 ? 'problem' : 'problems'})` : '';
  return `invalid data${where}: ${first.message}${more}`;
}

/**
 * A zod check that no two items of a list share a key: the issue names each repeated key, so a duplicate in a file of
 * hundreds of items can be found. `rule` says what is expected ("each intent appears once").
 */
export function uniqueBy<T>(key: (item: T) => string, rule: string): (items: T[], ctx: z.RefinementCtx) => void {
  return (items, ctx) => {
    const seen = new Set<string>();
    const repeated = new Set<string>();
    for (const item of items) (seen.has(key(item)) ? repeated : seen).add(key(item));
    if (repeated.size) ctx.addIssue({ code: 'custom', message: `${rule} (repeated: ${[...repeated].map((k) => JSON.stringify(k)).join(', ')})` });
  };
}

/** Where a document sits in its file, for error messages. */
export interface DocumentOptions {
  /** The line of the file the text starts on, when the text is one line of a larger file (a journal). */
  line?: number;
  /** What the file is, for the advice in errors (default: a store). */
  kind?: DataFileKind;
}

/** Line and column (both counted from 1) of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** JSON.parse's complaint about `text`, or undefined when it parses. */
function jsonComplaint(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const POSITION = /\bat position (\d+)/;
const END_OF_INPUT = /^Unexpected end of JSON input/;

/**
 * The offset at which JSON.parse gave up on `text`. Node 20 names it for most mistakes but not for an unexpected
 * token (a trailing comma, a stray bracket); for that one the shortest prefix that already fails ends on the culprit.
 * A prefix fails there only once it holds the bad character, so a binary search finds it in a few parses.
 */
function syntaxErrorOffset(text: string, message: string): number {
  const at = POSITION.exec(message);
  if (at) return Number(at[1]);
  if (END_OF_INPUT.test(message)) return text.trimEnd().length;
  const failsBefore = (n: number): boolean => {
    const complaint = jsonComplaint(text.slice(0, n));
    if (complaint === undefined || END_OF_INPUT.test(complaint)) return false;
    const position = POSITION.exec(complaint);
    return !position || Number(position[1]) < n;
  };
  let lo = 0;
  let hi = text.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (failsBefore(mid)) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

/** JSON.parse's message reworded to follow a line and column: no offset, no quoted excerpt, no repeated verdict. */
function syntaxReason(text: string, offset: number, message: string): string {
  const reason = message
    .replace(/^Unexpected token '(.+?)', .*$/s, "unexpected '$1'")
    .replace(END_OF_INPUT, text.trim() ? 'the text ends before the JSON is complete' : 'the file is empty')
    .replace(/ (?:in JSON )?at position \d+.*$/s, '')
    .replace(/^\w/, (c) => c.toLowerCase());
  // The mistake people make most in hand-edited files; the parser only sees the bracket after it.
  const trailingComma = /[\]}]/.test(text[offset] ?? '') && text.slice(0, offset).trimEnd().endsWith(',');
  return trailingComma ? `${reason} (JSON allows no comma before a closing bracket)` : reason;
}

/** Parses and validates one JSON document, naming the file (and the line and column of a syntax error) in every error. */
export function parseDocument<T>(file: string, text: string, schema: z.ZodType<T>, options: DocumentOptions = {}): T {
  const firstLine = options.line ?? 1;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = syntaxErrorOffset(text, message);
    const { line, column } = lineAndColumn(text, offset);
    throw new DataFileError(file, `is not valid JSON at line ${firstLine + line - 1}, column ${column}: ${syntaxReason(text, offset, message)}`, options.kind);
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new DataFileError(file, `${options.line ? `line ${options.line}: ` : ''}${describeZodError(result.error, raw)}`, options.kind);
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
