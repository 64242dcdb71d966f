import type { FileHandle } from 'node:fs/promises';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlTurnLog, type TurnRecord } from '../../storage/turnLog.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'cxbot-turnlog-'));
  dirs.push(d);
  return d;
}
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

let n = 0;
function record(ts: string, over: Partial<TurnRecord> = {}): TurnRecord {
  n += 1;
  return {
    id: `r${n}`,
    ts,
    conversationId: 'c1',
    channel: 'webchat',
    locale: 'en',
    direction: 'in',
    customerId: 'c_1',
    actor: 'customer',
    text: `hello ${n}`,
    intent: 'greeting',
    score: 0.9,
    entities: {},
    sentiment: { score: 0, label: 'neutral' },
    dialog: 'smallTalk',
    outcome: 'answered',
    latencyMs: 3,
    ...over,
  };
}

async function all(log: JsonlTurnLog, range?: { from?: string; to?: string }): Promise<TurnRecord[]> {
  const out: TurnRecord[] = [];
  for await (const r of log.read(range)) out.push(r);
  return out;
}

describe('JSON Lines turn log', () => {
  it('appends to one file per UTC day and reads a date range back in order', async () => {
    const log = new JsonlTurnLog(await tempDir());
    await log.append([record('2026-11-24T23:59:59.000Z'), record('2026-11-25T00:00:00.000Z')]);
    await log.append([record('2026-11-25T08:00:00.000Z')]);
    expect(await log.days()).toEqual(['2026-11-24', '2026-11-25']);
    expect((await all(log, { from: '2026-11-25' })).map((r) => r.ts)).toEqual(['2026-11-25T00:00:00.000Z', '2026-11-25T08:00:00.000Z']);
    await log.close();
  });

  it('lists no days before its directory exists, and reports a directory it cannot list', async () => {
    const root = await tempDir();
    expect(await new JsonlTurnLog(path.join(root, 'not-yet')).days()).toEqual([]);
    const notADirectory = path.join(root, 'file');
    await appendFile(notADirectory, 'x');
    await expect(new JsonlTurnLog(notADirectory).days()).rejects.toThrow(/ENOTDIR/);
  });

  it('group-commits concurrent appends: all land, each exactly once', async () => {
    const dir = await tempDir();
    const log = new JsonlTurnLog(dir);
    await Promise.all(Array.from({ length: 500 }, (_, i) => log.append([record(`2026-11-25T10:00:${String(i % 60).padStart(2, '0')}.000Z`, { id: `g${i}` })])));
    const ids = (await all(log)).map((r) => r.id);
    expect(ids).toHaveLength(500);
    expect(new Set(ids).size).toBe(500);
    await log.close();
  });

  // A full disk cut a write short: the retry wrote the records whole, after half of one that stayed in the file for good.
  it('cuts a write that failed half-way back off the file before retrying, so no torn line is left inside it', async () => {
    const dir = await tempDir();
    const log = new JsonlTurnLog(dir);
    await log.append([record('2026-11-25T10:00:00.000Z', { id: 'before' })]);
    const handles = (log as unknown as { handles: Map<string, FileHandle> }).handles;
    const handle = handles.get('2026-11-25')!;
    handle.appendFile = async (data) => {
      await handle.write(String(data).slice(0, 40));
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    };
    await log.append([record('2026-11-25T10:00:01.000Z', { id: 'during' })]);
    await log.close();
    const lines = (await readFile(path.join(dir, '2026-11-25.jsonl'), 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => (JSON.parse(l) as TurnRecord).id)).toEqual(['before', 'during']);
  });

  it('skips a torn last line (and a corrupt one) with a warning, keeping every whole record', async () => {
    const dir = await tempDir();
    const warnings: string[] = [];
    const log = new JsonlTurnLog(dir, { onWarning: (m) => warnings.push(m) });
    await log.append([record('2026-11-25T10:00:00.000Z', { id: 'whole-1' }), record('2026-11-25T10:00:01.000Z', { id: 'whole-2' })]);
    await log.flush();
    const file = path.join(dir, '2026-11-25.jsonl');
    await appendFile(file, 'not json at all\n{"id":"torn","ts":"2026-11-25T10:0');
    expect((await all(log)).map((r) => r.id)).toEqual(['whole-1', 'whole-2']);
    expect(warnings.filter((w) => /torn or corrupt/.test(w))).toHaveLength(2);
    // Appending after a torn tail starts on a fresh line, so the next record is readable.
    const reopened = new JsonlTurnLog(dir, { onWarning: () => undefined });
    await reopened.append([record('2026-11-25T10:00:02.000Z', { id: 'after' })]);
    expect((await all(reopened)).map((r) => r.id)).toEqual(['whole-1', 'whole-2', 'after']);
    expect((await readFile(file, 'utf8')).endsWith('\n')).toBe(true);
    await log.close();
    await reopened.close();
  });

  it('reports an unwritable directory on health instead of throwing at the caller', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'not-a-dir');
    await appendFile(file, 'x');
    const log = new JsonlTurnLog(file, { writeTimeoutMs: 100, onWarning: () => undefined });
    await log.append([record('2026-11-25T10:00:00.000Z')]); // returns after the bound, never hangs the turn
    expect(log.health().ok).toBe(false);
  });

  it("reads one conversation through its index: the same records as a scan, without touching other lines", async () => {
    const dir = await tempDir();
    const warnings: string[] = [];
    const first = new JsonlTurnLog(dir, { onWarning: () => undefined });
    const conversations = ['a', 'b', 'q"uote\\d', 'ü-multibyte'];
    // Two days, interleaved conversations, multi-byte text so byte offsets differ from string offsets, an id with escapes.
    for (let i = 0; i < 40; i += 1) {
      const day = i < 20 ? '2026-11-24' : '2026-11-25';
      await first.append([record(`${day}T10:00:${String(i % 60).padStart(2, '0')}.000Z`, { id: `x${i}`, conversationId: conversations[i % 4]!, text: i % 3 ? 'plain' : '订单 سفارش 😀' })]);
    }
    await first.close();
    // Lines written before this process opened the file, a corrupt line of someone else, and a torn tail.
    await appendFile(path.join(dir, '2026-11-25.jsonl'), 'not json at all\n{"id":"torn","conversationId":"a","ts":"2026-11-25T10:0');
    const log = new JsonlTurnLog(dir, { onWarning: (m) => warnings.push(m) });
    await log.append([record('2026-11-25T11:00:00.000Z', { id: 'after-a', conversationId: 'a' })]);
    const scan = async (id: string) => (await all(log)).filter((r) => r.conversationId === id).map((r) => r.id);
    for (const id of conversations) {
      expect((await log.conversation(id)).map((r) => r.id)).toEqual(await scan(id));
    }
    expect((await log.conversation('a', { from: '2026-11-25' })).map((r) => r.id)).toEqual(['x20', 'x24', 'x28', 'x32', 'x36', 'after-a']);
    expect(await log.conversation('nobody')).toEqual([]);
    // Once today's file is indexed (a background scan of the lines that predate this process), reading one
    // conversation of today no longer passes the corrupt line.
    await expect
      .poll(async () => {
        warnings.length = 0;
        await log.conversation('b', { from: '2026-11-25' });
        return warnings.length;
      })
      .toBe(0);
    await log.append([record('2026-11-25T11:00:01.000Z', { id: 'after-b', conversationId: 'b' })]);
    expect((await log.conversation('b', { from: '2026-11-25' })).map((r) => r.id)).toEqual(['x21', 'x25', 'x29', 'x33', 'x37', 'after-b']);
    // An erasure rewrites the files: the index is dropped with them and nothing stale is read.
    await log.removeWhere((r) => r?.id === 'x24');
    expect((await log.conversation('a')).map((r) => r.id)).toEqual(await scan('a'));
    expect((await log.conversation('a')).map((r) => r.id)).not.toContain('x24');
    await log.close();
  });

  it('keeps the index within its bound: the quietest conversations drop out and are read by a scan, never half', async () => {
    const dir = await tempDir();
    const day = '2026-11-25';
    // A corrupt line of someone else: a scan of the file passes it and warns, an indexed read does not.
    await appendFile(path.join(dir, `${day}.jsonl`), `not json at all\n${JSON.stringify(record(`${day}T09:00:00.000Z`, { id: 'early', conversationId: 'early' }))}\n`);
    const warnings: string[] = [];
    const log = new JsonlTurnLog(dir, { indexConversations: 2, onWarning: (m) => warnings.push(m) });
    const say = (conversationId: string, id: string) => log.append([record(`${day}T10:00:00.000Z`, { id, conversationId })]);
    const read = async (conversationId: string) => {
      warnings.length = 0;
      const ids = (await log.conversation(conversationId)).map((r) => r.id);
      return { ids, scanned: warnings.length > 0 };
    };
    await say('a', 'a1');
    // The lines that predate this process are indexed in the background; then 'a' reads without a scan.
    await expect.poll(async () => (await read('a')).scanned).toBe(false);
    await say('b', 'b1');
    await say('a', 'a2'); // 'a' is the newest again, 'early' the quietest
    await say('c', 'c1'); // three conversations over a bound of two: 'early', then 'b', drop out
    expect(await read('c')).toEqual({ ids: ['c1'], scanned: false });
    expect(await read('a')).toEqual({ ids: ['a1', 'a2'], scanned: false });
    expect(await read('b')).toEqual({ ids: ['b1'], scanned: true });
    expect(await read('early')).toEqual({ ids: ['early'], scanned: true });
    // 'b' comes back: the index has only its new line, so its reads still scan and find both.
    await say('b', 'b2');
    expect(await read('b')).toEqual({ ids: ['b1', 'b2'], scanned: true });
    // A conversation never seen is not in the file: the index says so without a scan.
    expect(await read('never-seen')).toEqual({ ids: [], scanned: false });
    await log.close();
  });

  it('a reader sees every record appended before it without waiting for the ones that keep arriving', async () => {
    const log = new JsonlTurnLog(await tempDir());
    let k = 0;
    let busy = true;
    // Steady load: new records on every turn of the event loop, so the write queue is never empty.
    const spam = () => {
      if (!busy) return;
      void log.append([record('2026-11-25T12:00:00.000Z', { id: `busy-${(k += 1)}`, conversationId: 'busy' })]);
      setImmediate(spam);
    };
    spam();
    try {
      await new Promise((r) => setTimeout(r, 50));
      void log.append([record('2026-11-25T12:00:01.000Z', { id: 'mine', conversationId: 'mine' })]);
      expect((await log.conversation('mine')).map((r) => r.id)).toEqual(['mine']);
      const seen: string[] = [];
      void log.append([record('2026-11-25T12:00:02.000Z', { id: 'mine-2', conversationId: 'mine' })]);
      for await (const r of log.read()) if (r.conversationId === 'mine') seen.push(r.id);
      expect(seen).toEqual(['mine', 'mine-2']);
    } finally {
      busy = false;
      await log.close();
    }
  }, 10_000);
});
