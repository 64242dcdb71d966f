import { existsSync } from 'node:fs';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirWithModel, startServerProcess } from '../helpers/process.js';

describe('the server process', () => {
  it('a bad configuration value stops start-up with one line naming the variable', async () => {
    const p = startServerProcess({ PORT: 'eighty' });
    expect(await p.exited).toBe(78);
    expect(p.output().trim()).toBe('Invalid configuration: PORT must be a number (got "eighty")');
  });

  it('a first admin password the users store would refuse stops start-up before the NLU trains', async () => {
    const p = startServerProcess({ ADMIN_USER: 'bob', ADMIN_PASSWORD: 'short' });
    expect(await p.exited).toBe(78);
    expect(p.output().trim()).toBe('Invalid configuration: ADMIN_PASSWORD must be at least 10 characters');
  });

  it('a damaged customer-id key stops start-up with exit code 65, naming the file', async () => {
    const dataDir = await dataDirWithModel();
    try {
      const keyFile = path.join(dataDir, 'secrets', 'customer-id.key');
      await mkdir(path.dirname(keyFile));
      await writeFile(keyFile, 'zz\n');
      const p = startServerProcess({ DATA_DIR: dataDir });
      expect(await p.exited).toBe(65);
      expect(p.output()).toContain(`${keyFile}: must hold exactly 64 hex characters`);
      // With the log silenced it said nothing at all: why it stopped still reaches standard error.
      const quiet = startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      expect(await quiet.exited).toBe(65);
      expect(quiet.output()).toContain(`${keyFile}: must hold exactly 64 hex characters`);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  // "sudo npm run privacy -- erase …" on the service user's directory left its files owned by root, and the bot's next
  // start failed with EACCES. Root refuses a directory another user owns, naming the owner.
  it.skipIf(process.getuid?.() !== 0)('as root, a data directory another user owns stops start-up (exit 78), naming the owner', async () => {
    const dataDir = await dataDirWithModel();
    try {
      await chown(dataDir, 65534, 65534);
      const p = startServerProcess({ DATA_DIR: dataDir });
      expect(await p.exited).toBe(78);
      expect(p.output()).toContain(`DATA_DIR ${dataDir} belongs to user 65534, and this runs as root`);
      expect(existsSync(path.join(dataDir, 'server.pid'))).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a port already in use stops start-up with one line and exit code 69, not a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const dataDir = await dataDirWithModel();
    try {
      const p = startServerProcess({ DATA_DIR: dataDir, PORT: String(port) });
      expect(await p.exited).toBe(69);
      expect(p.output()).toContain(`Port ${port} is already in use on 127.0.0.1`);
      expect(p.output()).not.toMatch(/^\s+at /m);
    } finally {
      blocker.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('starts in open local mode, says so, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = await dataDirWithModel();
    try {
      const p = startServerProcess({ DATA_DIR: dataDir });
      const url = await p.url();
      expect(p.output()).toMatch(/takes unauthenticated requests from this machine only \(local mode\)/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.output()).toMatch(/Stopped cleanly/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
