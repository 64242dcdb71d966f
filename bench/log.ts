/**
 * `npm run bench:log`: what one turn costs the turn log with 0, 100k and 1M turns already logged, the report time
 * at 1M turns (cold and warm roll-ups), and a lowdb array as the baseline the design rejected.
 */
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { JsonlTurnLog, type TurnRecord } from '../storage/turnLog.js';
import { argsOrExit, emitResults, parseLogBenchArgs } from './cli.js';
import { syntheticRecords } from './synthetic.js';

const values = argsOrExit('bench:log', parseLogBenchArgs);
const SAMPLE_TURNS = values.turns;
const MAX = values.max;
const TODAY = new Date().toISOString().slice(0, 10);
const DAYS = 30;
const HERE = path.dirname(fileURLToPath(import.meta.url));

function stats(samples: number[]): { meanUs: number; p50Us: number; p99Us: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { meanUs: s.reduce((a, b) => a + b, 0) / s.length, p50Us: at(0.5), p99Us: at(0.99) };
}

/** Appends `SAMPLE_TURNS` turns (an incoming and an outgoing record each, as the middleware writes them). */
async function measureTurns(log: JsonlTurnLog): Promise<ReturnType<typeof stats>> {
  const samples: number[] = [];
  const gen = syntheticRecords(SAMPLE_TURNS * 2, 1, TODAY, 99);
  for (let i = 0; i < SAMPLE_TURNS; i += 1) {
    const pair = [gen.next().value, gen.next().value].filter(Boolean) as TurnRecord[];
    const t0 = process.hrtime.bigint();
    await log.append(pair);
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return stats(samples);
}

/** Writes synthetic history straight into the day files (fast), so the log holds `count` more turns. */
async function prefill(dir: string, count: number, seed: number): Promise<void> {
  const buffers = new Map<string, string[]>();
  let pending = 0;
  const flush = async () => {
    for (const [day, lines] of buffers) await appendFile(path.join(dir, `${day}.jsonl`), lines.join(''));
    buffers.clear();
    pending = 0;
  };
  for (const r of syntheticRecords(count, DAYS, TODAY, seed)) {
    const day = r.ts.slice(0, 10);
    const list = buffers.get(day) ?? [];
    list.push(`${JSON.stringify(r)}\n`);
    buffers.set(day, list);
    if (++pending >= 50_000) await flush();
  }
  await flush();
}

/** Runs bench/reportOnce.ts in a child process: first report (building or loading roll-ups), then a second one. */
function reportInChild(turnsDir: string, range: { from: string; to: string }): { firstMs: number; secondMs: number; conversations: number; rssMb: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(HERE, 'reportOnce.ts'), turnsDir, range.from, range.to], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as { firstMs: number; secondMs: number; conversations: number; rssMb: number };
}

/** lowdb keeping the log as one array: every turn rewrites the whole file. */
async function lowdbTurnCost(dir: string, existing: number): Promise<ReturnType<typeof stats>> {
  const file = path.join(dir, `lowdb-${existing}.json`);
  const turns = [...syntheticRecords(existing, DAYS, TODAY, 7)];
  await writeFile(file, JSON.stringify({ turns }));
  const db = new Low<{ turns: TurnRecord[] }>(new JSONFile(file), { turns: [] });
  await db.read();
  const gen = syntheticRecords(40, 1, TODAY, 8);
  const samples: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    const t0 = process.hrtime.bigint();
    db.data.turns.push(gen.next().value as TurnRecord, gen.next().value as TurnRecord);
    await db.write();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return stats(samples);
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'cxbot-bench-log-'));
  const turnsDir = path.join(root, 'turns');
  await mkdir(turnsDir, { recursive: true });
  const results: Record<string, unknown> = { machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}` };
  try {
    const log = new JsonlTurnLog(turnsDir);
    const perTurn: Record<string, ReturnType<typeof stats>> = {};
    perTurn['0'] = await measureTurns(log);
    let logged = SAMPLE_TURNS * 2;
    for (const target of [100_000, MAX]) {
      if (target <= logged) continue;
      process.stderr.write(`prefilling the log to ${target.toLocaleString('en-US')} records…\n`);
      await prefill(turnsDir, target - logged, target);
      logged = target;
      perTurn[String(target)] = await measureTurns(log);
      logged += SAMPLE_TURNS * 2;
    }
    await log.close();
    results.perTurn = perTurn;

    // Reports run in fresh processes, as the report command and a restarted server would.
    const range = { from: new Date(Date.now() - DAYS * 86_400_000).toISOString().slice(0, 10), to: TODAY };
    const cold = reportInChild(turnsDir, range);
    const more = new JsonlTurnLog(turnsDir);
    await more.append([...syntheticRecords(2000, 1, TODAY, 5)]);
    await more.close();
    const afterAppend = reportInChild(turnsDir, range);
    results.report = {
      records: logged + 2000,
      conversations: afterAppend.conversations,
      coldBuildMs: cold.firstMs,
      warmInProcessMs: cold.secondMs,
      freshProcessAfterAppendMs: afterAppend.firstMs,
      freshProcessRssMb: afterAppend.rssMb,
    };

    process.stderr.write('measuring the lowdb baseline…\n');
    results.lowdbBaseline = { '0': await lowdbTurnCost(root, 0), '10000': await lowdbTurnCost(root, 10_000), '50000': await lowdbTurnCost(root, 50_000) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }

  const perTurn = results.perTurn as Record<string, ReturnType<typeof stats>>;
  const base = perTurn['0']!;
  const lines = [`Turn log benchmark — ${String(results.machine)}`, '', 'per-turn append (2 records, sequential, awaited):'];
  for (const [n, s] of Object.entries(perTurn)) {
    lines.push(`  ${Number(n).toLocaleString('en-US').padStart(9)} existing records: mean ${s.meanUs.toFixed(0).padStart(5)} µs  p50 ${s.p50Us.toFixed(0).padStart(5)} µs  p99 ${s.p99Us.toFixed(0).padStart(6)} µs  (${(s.meanUs / base.meanUs).toFixed(2)}× empty)`);
  }
  const r = results.report as Record<string, number>;
  lines.push('', `report over ${r.records?.toLocaleString('en-US')} records (${r.conversations?.toLocaleString('en-US')} conversations, ${DAYS} days):`);
  lines.push(`  first report ever (builds the roll-ups from 1M lines): ${r.coldBuildMs?.toFixed(0)} ms`);
  lines.push(`  fresh process, roll-ups on disk, 2,000 records appended since: ${r.freshProcessAfterAppendMs?.toFixed(0)} ms  (RSS ${r.freshProcessRssMb} MB)`);
  lines.push(`  second report in the same process, grouped by day: ${r.warmInProcessMs?.toFixed(0)} ms`);
  const lowdb = results.lowdbBaseline as Record<string, ReturnType<typeof stats>>;
  lines.push('', 'baseline, lowdb array (whole file rewritten per turn):');
  for (const [n, s] of Object.entries(lowdb)) lines.push(`  ${Number(n).toLocaleString('en-US').padStart(9)} existing records: mean ${(s.meanUs / 1000).toFixed(2).padStart(8)} ms  (${(s.meanUs / (lowdb['0']?.meanUs ?? 1)).toFixed(1)}× empty)`);
  const last = perTurn[String(MAX)];
  if (last) lines.push('', `flatness: JSONL turn cost at ${MAX.toLocaleString('en-US')} records is ${(last.meanUs / base.meanUs).toFixed(2)}× the empty-log cost`);
  await emitResults(values.json, lines, results);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
