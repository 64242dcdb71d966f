/**
 * `npm run user:add -- --username alex --role agent` adds an agent console user to DATA_DIR/users.json.
 * The password comes from the environment variable named by --password-env (default USER_PASSWORD), else from
 * a piped stdin line, else a hidden prompt (asked twice). Safe to run while the server is up: it re-reads the file.
 * Exit codes: 0 added, 2 how it was called or configured, 1 anything else (name taken, weak password, unreadable file).
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../storage/clock.js';
import { RoleSchema } from '../storage/userStore.js';
import { askPassword, fail, openUsers, toolConfig, usernameArg } from './userCli.js';

const USAGE = 'Usage: npm run user:add -- --username <name> [--role agent|lead|admin] [--password-env VAR]';

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
  const username = usernameArg(args.username, USAGE);
  const role = RoleSchema.safeParse(args.role);
  if (!role.success) fail(`--role must be agent, lead or admin (got "${args.role}")`, 2);
  const config = toolConfig();
  const secret = await askPassword(args['password-env']!, USAGE);
  const { store, file } = await openUsers(config);
  const user = await store.add(username, secret, role.data, systemClock.now().toISOString());
  if (!user) fail(`A user named "${username}" already exists in ${file}.`);
  console.log(`Added ${user.role} "${user.username}" to ${file}.`);
}

main().catch((error: unknown) => fail(`user:add failed: ${error instanceof Error ? error.message : String(error)}`));
