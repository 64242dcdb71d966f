import { appendFile, cp, mkdir, mkdtemp, readFile, rm, stat, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticRecords } from '../../bench/synthetic.js';
import { RollupIndex } from '../../metrics/rollup.js';
import { decodeFrames, encodeFrame } from '../../metrics/rollupCodec.js';
import type { Piece } from '../../metrics/sessions.js';
import type { TurnRecord } from '../../storage/turnLog.js';

const DAY = '2026-11-24';
const IDLE_MS = 30 * 60_000;
const RANGE = { from: DAY, to: DAY };
// About 285 conversations of seven records, in time order, as the bot writes them.
const RECORDS = [...syntheticRecords(2_000, 1, DAY, 7)];

const roots: string[] = [];
afterAll(async () => Promise.all(roots.map((d) => rm(d, { recursive: true, force: true }))));

async function turnsDir(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'cxbot-rollup-'));
  roots.push(root);
  const dir = path.join(root, 'turns');
  await mkdir(dir);
  return dir;
}

const lines = (records: TurnRecord[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');
const logFile = (dir: string) => path.join(dir, `${DAY}.jsonl`);
const rollupFile = (dir: string) => path.join(dir, '.rollup', `${DAY}.bin`);

/** A late message in an early conversation: within the idle gap it extends a piece, after it a new one starts. */
function followUp(r: TurnRecord, afterMs: number, n: number): TurnRecord {
  return { ...r, id: `${r.id}-late-${n}`, ts: new Date(Date.parse(r.ts) + afterMs).toISOString(), text: 'one more thing', direction: 'in', actor: 'customer' };
}

/** The sessions a fresh process computes from the log alone (no roll-up file). */
async function rebuilt(dir: string): Promise<Piece[]> {
  const copy = await turnsDir();
  await cp(logFile(dir), logFile(copy));
  return new RollupIndex(copy, IDLE_MS).sessions(RANGE);
}

/** The sessions a fresh process computes with the roll-up file as it is on disk. */
const fromFile = (dir: string): Promise<Piece[]> => new RollupIndex(dir, IDLE_MS).sessions(RANGE);

describe('roll-up files', () => {
  it('take a delta of the changed conversations per refresh, and a fresh process reads the same sessions as a rebuild', async () => {
    const dir = await turnsDir();
    const index = new RollupIndex(dir, IDLE_MS);
    await appendFile(logFile(dir), lines(RECORDS.slice(0, 1_500)));
    await index.refresh();
    const base = await readFile(rollupFile(dir));

    // New conversations, plus early ones coming back within and after the idle gap.
    await appendFile(logFile(dir), lines([...RECORDS.slice(1_500), followUp(RECORDS[3]!, 60_000, 1), followUp(RECORDS[10]!, 3 * IDLE_MS, 2)]));
    await index.refresh();
    const grown = await readFile(rollupFile(dir));

    expect(grown.subarray(0, base.length).equals(base)).toBe(true);
    expect(grown.length - base.length).toBeLessThan(base.length / 2);
    expect(decodeFrames(grown).frames.map((f) => f.meta.from)).toEqual([undefined, decodeFrames(base).frames[0]!.meta.size]);
    const expected = await rebuilt(dir);
    expect(expected.length).toBeGreaterThan(250);
    expect(await fromFile(dir)).toEqual(expected);
    expect(await index.sessions(RANGE)).toEqual(expected);
  });

  it('replay stops at a torn delta or one written over another base, and the log is folded again from there', async () => {
    const dir = await turnsDir();
    const index = new RollupIndex(dir, IDLE_MS);
    await appendFile(logFile(dir), lines(RECORDS.slice(0, 1_000)));
    await index.refresh();
    const baseBytes = (await stat(rollupFile(dir))).size;
    await appendFile(logFile(dir), lines(RECORDS.slice(1_000)));
    await index.refresh();
    const expected = await rebuilt(dir);

    await truncate(rollupFile(dir), baseBytes + 10);
    expect(await fromFile(dir)).toEqual(expected);

    // A delta that does not follow on from the base before it (another process's) must not be applied.
    const meta = decodeFrames(await readFile(rollupFile(dir))).frames[0]!.meta;
    const stranger = { ...expected[0]!, conversationId: 'not-in-the-log', customerMessages: 99 };
    await truncate(rollupFile(dir), baseBytes);
    await appendFile(rollupFile(dir), encodeFrame({ ...meta, size: meta.size + 1, from: meta.size + 1 }, [stranger]));
    expect(await fromFile(dir)).toEqual(expected);
  });

  it('two processes refreshing the same day (the server and a report run) leave a file that replays correctly', async () => {
    const dir = await turnsDir();
    const server = new RollupIndex(dir, IDLE_MS);
    const report = new RollupIndex(dir, IDLE_MS);
    const chunks = [RECORDS.slice(0, 700), RECORDS.slice(700, 1_200), RECORDS.slice(1_200, 1_600), RECORDS.slice(1_600)];
    for (const [i, chunk] of chunks.entries()) {
      await appendFile(logFile(dir), lines(chunk));
      await (i % 2 === 0 ? server : report).refresh();
    }
    await server.refresh();
    const expected = await rebuilt(dir);
    expect(await fromFile(dir)).toEqual(expected);
    expect(await server.sessions(RANGE)).toEqual(expected);
    expect(await report.sessions(RANGE)).toEqual(expected);
  });

  it('is rewritten whole once its deltas outgrow its base', async () => {
    const dir = await turnsDir();
    const index = new RollupIndex(dir, IDLE_MS, undefined, 1);
    await appendFile(logFile(dir), lines(RECORDS.slice(0, 300)));
    await index.refresh();
    const frameCounts: number[] = [];
    for (let start = 300; start < RECORDS.length; start += 300) {
      await appendFile(logFile(dir), lines(RECORDS.slice(start, start + 300)));
      await index.refresh();
      frameCounts.push(decodeFrames(await readFile(rollupFile(dir))).frames.length);
    }
    // Each refresh adds about as many pieces as the base holds at first: a delta, then a rewrite, and so on.
    expect(frameCounts).toContain(1);
    expect(Math.max(...frameCounts)).toBeGreaterThan(1);
    expect(await fromFile(dir)).toEqual(await rebuilt(dir));
  });
});
