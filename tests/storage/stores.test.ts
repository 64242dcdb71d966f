import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../storage/clock.js';
import { coalesced, DataFileError, itemCachingStringify } from '../../storage/jsonDb.js';
import { KnowledgeBase } from '../../storage/knowledgeBase.js';
import { JsonOrderStore, normalizeOrderNumber } from '../../storage/orderStore.js';
import { LowdbTicketStore, type NewTicket, type TicketStore } from '../../storage/ticketStore.js';
import { ROOT } from '../helpers/paths.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'cxbot-stores-'));
  dirs.push(d);
  return d;
}
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const newTicket = (over: Partial<NewTicket> = {}): NewTicket => ({
  kind: 'complaint',
  createdAt: '2026-11-25T10:00:00.000Z',
  dueAt: '2026-11-26T10:00:00.000Z',
  priority: 'normal',
  category: 'damaged',
  description: 'the mug was cracked',
  conversationId: 'c1',
  customerId: 'cust-1',
  channel: 'webchat',
  locale: 'en',
  ...over,
});

describe.each([
  ['memory', async () => LowdbTicketStore.open(null)],
  ['file', async () => LowdbTicketStore.open(path.join(await tempDir(), 'tickets.json'))],
] as Array<[string, () => Promise<TicketStore>]>)('TicketStore conformance: %s', (_name, open) => {
  it('gives sequential customer-facing ids and reads tickets back', async () => {
    const store = await open();
    const a = await store.create(newTicket());
    const b = await store.create(newTicket({ priority: 'high' }));
    expect([a.id, b.id]).toEqual(['T-000001', 'T-000002']);
    expect(await store.get('T-000002')).toMatchObject({ priority: 'high', status: 'open' });
    expect(await store.list()).toHaveLength(2);
  });

  it('refuses an invalid ticket instead of storing it', async () => {
    const store = await open();
    await expect(store.create(newTicket({ priority: 'urgent' as never }))).rejects.toThrow();
    expect(await store.list()).toHaveLength(0);
  });
});

describe('lowdb files', () => {
  it('keeps tickets across reopen and never reuses an id', async () => {
    const file = path.join(await tempDir(), 'tickets.json');
    await (await LowdbTicketStore.open(file)).create(newTicket());
    const again = await LowdbTicketStore.open(file);
    expect((await again.create(newTicket())).id).toBe('T-000002');
  });

  it('a corrupt file stops the store with a message naming the file, and is left untouched', async () => {
    const file = path.join(await tempDir(), 'tickets.json');
    await writeFile(file, '{"seq": 3, "tickets": [');
    await expect(LowdbTicketStore.open(file)).rejects.toThrow(DataFileError);
    await expect(LowdbTicketStore.open(file)).rejects.toThrow(/tickets\.json: is not valid JSON/);
    expect(await readFile(file, 'utf8')).toBe('{"seq": 3, "tickets": [');
  });

  it('a file of the wrong shape says where', async () => {
    const file = path.join(await tempDir(), 'tickets.json');
    await writeFile(file, JSON.stringify({ seq: 1, tickets: [{ id: 'X' }] }));
    await expect(LowdbTicketStore.open(file)).rejects.toThrow(/tickets\.0\./);
  });
});

