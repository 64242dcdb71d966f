/**
 * `npm run user:add -- --username alex --role agent` adds an agent console user to DATA_DIR/users.json.
 * The password comes from the environment variable named by --password-env (default USER_PASSWORD), else from
 * a piped stdin line, else a hidden prompt (asked twice). Safe to run while the server is up: it re-reads the file.
 * Exit codes: 0 added, 1 refused (name taken, bad input), 65 unreadable users file, 78 bad configuration.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../bot/config.js';
import { systemClock } from '../storage/clock.js';
import { DataFileError } from '../storage/jsonDb.js';
import { LowdbUserStore, PasswordSchema, RoleSchema, UsernameSchema } from '../storage/userStore.js';

const USAGE = 'Usage: npm run user:add -- --username <name> [--role agent|lead|admin] [--password-env VAR]';

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

async function password(envName: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const none = () => fail(`No password given: set ${envName}, pipe it on standard input, or run this in a terminal.\n${USAGE}`);
  if (!process.stdin.isTTY) return (await readLine('', false)) ?? none();
  const first = (await readLine('Password: ', true)) ?? none();
  const again = (await readLine('Repeat it: ', true)) ?? none();
  if (first !== again) throw new Error('The two passwords differ.');
  return first;
}

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: { username: { type: 'string' }, role: { type: 'string', default: 'agent' }, 'password-env': { type: 'string', default: 'USER_PASSWORD' } },
      strict: true,
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const username = UsernameSchema.safeParse(args.username ?? '');
  if (!args.username || !username.success) fail(`--username ${args.username ? username.error?.issues[0]?.message : 'is required'}\n${USAGE}`, 2);
  const role = RoleSchema.safeParse(args.role);
  if (!role.success) fail(`--role must be agent, lead or admin (got "${args.role}")`, 2);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    // Exit codes as every tool's (docs/operations.md): 2 for how it was called or configured, 1 for anything else.
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
  const secret = PasswordSchema.safeParse(await password(args['password-env']!));
  if (!secret.success) fail(`The password ${secret.error.issues[0]?.message}.`);
  const file = path.join(config.DATA_DIR, 'users.json');
  let store;
  try {
    store = await LowdbUserStore.open(file);
  } catch (error) {
    if (error instanceof DataFileError) fail(error.message);
    throw error;
  }
  const user = await store.add(username.data, secret.data, role.data, systemClock.now().toISOString());
  if (!user) fail(`A user named "${username.data}" already exists in ${file}.`);
  console.log(`Added ${user.role} "${user.username}" to ${file}.`);
}

main().catch((error: unknown) => fail(`user:add failed: ${error instanceof Error ? error.message : String(error)}`));
