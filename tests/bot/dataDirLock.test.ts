/** One writer per data directory, whichever of the server and the terminal chat starts first. */
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFile, lockHolder } from '../../storage/dataDirLock.js';
import { dataDirWithModel, startChatProcess, startServerProcess } from '../helpers/process.js';

describe('a stale lock file', () => {
  // After a reboot the crashed server's pid belonged to another program, and every start said the directory was in use.
  it.skipIf(!existsSync('/proc/self/cmdline'))('naming a live process that is not Node does not hold the directory', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-lock-'));
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    const node = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await writeFile(lockFile(dataDir), `${other.pid}\nnpm start\n`);
      expect(await lockHolder(dataDir)).toBeUndefined();
      // A live Node process still holds it.
      await writeFile(lockFile(dataDir), `${node.pid}\nnpm start\n`);
      expect(await lockHolder(dataDir)).toEqual({ pid: node.pid, program: 'npm start' });
    } finally {
      other.kill();
      node.kill();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a data directory another bot process holds', () => {
  it('stops the terminal chat with one line naming the server that holds it', async () => {
    const dataDir = await dataDirWithModel();
    const server = startServerProcess({ DATA_DIR: dataDir });
    try {
      await server.url();
      const chat = startChatProcess({ DATA_DIR: dataDir });
      expect(await chat.exited).toBe(1);
      expect(chat.output().trim()).toBe(
        `Chat failed: Another bot process (npm start, pid ${server.child.pid}) is using ${dataDir}; two writers would corrupt its files. Stop it or set another DATA_DIR.`,
      );
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('stops the server naming the terminal chat that holds it, and is free again once the chat ends', async () => {
    const dataDir = await dataDirWithModel();
    const chat = startChatProcess({ DATA_DIR: dataDir });
    try {
      await chat.waitFor(/Chatting with/);
      const server = startServerProcess({ DATA_DIR: dataDir });
      expect(await server.exited).not.toBe(0);
      expect(server.output()).toContain(`Another bot process (npm run chat, pid ${chat.child.pid}) is using ${dataDir}; two writers would corrupt its files.`);
      expect(server.output()).not.toMatch(/LOCK|move it aside/);
      chat.child.stdin?.end('/quit\n');
      expect(await chat.exited).toBe(0);
      const again = startServerProcess({ DATA_DIR: dataDir });
      await again.url();
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    } finally {
      chat.child.kill('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
