/**
 * Incremental roll-ups of the turn log: for every day file, the session pieces it holds and how many bytes were
 * read (stored column-wise, see rollupCodec.ts). The log is append-only, so refreshing reads only the bytes added since the last refresh; a report over a
 * million turns then reads a few hundred thousand session pieces instead of every line.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dayFiles, type TurnRecord } from '../storage/turnLog.js';
import { LRUCache } from 'lru-cache';
import { decodeRollup, encodeRollup } from './rollupCodec.js';
import { addToPieces, assembleSessions, type Piece } from './sessions.js';

/** Bump when Piece or the cut rule changes: older roll-ups are rebuilt. */
const ROLLUP_VERSION = 4;

interface DayRollup {
  v: number;
  idleMs: number;
  /** Bytes of the day file folded in (always at a line boundary). */
  size: number;
  /** Each conversation's pieces in this day file, in order; the last may still grow. */
  pieces: Map<string, Piece[]>;
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

  private async load(day: string): Promise<DayRollup> {
    const cached = this.cache.get(day);
    if (cached) return cached;
    const empty: DayRollup = { v: ROLLUP_VERSION, idleMs: this.idleMs, size: 0, pieces: new Map() };
    try {
      const stored = decodeRollup(await readFile(path.join(this.dir, `${day}.bin`)));
      if (!stored || stored.meta.v !== ROLLUP_VERSION || stored.meta.idleMs !== this.idleMs) return empty;
      const pieces = new Map<string, Piece[]>();
      for (const p of stored.pieces) {
        const list = pieces.get(p.conversationId);
        if (list) list.push(p);
        else pieces.set(p.conversationId, [p]);
      }
      return { ...stored.meta, pieces };
    } catch {
      return empty; // absent or torn: a roll-up is a cache, rebuilt from the log
    }
  }

  private async refreshDay(day: string): Promise<void> {
    const file = path.join(this.turnsDir, `${day}.jsonl`);
    let rollup = await this.load(day);
    const { size } = await stat(file);
    if (size < rollup.size) rollup = { v: ROLLUP_VERSION, idleMs: this.idleMs, size: 0, pieces: new Map() }; // rewritten (retention, erasure)
    if (size === rollup.size) {
      this.cache.set(day, rollup);
      return;
    }
    const consumed = await this.fold(file, rollup.size, rollup.pieces);
    rollup.size += consumed;
    this.cache.set(day, rollup);
    await mkdir(this.dir, { recursive: true });
    const target = path.join(this.dir, `${day}.bin`);
    await writeFile(`${target}.tmp`, encodeRollup({ v: rollup.v, idleMs: rollup.idleMs, size: rollup.size }, [...rollup.pieces.values()].flat()));
    await rename(`${target}.tmp`, target);
  }

  /** Reads whole lines from `start`, adds their records to `pieces`; returns the bytes consumed. */
  private async fold(file: string, start: number, pieces: Map<string, Piece[]>): Promise<number> {
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
