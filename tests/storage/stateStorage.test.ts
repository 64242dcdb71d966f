import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MemoryStorage, type Storage } from 'botbuilder';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../storage/jsonDb.js';
import { LevelStorage } from '../../storage/levelStorage.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'cxbot-storage-'));
  dirs.push(d);
  return d;
}
const opened: LevelStorage[] = [];
async function open(dir: string): Promise<LevelStorage> {
  const s = await LevelStorage.open(dir);
  opened.push(s);
  return s;
}
/** Every file of `dir` with its bytes, to show nothing was changed. */
async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort()) out[f] = (await readFile(path.join(dir, f))).toString('base64');
  return out;
}
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** One conformance suite for every botbuilder Storage the product can run on. */
const implementations: Array<[string, () => Promise<Storage>]> = [
  ['MemoryStorage (reference)', async () => new MemoryStorage()],
  ['LevelStorage', async () => open(await tempDir())],
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

describe('LevelStorage on disk', () => {
  it('survives a restart, including keys changed while a batch was being written', async () => {
    const dir = await tempDir();
    const a = await open(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => a.write({ [`x/${i % 50}`]: { v: i, eTag: '*' } })));
    await a.close();
    const b = await open(dir);
    const got = await b.read(Array.from({ length: 50 }, (_, i) => `x/${i}`));
    expect(Object.values(got).map((item) => (item as { v: number }).v)).toEqual(Array.from({ length: 50 }, (_, i) => 150 + i));
    expect((await b.keys()).length).toBe(50);
  });

  it('erasure leaves no copy of the deleted state anywhere in the directory', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    await s.write({ 'conv/gone': { customer: 'c_00000000deadbeef' }, 'conv/kept': { customer: 'c_1111111111111111' } });
    expect(await s.deleteWhere((text) => text.includes('"c_00000000deadbeef"'))).toBe(1);
    expect(await s.keys()).toEqual(['conv/kept']);
    await s.close();
    for (const f of await readdir(dir)) expect((await readFile(path.join(dir, f))).includes('deadbeef')).toBe(false);
  });

  it('an erasure while writes keep arriving loses none of them', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    await s.write({ 'conv/gone': { customer: 'c_00000000deadbeef' } });
    await s.flush();
    const writes = Array.from({ length: 300 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i % 30));
      await s.write({ [`k/${i % 60}`]: { v: i, eTag: '*' } });
    });
    const erased = s.deleteWhere((text) => text.includes('deadbeef'));
    await Promise.all(writes);
    expect(await erased).toBe(1);
    await s.close();
    const again = await open(dir);
    const got = await again.read(Array.from({ length: 60 }, (_, j) => `k/${j}`));
    expect(Object.values(got).map((item) => (item as { v: number }).v)).toEqual(Array.from({ length: 60 }, (_, j) => j + 240));
    expect(await again.keys()).not.toContain('conv/gone');
  });

  it('retention deletes what was last written before the cutoff', async () => {
    const s = await open(await tempDir());
    await s.write({ old: { v: 1 } });
    await s.flush();
    const cutoff = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    await s.write({ fresh: { v: 2 } });
    expect(await s.deleteWhere(() => false, cutoff)).toBe(1);
    expect(await s.keys()).toEqual(['fresh']);
  });

  it('imports the one-file-per-key state of earlier versions and removes those files', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, `${'a'.repeat(40)}.json`), JSON.stringify({ key: 'conv/legacy', item: { step: 3, eTag: 'e1' } }));
    await writeFile(path.join(dir, `${'c'.repeat(40)}.json`), JSON.stringify({ key: 'user/legacy', item: { name: 'Ana' } }));
    const s = await open(dir);
    expect(await s.read(['conv/legacy', 'user/legacy'])).toEqual({ 'conv/legacy': { step: 3, eTag: 'e1' }, 'user/legacy': { name: 'Ana' } });
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('a legacy state file that cannot be parsed stops start-up naming it, and no legacy file is imported or deleted', async () => {
    const dir = await tempDir();
    const good = path.join(dir, `${'a'.repeat(40)}.json`);
    const bad = path.join(dir, `${'b'.repeat(40)}.json`);
    const later = path.join(dir, `${'c'.repeat(40)}.json`);
    await writeFile(good, JSON.stringify({ key: 'conv/legacy', item: { step: 3 } }));
    await writeFile(bad, '{"key":"conv/torn","item":{"st');
    await writeFile(later, JSON.stringify({ key: 'conv/later', item: { step: 1 } }));
    const before = await snapshotDir(dir);
    // The bad file used to be deleted without a word, its conversation lost.
    await expect(LevelStorage.open(dir)).rejects.toThrow(DataFileError);
    await expect(LevelStorage.open(dir)).rejects.toThrow(new RegExp(`${bad}: is not valid JSON at line 1`));
    expect(await snapshotDir(dir)).toEqual(before);
    // A file that parses but holds no key and item is not state either.
    await writeFile(bad, '{"key": 5}');
    await expect(LevelStorage.open(dir)).rejects.toThrow(new RegExp(`${bad}: .*key`));
    // One with no item held nothing, as the earlier storage read it: skipped, not a reason to stop.
    await writeFile(bad, JSON.stringify({ key: 'conv/empty', item: null }));
    const s = await open(dir);
    expect(await s.read(['conv/legacy', 'conv/later', 'conv/empty'])).toEqual({ 'conv/legacy': { step: 3 }, 'conv/later': { step: 1 } });
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('a file where the state directory should be stops start-up naming it, as a database it cannot open', async () => {
    const file = path.join(await tempDir(), 'state');
    await writeFile(file, 'not a directory');
    await expect(LevelStorage.open(file)).rejects.toThrow(DataFileError);
    await expect(LevelStorage.open(file)).rejects.toThrow(new RegExp(`${file}: cannot be opened as the state database \\(ENOTDIR\\)`));
  });

  it('database files without CURRENT stop start-up naming state/CURRENT, and every file is left as it was', async () => {
    const dir = path.join(await tempDir(), 'state');
    const s = await LevelStorage.open(dir);
    await s.write({ 'conv/a': { v: 1 } });
    await s.close();
    await rm(path.join(dir, 'CURRENT'));
    const before = await snapshotDir(dir);
    expect(Object.keys(before).some((f) => /\.(log|ldb)$|^MANIFEST-/.test(f))).toBe(true);
    // classic-level created a fresh database here and deleted the old tables.
    await expect(LevelStorage.open(dir)).rejects.toThrow(DataFileError);
    await expect(LevelStorage.open(dir)).rejects.toThrow(new RegExp(`${path.join(dir, 'CURRENT')}: is missing`));
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('an absent or empty state directory is created as a new database', async () => {
    const absent = await open(path.join(await tempDir(), 'state'));
    await absent.write({ k: { v: 1 } });
    expect(await absent.keys()).toEqual(['k']);
    const empty = await open(await tempDir());
    expect(await empty.keys()).toEqual([]);
  });

  it('a directory that is not a database stops start-up naming it', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'CURRENT'), 'MANIFEST-999999\n');
    await expect(LevelStorage.open(dir)).rejects.toThrow(DataFileError);
    await expect(LevelStorage.open(dir)).rejects.toThrow(new RegExp(`${dir}: cannot be opened as the state database`));
  });
});
