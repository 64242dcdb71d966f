/**
 * Incremental roll-ups of the turn log: for every day file, the session pieces it holds and how many bytes were
 * read (stored column-wise, see rollupCodec.ts). The log is append-only, so refreshing reads only the bytes added
 * since the last refresh, and the roll-up file takes only the conversations those bytes changed; a report over a
 * million turns then reads a few hundred thousand session pieces instead of every line.
 */
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dayFiles, type TurnRecord } from '../storage/turnLog.js';
import { LRUCache } from 'lru-cache';
import { decodeFrames, encodeFrame } from './rollupCodec.js';
import { addToPieces, assembleSessions, type Piece } from './sessions.js';

/** Bump when Piece, the cut rule or the file format changes: older roll-ups are rebuilt. */
const ROLLUP_VERSION = 7;

/** Delta pieces a roll-up file may hold before it is rewritten whole, at least (else: as many as its base holds). */
const COMPACT_AFTER_PIECES = 10_000;

interface DayRollup {
  v: number;
  idleMs: number;
  /** Bytes of the day file folded in (always at a line boundary). */
  size: number;
  /** Each conversation's pieces in this day file, in order; the last may still grow. */
  pieces: Map<string, Piece[]>;
  /** What the roll-up file holds when it is exactly this roll-up's frames, so a delta can be appended to it. */
  file?: { bytes: number; basePieces: number; deltaPieces: number };
}

const emptyRollup = (idleMs: number): DayRollup => ({ v: ROLLUP_VERSION, idleMs, size: 0, pieces: new Map() });

/** Pieces grouped by conversation, in order. */
function byConversation(pieces: Piece[]): Map<string, Piece[]> {
  const out = new Map<string, Piece[]>();
  for (const p of pieces) {
    const list = out.get(p.conversationId);
    if (list) list.push(p);
    else out.set(p.conversationId, [p]);
  }
  return out;
}


