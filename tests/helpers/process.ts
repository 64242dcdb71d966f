/** Runs the real server (as `npm start` does) or the terminal chat as a child process, for start-up, shutdown and crash tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT, TEST_MODEL_FILE } from './paths.js';

/** A server (or chat) child process with its collected output. */
export interface ServerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Base URL once "listening" was logged. */
  url(): Promise<string>;
}

/** A fresh data directory that already holds this run's trained NLU model, so start-up does not retrain. */
export async function dataDirWithModel(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-proc-'));
  await placeModel(dir);
  return dir;
}

/** Puts this run's trained model in `dataDir`, owner only as the bot writes it (start-up warns of files others can read). */
export async function placeModel(dataDir: string): Promise<void> {
  await mkdir(path.join(dataDir, 'nlu'), { recursive: true, mode: 0o700 });
  await copyFile(TEST_MODEL_FILE, path.join(dataDir, 'nlu', 'model.json'));
  await chmod(path.join(dataDir, 'nlu', 'model.json'), 0o600);
}

/** Starts `bot/index.ts` with `env` on top of the current environment. */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  return startScript('bot/index.ts', { LOG_FORMAT: 'json', HOST: '127.0.0.1', PORT: '0', ...env }, 'ignore');
}

/** Starts the terminal chat (`bot/chat.ts`, as `npm run chat` does); type into `child.stdin`. */
export function startChatProcess(env: Record<string, string>): ServerProcess {
  return startScript('bot/chat.ts', env, 'pipe');
}

function startScript(script: string, env: Record<string, string>, stdin: 'ignore' | 'pipe'): ServerProcess {
  // As package.json's scripts run them: restify's deprecation warning is noise here too.
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms = 30_000) => {
    const until = Date.now() + ms;
    for (;;) {
      const m = pattern.exec(out);
      if (m) return m;
      if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; output:\n${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return {
    child,
    exited,
    output: () => out,
    waitFor,
    url: async () => `http://127.0.0.1:${(await waitFor(/listening on http:\/\/localhost:(\d+)/))[1]}`,
  };
}
