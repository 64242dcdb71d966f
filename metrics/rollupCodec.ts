/**
 * The roll-up file format: session pieces stored column by column as Float64 values (strings through small
 * dictionaries), so a fresh process loads a day of pieces with one read and no parsing of the numbers.
 *
 * A file is a sequence of frames, each `u32 segment length | segment`, and a segment is
 *
 *   "CXR2" | u32 header length | header JSON | u32 ids length | ids text (conversation and customer ids, one per
 *   line) | padding to 8 bytes | NUMERIC.length columns × count Float64 values (NaN = null)
 *
 * The first frame is a base (every piece of the day); later frames are deltas (every piece of the conversations that
 * changed), appended so that keeping a busy day's file current costs what changed rather than the whole day.
 */
import type { Piece } from './sessions.js';

const MAGIC = 'CXR2';

/** Numeric (and boolean) fields, stored as Float64 columns. */
const NUMERIC = [
  'firstAt', 'lastAt', 'firstCustomerAt', 'lastCustomerAt', 'firstBotReplyAt', 'firstBotAt', 'customerMessages',
  'engagedMessages', 'fallbackTurns', 'sentimentSum', 'sentimentCount', 'lastBotAt', 'resolvedAt', 'feedbackYes',
  'feedbackNo', 'csat', 'nps', 'handoffResolvedAt', 'startsWithCustomer', 'surveyOffered', 'ending',
] as const;
/** Low-cardinality string fields, stored as dictionary indexes. */
const CODED = ['channel', 'locale', 'startDialog', 'topic', 'lastBotOutcome'] as const;

/** What a roll-up file holds besides the pieces. */
export interface RollupMeta {
  v: number;
  idleMs: number;
  size: number;
  /** On a delta frame: the size the frame before it ended at (a delta applies only on top of exactly that). */
  from?: number;
}

interface Header extends RollupMeta {
  count: number;
  dicts: Record<(typeof CODED)[number], string[]>;
  /** Handoff ids of the pieces that have any, by piece index. */
  handoffs: Record<string, string[]>;
}

const toNum = (v: number | boolean | null): number => (v === null ? Number.NaN : typeof v === 'boolean' ? (v ? 1 : 0) : v);
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** Serialises pieces (in order) with their roll-up metadata. */
export function encodeRollup(meta: RollupMeta, pieces: Piece[]): Buffer {
  const count = pieces.length;
  const dicts = Object.fromEntries(CODED.map((f) => [f, [] as string[]])) as Header['dicts'];
  const index = Object.fromEntries(CODED.map((f) => [f, new Map<string, number>()])) as Record<(typeof CODED)[number], Map<string, number>>;
  const code = (field: (typeof CODED)[number], value: string | null): number => {
    if (value === null) return Number.NaN;
    let i = index[field].get(value);
    if (i === undefined) {
      i = dicts[field].length;
      dicts[field].push(value);
      index[field].set(value, i);
    }
    return i;
  };
  const columns = new Float64Array((NUMERIC.length + CODED.length) * count);
  const handoffs: Record<string, string[]> = {};
  pieces.forEach((p, i) => {
    NUMERIC.forEach((f, c) => (columns[c * count + i] = toNum(p[f])));
    CODED.forEach((f, c) => (columns[(NUMERIC.length + c) * count + i] = code(f, p[f])));
    if (p.handoffIds.length) handoffs[i] = p.handoffIds;
  });
  const header = Buffer.from(JSON.stringify({ ...meta, count, dicts, handoffs } satisfies Header));
  const ids = Buffer.from(pieces.flatMap((p) => [p.conversationId, p.customerId]).join('\n'));
  const before = 4 + 4 + header.length + 4 + ids.length;
  const pad = (8 - (before % 8)) % 8;
  const out = Buffer.alloc(before + pad + columns.byteLength);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  out.writeUInt32LE(ids.length, 8 + header.length);
  ids.copy(out, 12 + header.length);
  Buffer.from(columns.buffer).copy(out, before + pad);
  return out;
}

