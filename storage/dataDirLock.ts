/** One writer per data directory: a pid file that a second server (or an offline tool) checks before writing. */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The lock file's path. */
export function lockFile(dataDir: string): string {
  return path.join(dataDir, 'server.pid');
}

/** The pid of a live process holding the directory, if any (a stale file from a crash does not count). */
export async function lockHolder(dataDir: string): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number((await readFile(lockFile(dataDir), 'utf8')).trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** Takes the directory for this process, or throws naming the process that has it. */
export async function acquireDataDir(dataDir: string): Promise<() => Promise<void>> {
  const holder = await lockHolder(dataDir);
  if (holder) throw new Error(`Another server (pid ${holder}) is using ${dataDir}; two writers would corrupt its files. Stop it or set another DATA_DIR.`);
  await writeFile(lockFile(dataDir), String(process.pid));
  return async () => {
    await unlink(lockFile(dataDir)).catch(() => undefined);
  };
}
