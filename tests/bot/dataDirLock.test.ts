/** One writer per data directory, whichever of the server and the terminal chat starts first. */
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dataDirWithModel, startChatProcess, startServerProcess } from '../helpers/process.js';

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
