/**
 * `npm run bench`: the real server and a bare echo bot (same restify + CloudAdapter stack) started as child processes,
 * driven in alternating phases by concurrent simulated customers; prints turns/s, latency percentiles, CPU and RSS
 * of each and the ratio. `--json FILE` writes the figures (a bare `--json` prints them on standard output);
 * `--turns N` adds a long run watching RSS over N turns; `--wrk` also drives both servers with wrk, an independent
 * load generator.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pidusage from 'pidusage';
import { LanguageSchema, PROJECT_ROOT } from '../bot/config.js';
import { NluEngine } from '../nlu/engine.js';
import { argsOrExit, BenchArgsError, emitResults, parseBenchArgs } from './cli.js';
import { HeapProbe } from './heapProbe.js';
import { type LoadResult, loadDemoOrders, runLoad } from './load.js';
import { runWrk, type WrkResult, wrkMissing } from './wrk.js';

const values = argsOrExit('bench', parseBenchArgs);
const PHASE_MS = values.duration * 1000;
const CONCURRENCY = values.concurrency;
const ROUNDS = values.rounds;

interface Proc {
  child: ChildProcess;
  url: string;
  /** The inspector's WebSocket, when started with --inspect. */
  inspector?: string;
}

/**
 * The Node flags `npm start` gives the bot (read from package.json, so the benchmark measures what users run): a
 * 64 MB young generation, which cuts GC time per turn by about a third, and a heap that grows by half rather than up to
 * 4× its live size between full collections, which halves RSS at no measured cost in turns/s. The reference bots run
 * on Node's defaults, which suit them better (the larger young generation doubles the echo bot's p99), so the
 * baseline is measured at its best.
 */
const PRODUCT_NODE_FLAGS = startFlags(JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } });

/** The `--flags` of the start script before `--import`: `node --a=1 --b --import tsx bot/index.ts` → [--a=1, --b]. */
function startFlags(pkg: { scripts: { start: string } }): string[] {
  const words = pkg.scripts.start.split(/\s+/);
  return words.slice(1, words.indexOf('--import')).filter((w) => w.startsWith('--'));
}

/** Starts a TypeScript entry point as a child process and waits for its "listening on" line. */
async function start(entry: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<Proc> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    // info: the server announces its port at that level (and logs nothing per turn).
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(out)?.[1];
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}`, ...(inspector ? { inspector } : {}) });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${entry} exited (${code}) before listening:\n${out}`)));
  });
}

