/**
 * One writer per data directory: a pid file that every process writing the directory (the server, the terminal chat,
 * the offline tools) takes before it opens the stores, and that a second one checks first. Without it the second one
 * got as far as LevelDB's own lock and stopped with that raw error.
 */
import { lstat, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The lock file's path. */
export function lockFile(dataDir: string): string {
  return path.join(dataDir, 'server.pid');
}

/** The live process holding a data directory, and how it was started when it said so ("npm run chat"). */
export interface LockHolder {
  pid: number;
  program?: string;
}

/** "npm run chat, pid 4242", or "pid 4242" for a holder that did not say what it is. */
export function describeHolder(holder: LockHolder): string {
  return holder.program ? `${holder.program}, pid ${holder.pid}` : `pid ${holder.pid}`;
}

/** Thrown when another live process holds the data directory. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(`Another bot process (${describeHolder(holder)}) is using ${dataDir}; two writers would corrupt its files. Stop it or set another DATA_DIR.`);
  }
}

/** The live process holding the directory, if any (a stale file from a crash does not count). */
export async function lockHolder(dataDir: string): Promise<LockHolder | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(lockFile(dataDir), 'utf8')).split('\n').map((l) => l.trim());
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  if (!(await mayBeNode(pid))) return undefined;
  return lines[1] ? { pid, program: lines[1] } : { pid };
}

/**
 * Whether the live process `pid` may be one of ours: a Node process, where the system says (Linux's /proc); yes where
 * it cannot tell. After a reboot the crashed bot's pid is often someone else's ("pid 1"), and the lock held for good.
 */
async function mayBeNode(pid: number): Promise<boolean> {
  try {
    const command = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return /node|tsx/i.test(command);
  } catch {
    return true;
  }
}

/** Thrown when root would write into a data directory another user owns. */
export class DataDirOwnerError extends Error {
  override name = 'DataDirOwnerError';
  constructor(
    readonly dataDir: string,
    readonly owner: number,
  ) {
    super(
      `DATA_DIR ${dataDir} belongs to user ${owner}, and this runs as root: every file it wrote would become root's, and the bot, run as its own user, could no longer open them. Run it as that user (sudo -u '#${owner}' …).`,
    );
  }
}

/**
 * The files and directories under `dataDir` (itself included, as ".") that users other than the owner may read, write
 * or enter. Everything the bot creates is owner only; an earlier version's files kept 0644 and went on being appended to.
 */
export async function openToOthers(dataDir: string): Promise<string[]> {
  const entries = ['.', ...(await readdir(dataDir, { recursive: true }))];
  const open: string[] = [];
  for (const entry of entries) {
    const mode = await lstat(path.join(dataDir, entry)).then((s) => (s.isSymbolicLink() ? 0 : s.mode), () => 0);
    if (mode & 0o077) open.push(entry);
  }
  return open;
}

/** Takes the directory for this process (`program` says how it was started), or throws naming the process that has it. */
export async function acquireDataDir(dataDir: string, program?: string): Promise<() => Promise<void>> {
  // "sudo npm run privacy -- erase …" on the service user's directory left tickets.json, handoffs.json, state/ and the
  // day's turn log owned by root (0600): the bot's next start failed with EACCES.
  const owner = (await stat(dataDir)).uid;
  if (process.getuid?.() === 0 && owner !== 0) throw new DataDirOwnerError(dataDir, owner);
  const holder = await lockHolder(dataDir);
  if (holder) throw new DataDirInUseError(dataDir, holder);
  await writeFile(lockFile(dataDir), `${process.pid}\n${program ?? ''}\n`);
  return async () => {
    await unlink(lockFile(dataDir)).catch(() => undefined);
  };
}
