import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MemoryStorage, type Storage } from 'botbuilder';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStorage } from '../../storage/fileStorage.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'cxbot-storage-'));
  dirs.push(d);
  return d;
}
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** One conformance suite for every botbuilder Storage the product can run on. */
const implementations: Array<[string, () => Promise<Storage>]> = [
  ['MemoryStorage (reference)', async () => new MemoryStorage()],
  ['FileStorage', async () => new FileStorage(await tempDir())],
];

describe.each(implementations)('Storage conformance: %s', (_name, make) => {
  it('reads back what was written, and nothing for unknown keys', async () => {
    const s = await make();
    await s.write({ 'conv/a': { count: 1, nested: { list: [1, 2] } } });
    const got = await s.read(['conv/a', 'conv/missing']);
    expect(got['conv/a']).toMatchObject({ count: 1, nested: { list: [1, 2] } });
    expect(got['conv/missing']).toBeUndefined();
  });

  it('returns copies: mutating a read item does not change the store', async () => {
    const s = await make();
    await s.write({ k: { v: 1 } });
    const first = await s.read(['k']);
    (first.k as { v: number }).v = 99;
    expect(((await s.read(['k'])).k as { v: number }).v).toBe(1);
  });

  it('honours eTags: a stale write is rejected, "*" always wins', async () => {
    const s = await make();
    await s.write({ k: { v: 1 } });
    const { k } = await s.read(['k']);
    await s.write({ k: { ...k, v: 2 } });
    await expect(s.write({ k: { ...k, v: 3 } })).rejects.toThrow();
    await s.write({ k: { v: 4, eTag: '*' } });
    expect(((await s.read(['k'])).k as { v: number }).v).toBe(4);
  });

  it('deletes', async () => {
    const s = await make();
    await s.write({ k: { v: 1 } });
    await s.delete(['k']);
    expect((await s.read(['k'])).k).toBeUndefined();
  });
});

describe('FileStorage on disk', () => {
  it('survives a restart and writes one small file per key', async () => {
    const dir = await tempDir();
    const a = new FileStorage(dir);
    await a.write({ 'x/1': { v: 'one' }, 'x/2': { v: 'two' } });
    await a.flush();
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    const b = new FileStorage(dir);
    expect(((await b.read(['x/2']))['x/2'] as { v: string }).v).toBe('two');
  });

  it('treats a torn state file as absent instead of failing the turn', async () => {
    const dir = await tempDir();
    const a = new FileStorage(dir);
    await a.write({ k: { v: 1 } });
    await a.flush();
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    await writeFile(path.join(dir, file!), '{"key":"k","item":{"v":');
    const b = new FileStorage(dir);
    expect((await b.read(['k'])).k).toBeUndefined();
  });
});
