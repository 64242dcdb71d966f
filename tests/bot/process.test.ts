import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dataDirWithModel, startServerProcess } from '../helpers/process.js';

describe('the server process', () => {
  it('a bad configuration value stops start-up with one line naming the variable', async () => {
    const p = startServerProcess({ PORT: 'eighty' });
    expect(await p.exited).toBe(78);
    expect(p.output().trim()).toBe('Invalid configuration: PORT must be a number (got "eighty")');
  });

  it('starts in open local mode, says so, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = await dataDirWithModel();
    try {
      const p = startServerProcess({ DATA_DIR: dataDir });
      const url = await p.url();
      expect(p.output()).toMatch(/accepts unauthenticated requests \(local mode\)/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.output()).toMatch(/Stopped cleanly/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