describe('coalesced document writes', () => {
  it('a burst of changes during a write shares one next write, and every caller waits for a write that began after it', async () => {
    let value = 0;
    const started: number[] = [];
    const written: number[] = [];
    const write = coalesced(async () => {
      const snapshot = value; // what this write carries
      started.push(snapshot);
      await new Promise((r) => setTimeout(r, 20));
      written.push(snapshot);
    });
    value = 1;
    const first = write();
    const burst = [2, 3, 4, 5].map((v) => {
      value = v;
      return write().then(() => written.at(-1));
    });
    await first;
    expect(await Promise.all(burst)).toEqual([5, 5, 5, 5]);
    expect(started).toEqual([1, 5]);
    // A failed write rejects its callers; the next call starts a fresh one.
    const failing = coalesced(async () => {
      throw new Error('disk full');
    });
    await expect(failing()).rejects.toThrow('disk full');
    await expect(failing()).rejects.toThrow('disk full');
  });

  it('serialising with cached items gives exactly JSON.stringify, and a forgotten item is serialised again', () => {
    const items = [{ id: 'a', n: 1, text: 'quote " and ü' }, { id: 'b', n: 2 }];
    const withSeq = itemCachingStringify<{ seq: number; items: typeof items }>('items');
    const doc = { seq: 7, items };
    expect(withSeq.stringify(doc)).toBe(JSON.stringify(doc));
    items[0]!.n = 99; // changed in place without telling the cache: the old JSON is still used
    expect(JSON.parse(withSeq.stringify(doc)).items[0].n).toBe(1);
    withSeq.forget(items[0]!);
    expect(withSeq.stringify(doc)).toBe(JSON.stringify(doc));
    const alone = itemCachingStringify<{ items: typeof items }>('items');
    expect(alone.stringify({ items })).toBe(JSON.stringify({ items }));
    expect(alone.stringify({ items: [] })).toBe('{"items":[]}');
  });

  it('a ticket store keeps every one of many concurrent creations across reopen', async () => {
    const file = path.join(await tempDir(), 'tickets.json');
    const store = await LowdbTicketStore.open(file);
    const made = await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(newTicket({ description: `case ${i}` }))));
    const reopened = await LowdbTicketStore.open(file);
    expect((await reopened.list()).map((t) => t.id).sort()).toEqual(made.map((t) => t.id).sort());
  });
});

describe('orders', () => {
  it('loads the ~50 seeded orders covering every status', async () => {
    const store = await JsonOrderStore.load(path.join(ROOT, 'data', 'orders.json'), { rebase: false, clock: new FixedClock(new Date()) });
    expect(store.count()).toBeGreaterThanOrEqual(45);
    const raw = JSON.parse(await readFile(path.join(ROOT, 'data', 'orders.json'), 'utf8')) as { orders: Array<{ status: string }> };
    expect(new Set(raw.orders.map((o) => o.status))).toEqual(
      new Set(['processing', 'shipped', 'out_for_delivery', 'delivered', 'delayed', 'cancelled', 'returned']),
    );
  });

  it('rebases demo dates so the seed day reads as today', async () => {
    const file = path.join(ROOT, 'data', 'orders.json');
    const later = await JsonOrderStore.load(file, { rebase: true, clock: new FixedClock(new Date('2026-12-05T12:00:00Z')) });
    const asIs = await JsonOrderStore.load(file, { rebase: false, clock: new FixedClock(new Date()) });
    const a = await asIs.find('10231');
    const b = await later.find('10231');
    expect(Date.parse(b!.placedAt) - Date.parse(a!.placedAt)).toBe(10 * 86_400_000);
  });

  it('normalises the ways customers write order numbers', () => {
    expect(normalizeOrderNumber('10231')).toBe('10231');
    expect(normalizeOrderNumber(' #10231 ')).toBe('10231');
    expect(normalizeOrderNumber('ORD-10231')).toBe('10231');
    expect(normalizeOrderNumber('order number 102 31')).toBe('10231');
    expect(normalizeOrderNumber('12')).toBeNull();
    expect(normalizeOrderNumber('123456789')).toBeNull();
    expect(normalizeOrderNumber('abcde')).toBeNull();
  });
});

describe('knowledge base', () => {
  it('validates files on load and names the problem', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'en.json'), JSON.stringify({ locale: 'en', entries: [{ intent: 'returns', title: 'x', answer: 'y' }] }));
    await expect(KnowledgeBase.load(dir, ['en'])).rejects.toThrow(/entries\.0\.intent/);
  });

  it('matches variant keywords as whole words', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'en.json'),
      JSON.stringify({ locale: 'en', entries: [{ intent: 'faq.cancel', title: 'Cancel', answer: 'general', variants: [{ keywords: ['fee'], answer: 'fees' }] }] }),
    );
    const kb = await KnowledgeBase.load(dir, ['en']);
    expect(kb.answer('faq.cancel', 'en', 'is there a fee?')?.text).toBe('fees');
    expect(kb.answer('faq.cancel', 'en', 'I feel like cancelling')?.text).toBe('general');
    expect(kb.answer('faq.cancel', 'en', 'any fees?')?.text).toBe('fees');
  });
});
