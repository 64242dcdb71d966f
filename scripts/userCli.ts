/**
 * What the user tools (`user:add`, `user:password`) share: the password from an environment variable, a pipe or a
 * hidden prompt; the configuration; the users file; and exiting with the tools' codes (docs/operations.md).
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import path from 'node:path';
import { type Config, ConfigError, loadConfig } from '../bot/config.js';
import { DataFileError } from '../storage/jsonDb.js';
import { LowdbUserStore, PasswordSchema, UsernameSchema } from '../storage/userStore.js';

/** Reads one line; on a terminal without echoing it. Undefined when the input ends first. */
function readLine(prompt: string, hidden: boolean): Promise<string | undefined> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: hidden });
  return new Promise((resolve) => {
    let answered = false;
    rl.question(prompt, (answer) => {
      answered = true;
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolve(answer);
    });
    // Empty input with no terminal (cron, CI, ssh without -t): the question was never answered, and the script exited
    // 0 having added nobody.
    rl.on('close', () => {
      if (!answered) resolve(undefined);
    });
    muted = hidden;
  });
}

async function readPassword(envName: string, usage: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const none = () => fail(`No password given: set ${envName}, pipe it on standard input, or run this in a terminal.\n${usage}`);
  if (!process.stdin.isTTY) return (await readLine('', false)) ?? none();
  const first = (await readLine('Password: ', true)) ?? none();
  const again = (await readLine('Repeat it: ', true)) ?? none();
  if (first !== again) throw new Error('The two passwords differ.');
  return first;
}

/** The password from `envName`, else a piped line, else asked twice on the terminal; exits 1 when the rules refuse it. */
export async function askPassword(envName: string, usage: string): Promise<string> {
  const secret = PasswordSchema.safeParse(await readPassword(envName, usage));
  if (!secret.success) fail(`The password ${secret.error.issues[0]?.message}.`);
  return secret.data;
}

/** Prints `message` and exits with `code` (2: how the tool was called or configured; 1: anything else). */
export function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

/** The --username argument, lower-cased, or exit 2 saying what is wrong with it. */
export function usernameArg(given: string | undefined, usage: string): string {
  const username = UsernameSchema.safeParse(given ?? '');
  if (!given || !username.success) fail(`--username ${given ? username.error?.issues[0]?.message : 'is required'}\n${usage}`, 2);
  return username.data;
}

/** The configuration, or exit 2 naming what is wrong with it. */
export function toolConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
}

/** The users file of DATA_DIR, or exit 1 when it cannot be read. */
export async function openUsers(config: Config): Promise<{ store: LowdbUserStore; file: string }> {
  const file = path.join(config.DATA_DIR, 'users.json');
  try {
    return { store: await LowdbUserStore.open(file), file };
  } catch (error) {
    if (error instanceof DataFileError) fail(error.message);
    throw error;
  }
}