/** Keeps `<turnsDir>/.rollup/<day>.bin` up to date with `<turnsDir>/<day>.jsonl`. */
export class RollupIndex {
  private readonly dir: string;
  /**
   * Recently used days in memory, bounded by the number of conversation pieces they hold (roughly 1 kB each);
   * days beyond are read back from their roll-up files when a report needs them.
   */
  private readonly cache = new LRUCache<string, DayRollup>({
    maxSize: 200_000,
    sizeCalculation: (r) => Math.max(1, [...r.pieces.values()].reduce((n, list) => n + list.length, 0)),
  });
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly turnsDir: string,
    private readonly idleMs: number,
    private readonly warn: (message: string, detail?: Record<string, unknown>) => void = () => undefined,
    private readonly compactAfterPieces = COMPACT_AFTER_PIECES,
  ) {
    this.dir = path.join(turnsDir, '.rollup');
  }

  /** Day files present (YYYY-MM-DD), oldest first. */
  days(): Promise<string[]> {
    return dayFiles(this.turnsDir);
  }

  /** Folds new bytes of the given days (default: all) into their roll-ups. Concurrent calls share one pass. */
  async refresh(days?: string[]): Promise<void> {
    while (this.refreshing) await this.refreshing;
    this.refreshing = (async () => {
      for (const day of days ?? (await this.days())) await this.refreshDay(day);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /**
   * A day's roll-up from memory or its file: the base frame, then each delta that follows on from the frame before.
   * A torn frame, or a delta written on top of another base (a second process refreshing the same day), ends the
   * replay there; the log is folded again from that point.
   */
  private async load(day: string): Promise<DayRollup> {
    const cached = this.cache.get(day);
    if (cached) return cached;
    let buf: Buffer;
    try {
      buf = await readFile(path.join(this.dir, `${day}.bin`));
    } catch {
      return emptyRollup(this.idleMs); // absent: a roll-up is a cache, rebuilt from the log
    }
    const { frames, bytes } = decodeFrames(buf);
    let rollup: DayRollup | undefined;
    let applied = 0;
    let basePieces = 0;
    let deltaPieces = 0;
    for (const { meta, pieces } of frames) {
      if (meta.v !== ROLLUP_VERSION || meta.idleMs !== this.idleMs) break;
      if (meta.from === undefined) {
        rollup = { v: ROLLUP_VERSION, idleMs: this.idleMs, size: meta.size, pieces: byConversation(pieces) };
        basePieces = pieces.length;
        deltaPieces = 0;
      } else if (rollup && meta.from === rollup.size) {
        for (const [id, list] of byConversation(pieces)) rollup.pieces.set(id, list);
        rollup.size = meta.size;
        deltaPieces += pieces.length;
      } else {
        break;
      }
      applied += 1;
    }
    if (!rollup) return emptyRollup(this.idleMs);
    // Only a file read to its end, every frame applied, can take more deltas; anything else is rewritten whole.
    if (applied === frames.length && bytes === buf.length) rollup.file = { bytes, basePieces, deltaPieces };
    return rollup;
  }

  private async refreshDay(day: string): Promise<void> {
    const file = path.join(this.turnsDir, `${day}.jsonl`);
    let rollup = await this.load(day);
    const { size } = await stat(file);
    if (size < rollup.size) rollup = emptyRollup(this.idleMs); // rewritten (retention, erasure)
    if (size === rollup.size) {
      this.cache.set(day, rollup);
      return;
    }
    const from = rollup.size;
    const changed = new Set<string>();
    const consumed = await this.fold(file, from, rollup.pieces, changed);
    rollup.size += consumed;
    this.cache.set(day, rollup);
    if (consumed > 0) await this.persist(day, rollup, from, changed);
  }

  /**
   * Brings the day's roll-up file up to date: appends a delta of the changed conversations when the file still holds
   * exactly this roll-up's frames, else (or once the deltas outgrow the base) writes it whole.
   */
  private async persist(day: string, rollup: DayRollup, from: number, changed: Set<string>): Promise<void> {
    const target = path.join(this.dir, `${day}.bin`);
    const meta = { v: rollup.v, idleMs: rollup.idleMs, size: rollup.size };
    const file = rollup.file;
    rollup.file = undefined; // until the write below is known to be whole
    if (file) {
      const delta = [...changed].flatMap((id) => rollup.pieces.get(id) ?? []);
      const withinBound = file.deltaPieces + delta.length <= Math.max(file.basePieces, this.compactAfterPieces);
      // Another process (a report run beside the server) may have replaced the file since.
      const onDisk = withinBound ? await stat(target).then((s) => s.size, () => -1) : -1;
      if (onDisk === file.bytes) {
        const frame = encodeFrame({ ...meta, from }, delta);
        await appendFile(target, frame);
        rollup.file = { bytes: file.bytes + frame.length, basePieces: file.basePieces, deltaPieces: file.deltaPieces + delta.length };
        return;
      }
    }
    const all = [...rollup.pieces.values()].flat();
    const frame = encodeFrame(meta, all);
    // Only a whole write can meet a missing directory: an append found its file in place.
    await mkdir(this.dir, { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, frame);
    await rename(temporary, target);
    rollup.file = { bytes: frame.length, basePieces: all.length, deltaPieces: 0 };
  }

  /** Reads whole lines from `start`, adds their records to `pieces` and their conversations to `changed`; returns the bytes consumed. */
  private async fold(file: string, start: number, pieces: Map<string, Piece[]>, changed: Set<string>): Promise<number> {
    let consumed = 0;
    let carry: Buffer = Buffer.alloc(0);
    let skipped = 0;
    for await (const chunk of createReadStream(file, { start, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let lineStart = 0;
      for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, lineStart)) {
        const line = buf.toString('utf8', lineStart, i);
        lineStart = i + 1;
        if (!line.trim()) continue;
        let r: TurnRecord;
        try {
          r = JSON.parse(line) as TurnRecord;
        } catch {
          skipped += 1; // a torn line from a crash: the records around it still count
          continue;
        }
        if (typeof r?.conversationId !== 'string' || typeof r.ts !== 'string') {
          skipped += 1;
          continue;
        }
        let list = pieces.get(r.conversationId);
        if (!list) pieces.set(r.conversationId, (list = []));
        addToPieces(list, r, this.idleMs);
        changed.add(r.conversationId);
      }
      consumed += lineStart;
      carry = buf.subarray(lineStart);
    }
    // A last line without its newline may still be being written: it is read on the next refresh.
    if (skipped) this.warn('Skipped unreadable turn log lines while rolling up', { file, skipped });
    return consumed;
  }

  /** Sessions whose pieces lie in days [from, to] (YYYY-MM-DD); refreshes those days first. */
  async sessions(range: { from: string; to: string }): Promise<Piece[]> {
    const days = (await this.days()).filter((d) => d >= range.from && d <= range.to);
    await this.refresh(days);
    const byDay: Piece[][] = [];
    for (const day of days) byDay.push([...(await this.load(day)).pieces.values()].flat());
    return assembleSessions(byDay, this.idleMs);
  }

  /** Days whose log file holds records of `conversationId` (the log has no index; the roll-ups know). */
  async daysOf(conversationId: string, range: { from?: string; to?: string } = {}): Promise<string[]> {
    const days = (await this.days()).filter((d) => (!range.from || d >= range.from) && (!range.to || d <= range.to));
    await this.refresh(days);
    const out: string[] = [];
    for (const day of days) if ((await this.load(day)).pieces.has(conversationId)) out.push(day);
    return out;
  }

  /** Forgets cached roll-ups (after the log was rewritten by retention or erasure). */
  invalidate(): void {
    this.cache.clear();
  }
}
