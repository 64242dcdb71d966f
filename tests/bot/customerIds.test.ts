/** The customer-id key: kept, generated on a fresh data directory, never silently weakened or replaced. */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CustomerIds } from '../../bot/customerIds.js';
import { DataFileError } from '../../storage/jsonDb.js';

let dir: string;
const keyFile = () => path.join(dir, 'secrets', 'customer-id.key');
const writeKey = async (text: string) => {
  await mkdir(path.dirname(keyFile()), { recursive: true });
  await writeFile(keyFile(), text);
};

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CustomerIds.load', () => {
  it('generates a 64-hex key (mode 0600) on a fresh data directory and keeps using it', async () => {
    const first = await CustomerIds.load(undefined, dir);
    expect(await readFile(keyFile(), 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(keyFile())).mode & 0o777).toBe(0o600);
    expect((await CustomerIds.load(undefined, dir)).of('webchat', 'u1')).toBe(first.of('webchat', 'u1'));
  });

  it.each([
    ['empty', ''],
    ['not hex', 'zz'.repeat(32)],
    ['hex but too short', 'ab'.repeat(16)],
    ['hex with junk after it', `${'ab'.repeat(32)}zz`],
  ])('refuses a key file that is %s, naming the file, and leaves it untouched', async (_, text) => {
    await writeKey(text);
    const error = await CustomerIds.load(undefined, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toContain(`${keyFile()}: must hold exactly 64 hex characters`);
    expect(await readFile(keyFile(), 'utf8')).toBe(text);
  });

  it('accepts a kept key with surrounding whitespace', async () => {
    await writeKey(`  ${'0f'.repeat(32)}\n`);
    await expect(CustomerIds.load(undefined, dir)).resolves.toBeInstanceOf(CustomerIds);
  });

  it.each(['turns', 'tickets.json', 'state'])('refuses to generate a new key when the data directory already holds %s', async (name) => {
    if (name.includes('.')) await writeFile(path.join(dir, name), '{}');
    else await mkdir(path.join(dir, name));
    const error = await CustomerIds.load(undefined, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toContain(`${keyFile()}: is missing, but ${dir} holds customer data (${name})`);
    expect((error as Error).message).toContain('Every customer id would change');
    expect((error as Error).message).toMatch(/Restore the key file from a backup \(its text in CUSTOMER_ID_KEY would not give the same ids\).*delete the customer data to start afresh/);
    await expect(stat(keyFile())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  // Setting CUSTOMER_ID_KEY on a directory that had used its key file gave every customer a new id, without a word.
  it('refuses a key other than the one the customer data was made with, and keeps accepting the same one', async () => {
    const fromFile = (await CustomerIds.load(undefined, dir)).of('webchat', 'u1');
    await mkdir(path.join(dir, 'turns'));
    const error = await CustomerIds.load('k'.repeat(32), dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toContain(`${path.join(dir, 'secrets', 'customer-id.check')}: says the customer data in ${dir} (turns) was made with another customer-id key`);
    expect((await CustomerIds.load(undefined, dir)).of('webchat', 'u1')).toBe(fromFile);
    // A configured key is checked the same way once it has made ids.
    await rm(path.join(dir, 'secrets'), { recursive: true });
    await CustomerIds.load('k'.repeat(32), dir);
    await expect(CustomerIds.load('k'.repeat(32), dir)).resolves.toBeInstanceOf(CustomerIds);
    await expect(CustomerIds.load('j'.repeat(32), dir)).rejects.toBeInstanceOf(DataFileError);
  });

  it('needs no key file when CUSTOMER_ID_KEY is configured', async () => {
    await mkdir(path.join(dir, 'turns'));
    await expect(CustomerIds.load('k'.repeat(32), dir)).resolves.toBeInstanceOf(CustomerIds);
  });
});
