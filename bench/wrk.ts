/** The independent load generator: wrk (Debian package `wrk`) driving /api/messages with bench/wrk-turns.lua. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../bot/config.js';

const run = promisify(execFile);
const SCRIPT = path.join(PROJECT_ROOT, 'bench', 'wrk-turns.lua');

/** What one wrk run measured. */
export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors, timeouts and non-2xx answers. */
  errors: number;
}

/** Why wrk cannot run here, or undefined when it is on PATH. */
export async function wrkMissing(): Promise<string | undefined> {
  try {
    await run('wrk', ['--version']);
  } catch (error) {
    // `wrk --version` prints its banner and exits 1: only a missing binary is a problem.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'wrk is not installed (Debian: apt-get install wrk)';
  }
  return undefined;
}

/** A wrk duration ("850.00us", "7.13ms", "1.02s", "2.00m") in milliseconds. */
export function wrkMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: unreadable duration "${text}"`);
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(m[1]) * scale;
}

/** Reads wrk's `--latency` report. */
export function parseWrk(output: string): WrkResult {
  const field = (re: RegExp, what: string) => {
    const m = re.exec(output);
    if (!m) throw new Error(`wrk: no ${what} in its output:\n${output}`);
    return m[1] as string;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  return {
    requestsPerSecond: Number(field(/Requests\/sec:\s+([\d.]+)/, 'Requests/sec')),
    p50Ms: wrkMs(field(/^\s+50%\s+(\S+)/m, '50% latency')),
    p99Ms: wrkMs(field(/^\s+99%\s+(\S+)/m, '99% latency')),
    errors: (socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0),
  };
}

/** Runs wrk against `url`'s /api/messages with `connections` connections on two threads. */
export async function runWrk(url: string, connections: number, seconds: number): Promise<WrkResult> {
  const { stdout } = await run('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', SCRIPT, `${url}/api/messages`]);
  return parseWrk(stdout);
}