/** Samples a process's CPU (% of one core) and RSS while `work` runs. */
async function sampled<T>(pid: number, work: Promise<T>): Promise<{ result: T; cpu: number; rssMb: number; rssMaxMb: number }> {
  const cpu: number[] = [];
  const rss: number[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      try {
        const s = await pidusage(pid);
        cpu.push(s.cpu);
        rss.push(s.memory / 2 ** 20);
      } catch {
        // process gone: the phase will report its errors
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const result = await work;
  done = true;
  await sampler;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  return { result, cpu: mean(cpu.slice(1)), rssMb: mean(rss), rssMaxMb: Math.max(...rss) };
}

interface Phase {
  load: LoadResult;
  cpu: number;
  rssMb: number;
  rssMaxMb: number;
}

/** Mean requests/s over wrk runs of equal length. */
const meanRate = (runs: WrkResult[]) => runs.reduce((n, r) => n + r.requestsPerSecond, 0) / runs.length;

function combine(phases: Phase[]) {
  const latencies = Float64Array.from(phases.flatMap((p) => p.load.latencies)).sort();
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] as number;
  const turns = phases.reduce((n, p) => n + p.load.turns, 0);
  const seconds = phases.reduce((n, p) => n + p.load.seconds, 0);
  return {
    turns,
    errors: phases.reduce((n, p) => n + p.load.errors, 0),
    turnsPerSecond: turns / seconds,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    cpuPercent: phases.reduce((n, p) => n + p.cpu, 0) / phases.length,
    rssMb: phases.reduce((n, p) => n + p.rssMb, 0) / phases.length,
    rssMaxMb: Math.max(...phases.map((p) => p.rssMaxMb)),
  };
}

async function main(): Promise<void> {
  const missing = values.wrk ? await wrkMissing() : undefined;
  if (missing) throw new BenchArgsError(`--wrk: ${missing}`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-bench-'));
  const orders = await loadDemoOrders();
  // Train (or reuse) the model `npm start` uses, so the server under test starts without training.
  const modelFile = path.join(PROJECT_ROOT, 'data', 'runtime', 'nlu', 'model.json');
  process.stderr.write('preparing the NLU model (trains once if the corpora changed)…\n');
  await NluEngine.create({ languages: LanguageSchema.options, modelFile });
  process.stderr.write('starting the full bot and the echo baseline…\n');
  await mkdir(path.join(dataDir, 'nlu'), { recursive: true });
  await copyFile(modelFile, path.join(dataDir, 'nlu', 'model.json'));

  const full = await start('bot/index.ts', { DATA_DIR: dataDir }, PRODUCT_NODE_FLAGS);
  const echo = await start('bench/echoBot.ts', {});
  // A reference point between the two: what botbuilder's dialogs and state cost before any of our features.
  const dialog = await start('bench/dialogBot.ts', {});
  const phases = { echo: [] as Phase[], dialog: [] as Phase[], full: [] as Phase[] };
  let rssRun:
    | { turns: number; turnsPerSecond: number; rssStartMb: number; rssEndMb: number; rssMaxMb: number; series: number[]; liveHeapSeries: number[] }
    | undefined;
  let longBot: Proc | undefined;
  const wrkRuns = { echo: [] as WrkResult[], full: [] as WrkResult[] };
  try {
    process.stderr.write(`warming up (${CONCURRENCY} customers)…\n`);
    await runLoad({ url: echo.url, concurrency: CONCURRENCY, durationMs: 2000, tag: 'warm-echo', orders });
    await runLoad({ url: dialog.url, concurrency: CONCURRENCY, durationMs: 2000, tag: 'warm-dialog', orders });
    await runLoad({ url: full.url, concurrency: CONCURRENCY, durationMs: 3000, tag: 'warm-full', orders });
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const [name, proc] of [['echo', echo], ['dialog', dialog], ['full', full]] as const) {
        process.stderr.write(`round ${round}/${ROUNDS}: ${name} bot for ${PHASE_MS / 1000} s…\n`);
        const s = await sampled(proc.child.pid as number, runLoad({ url: proc.url, concurrency: CONCURRENCY, durationMs: PHASE_MS, tag: `${name}-${round}`, orders }));
        phases[name].push({ load: s.result, cpu: s.cpu, rssMb: s.rssMb, rssMaxMb: s.rssMaxMb });
      }
    }
    if (values.wrk) {
      // The same two servers under an independent generator, alternating as above.
      for (const proc of [echo, full]) await runWrk(proc.url, CONCURRENCY, 3);
      for (let round = 1; round <= ROUNDS; round += 1) {
        for (const [name, proc] of [['echo', echo], ['full', full]] as const) {
          process.stderr.write(`wrk round ${round}/${ROUNDS}: ${name} bot for ${PHASE_MS / 1000} s…\n`);
          wrkRuns[name].push(await runWrk(proc.url, CONCURRENCY, PHASE_MS / 1000));
        }
      }
    }
    if (values.turns) {
      // A fresh full bot with the inspector open; ten slices, RSS and live heap after each. V8 lets the heap grow
      // when memory is plentiful, so RSS can climb with nothing leaking: the heap still in use after a full
      // collection is what shows a leak (a steady climb) or a warm heap (levelling off).
      full.child.kill('SIGTERM');
      await new Promise((r) => full.child.once('exit', r));
      longBot = await start('bot/index.ts', { DATA_DIR: dataDir }, [...PRODUCT_NODE_FLAGS, '--inspect=127.0.0.1:0']);
      const probe = await HeapProbe.connect(longBot.inspector as string);
      const target = values.turns;
      process.stderr.write(`long run: ${target.toLocaleString('en-US')} turns on a fresh full bot, watching RSS and live heap…\n`);
      const pid = longBot.child.pid as number;
      const rssMb = async () => (await pidusage(pid)).memory / 2 ** 20;
      await runLoad({ url: longBot.url, concurrency: CONCURRENCY, durationMs: 3000, tag: 'warm-long', orders });
      const series = [await rssMb()];
      const liveHeapSeries = [await probe.liveHeapMb()];
      let turns = 0;
      const t0 = performance.now();
      for (let slice = 1; slice <= 10; slice += 1) {
        const r = await runLoad({ url: longBot.url, concurrency: CONCURRENCY, durationMs: 3_600_000, maxTurns: Math.ceil(target / 10), tag: `long-${slice}`, orders });
        turns += r.turns;
        series.push(await rssMb());
        liveHeapSeries.push(await probe.liveHeapMb());
      }
      // The probe's collections pause the bot: the rate counts the slices' own time only approximately.
      const seconds = (performance.now() - t0) / 1000;
      probe.close();
      rssRun = { turns, turnsPerSecond: turns / seconds, rssStartMb: series[0] as number, rssEndMb: series.at(-1) as number, rssMaxMb: Math.max(...series), series, liveHeapSeries };
    }
  } finally {
    full.child.kill('SIGTERM');
    longBot?.child.kill('SIGTERM');
    echo.child.kill('SIGTERM');
    dialog.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await rm(dataDir, { recursive: true, force: true });
  }

  const e = combine(phases.echo);
  const d = combine(phases.dialog);
  const f = combine(phases.full);
  const results = {
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    concurrency: CONCURRENCY,
    phaseSeconds: PHASE_MS / 1000,
    rounds: ROUNDS,
    baseline: e,
    dialogReference: d,
    full: f,
    ratio: f.turnsPerSecond / e.turnsPerSecond,
    dialogReferenceRatio: d.turnsPerSecond / e.turnsPerSecond,
    ...(rssRun ? { longRun: rssRun } : {}),
    ...(values.wrk ? { wrk: { baseline: wrkRuns.echo, full: wrkRuns.full, ratio: meanRate(wrkRuns.full) / meanRate(wrkRuns.echo) } } : {}),
  };
  const row = (name: string, r: typeof e) =>
    `${name.padEnd(10)} ${r.turnsPerSecond.toFixed(0).padStart(7)} ${r.p50Ms.toFixed(1).padStart(7)} ${r.p95Ms.toFixed(1).padStart(7)} ${r.p99Ms.toFixed(1).padStart(7)} ${r.cpuPercent.toFixed(0).padStart(6)}% ${r.rssMb.toFixed(0).padStart(7)} ${String(r.errors).padStart(7)}`;
  const lines = [
    `End-to-end turn benchmark — ${results.machine}`,
    `${CONCURRENCY} concurrent customers, expectReplies, ${ROUNDS} alternating rounds of ${PHASE_MS / 1000} s`,
    '',
    `${'server'.padEnd(10)} ${'turns/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU'.padStart(7)} ${'RSS MB'.padStart(7)} ${'errors'.padStart(7)}`,
    row('echo', e),
    row('dialog ref', d),
    row('full bot', f),
    '',
    `ratio full / echo: ${results.ratio.toFixed(2)}× (target ≥ 0.70×); full-bot p99 ${f.p99Ms.toFixed(1)} ms (target < 50 ms)`,
    `reference: botbuilder dialogs + state alone reach ${results.dialogReferenceRatio.toFixed(2)}× of the echo bot`,
  ];
  if (results.wrk) {
    const rates = (runs: WrkResult[]) => runs.map((r) => `${r.requestsPerSecond.toFixed(0)} req/s (p50 ${r.p50Ms.toFixed(1)}, p99 ${r.p99Ms.toFixed(1)} ms, errors ${r.errors})`).join(', ');
    lines.push(`wrk (independent generator, bench/wrk-turns.lua, ${CONCURRENCY} connections): echo ${rates(wrkRuns.echo)}`);
    lines.push(`  full bot ${rates(wrkRuns.full)}; ratio ${results.wrk.ratio.toFixed(2)}×`);
  }
  if (rssRun) {
    lines.push(`long run: ${rssRun.turns} turns at ${rssRun.turnsPerSecond.toFixed(0)} turns/s; RSS ${rssRun.rssStartMb.toFixed(0)} → ${rssRun.rssEndMb.toFixed(0)} MB (max ${rssRun.rssMaxMb.toFixed(0)})`);
    lines.push(`  RSS after each tenth (MB): ${rssRun.series.map((v) => v.toFixed(0)).join(' ')}`);
    lines.push(`  live heap after a full GC (MB): ${rssRun.liveHeapSeries.map((v) => v.toFixed(0)).join(' ')}`);
  }
  await emitResults(values.json, lines, results);
}

main().catch((error: unknown) => {
  if (error instanceof BenchArgsError) {
    process.stderr.write(`npm run bench: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
