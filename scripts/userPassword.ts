/**
 * `npm run user:password -- --username alex` sets a console user's password in DATA_DIR/users.json: for a forgotten
 * password, the only admin's included, where the admin API cannot help. The password comes as for `user:add`. Safe
 * while the server runs: it re-reads the file, and refuses every session the user started before the change.
 * Exit codes: 0 changed, 2 how it was called or configured, 1 anything else (no such user, weak password).
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../storage/clock.js';
import { askPassword, fail, openUsers, toolConfig, usernameArg } from './userCli.js';

const USAGE = 'Usage: npm run user:password -- --username <name> [--password-env VAR]';

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({ options: { username: { type: 'string' }, 'password-env': { type: 'string', default: 'USER_PASSWORD' } }, strict: true }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const username = usernameArg(args.username, USAGE);
  const config = toolConfig();
  const { store, file } = await openUsers(config);
  if (!(await store.get(username))) fail(`No user named "${username}" in ${file}.`);
  const secret = await askPassword(args['password-env']!, USAGE);
  // As the API: a change to the same password would end every session and change nothing.
  if (await store.authenticate(username, secret)) fail(`That is already the password of "${username}": choose another.`);
  if (!(await store.setPassword(username, secret, systemClock.now().toISOString()))) fail(`No user named "${username}" in ${file}.`);
  console.log(`Changed the password of "${username}" in ${file}. Their console sessions have ended: they log in again with it.`);
}

main().catch((error: unknown) => fail(`user:password failed: ${error instanceof Error ? error.message : String(error)}`));