/** Reads a roll-up file; undefined when it is not one (torn, foreign, older format). */
export function decodeRollup(buf: Buffer): { meta: RollupMeta; pieces: Piece[] } | undefined {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== MAGIC) return undefined;
  try {
    const headerLength = buf.readUInt32LE(4);
    const h = JSON.parse(buf.toString('utf8', 8, 8 + headerLength)) as Header;
    const idsLength = buf.readUInt32LE(8 + headerLength);
    const ids = buf.toString('utf8', 12 + headerLength, 12 + headerLength + idsLength).split('\n');
    const before = 12 + headerLength + idsLength;
    const start = before + ((8 - (before % 8)) % 8);
    const n = h.count;
    const width = NUMERIC.length + CODED.length;
    if (buf.length < start + width * n * 8 || (n > 0 && ids.length !== 2 * n)) return undefined;
    // Copy into an aligned buffer: Float64Array needs 8-byte alignment of its offset.
    const col = new Float64Array(width * n);
    Buffer.from(col.buffer).set(buf.subarray(start, start + width * n * 8));
    const num = (field: number, i: number) => col[field * n + i] as number;
    const dict = (c: number, i: number): string | null => {
      const v = col[(NUMERIC.length + c) * n + i] as number;
      return Number.isNaN(v) ? null : (h.dicts[CODED[c] as (typeof CODED)[number]][v] as string);
    };
    const pieces: Piece[] = new Array(n);
    for (let i = 0; i < n; i += 1) {
      pieces[i] = {
        conversationId: ids[2 * i] as string,
        channel: dict(0, i) as string,
        locale: dict(1, i) as string,
        customerId: ids[2 * i + 1] as string,
        firstAt: num(0, i),
        lastAt: num(1, i),
        startsWithCustomer: num(18, i) === 1,
        startDialog: dict(2, i),
        firstCustomerAt: orNull(num(2, i)),
        lastCustomerAt: orNull(num(3, i)),
        firstBotReplyAt: orNull(num(4, i)),
        firstBotAt: orNull(num(5, i)),
        customerMessages: num(6, i),
        engagedMessages: num(7, i),
        fallbackTurns: num(8, i),
        topic: dict(3, i),
        sentimentSum: num(9, i),
        sentimentCount: num(10, i),
        lastBotOutcome: dict(4, i),
        lastBotAt: orNull(num(11, i)),
        resolvedAt: orNull(num(12, i)),
        feedbackYes: num(13, i),
        feedbackNo: num(14, i),
        surveyOffered: num(19, i) === 1,
        csat: orNull(num(15, i)),
        nps: orNull(num(16, i)),
        ending: num(20, i) === 1,
        handoffIds: h.handoffs[i] ?? [],
        handoffResolvedAt: orNull(num(17, i)),
      };
    }
    return { meta: { v: h.v, idleMs: h.idleMs, size: h.size, ...(typeof h.from === 'number' ? { from: h.from } : {}) }, pieces };
  } catch {
    return undefined;
  }
}

/** One frame of a roll-up file: the segment's length, then the segment. */
export function encodeFrame(meta: RollupMeta, pieces: Piece[]): Buffer {
  const segment = encodeRollup(meta, pieces);
  const out = Buffer.alloc(4 + segment.length);
  out.writeUInt32LE(segment.length, 0);
  segment.copy(out, 4);
  return out;
}

/** The frames of a roll-up file, in order, up to the first torn or unreadable one; `bytes` is where they end. */
export function decodeFrames(buf: Buffer): { frames: { meta: RollupMeta; pieces: Piece[] }[]; bytes: number } {
  const frames: { meta: RollupMeta; pieces: Piece[] }[] = [];
  let at = 0;
  while (at + 4 <= buf.length) {
    const length = buf.readUInt32LE(at);
    if (at + 4 + length > buf.length) break;
    const frame = decodeRollup(buf.subarray(at + 4, at + 4 + length));
    if (!frame) break;
    frames.push(frame);
    at += 4 + length;
  }
  return { frames, bytes: at };
}
