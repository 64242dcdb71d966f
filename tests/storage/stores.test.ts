import { appendFile, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../storage/clock.js';
import { z } from 'zod';
import { coalesced, DataFileError } from '../../storage/jsonDb.js';
import { JournaledCollection, journalFileOf, readJournaled } from '../../storage/journaledDb.js';
import { fillAnswer, KnowledgeBase } from '../../storage/knowledgeBase.js';
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

  it('closes an open ticket once, with who, when and the note', async () => {
    const store = await open();
    const { id } = await store.create(newTicket());
    const closing = { by: 'alex', at: '2026-11-25T12:00:00.000Z', note: 'replacement sent' };
    expect(await store.close(id, closing)).toEqual({ ok: true, ticket: expect.objectContaining({ id, status: 'closed', closedBy: 'alex', closedAt: closing.at, note: 'replacement sent' }) });
    expect(await store.close(id, { ...closing, by: 'sam' })).toMatchObject({ ok: false, refusal: 'closed', ticket: { closedBy: 'alex' } });
    expect(await store.close('T-999999', closing)).toEqual({ ok: false, refusal: 'not_found' });
    expect(await store.get(id)).toMatchObject({ status: 'closed', closedBy: 'alex' });
  });

  it('adds what the customer said later to an open ticket only', async () => {
    const store = await open();
    const { id } = await store.create(newTicket());
    await store.addFollowUp(id, { at: '2026-11-25T10:05:00.000Z', text: 'the saucer too' });
    expect((await store.addFollowUp(id, { at: '2026-11-25T10:06:00.000Z', text: 'and the lid' })).ok).toBe(true);
    expect((await store.get(id))?.followUps).toEqual([{ at: '2026-11-25T10:05:00.000Z', text: 'the saucer too' }, { at: '2026-11-25T10:06:00.000Z', text: 'and the lid' }]);
    await store.close(id, { by: 'alex', at: '2026-11-25T12:00:00.000Z' });
    expect(await store.addFollowUp(id, { at: '2026-11-25T13:00:00.000Z', text: 'late' })).toMatchObject({ ok: false, refusal: 'closed' });
    expect((await store.get(id))?.followUps).toHaveLength(2);
  });

  it('a follow-up may raise the priority and bring the deadline forward, and nothing else', async () => {
    const store = await open();
    const { id, ...before } = await store.create(newTicket());
    const raise = { priority: 'high' as const, dueAt: '2026-11-25T11:00:00.000Z' };
    expect(await store.addFollowUp(id, { at: '2026-11-25T10:05:00.000Z', text: 'furious now' }, raise)).toMatchObject({ ok: true, ticket: { ...before, ...raise } });
  });
});

describe('lowdb files', () => {
  it('keeps a closed ticket closed across reopen (the journal line replaces the open one)', async () => {
    const file = path.join(await tempDir(), 'tickets.json');
    const store = await LowdbTicketStore.open(file);
    const { id } = await store.create(newTicket());
    await store.create(newTicket());
    await store.close(id, { by: 'alex', at: '2026-11-25T12:00:00.000Z' });
    await store.closeFiles();
    const again = await LowdbTicketStore.open(file);
    expect((await again.list()).map((t) => [t.id, t.status])).toEqual([[id, 'closed'], ['T-000002', 'open']]);
  });

  it("moves a conversation's open tickets to a new serviceUrl, kept across reopen; closed ones and other conversations stay", async () => {
    const file = path.join(await tempDir(), 'tickets.json');
    const store = await LowdbTicketStore.open(file);
    const reference = { bot: { id: 'bot' }, conversation: { id: 'c1' }, channelId: 'msteams', serviceUrl: 'https://smba.example.net/amer/' };
    const open = await store.create(newTicket({ reference }));
    const closed = await store.create(newTicket({ reference }));
    await store.close(closed.id, { by: 'alex', at: '2026-11-25T12:00:00.000Z' });
    const other = await store.create(newTicket({ conversationId: 'c2', reference: { ...reference, conversation: { id: 'c2' } } }));
    expect(await store.updateServiceUrl('c1', 'msteams', reference.serviceUrl)).toBe(0);
    // Another channel's conversation of the same id is someone else's: it moves nothing.
    expect(await store.updateServiceUrl('c1', 'sms', 'https://attacker.example.net/')).toBe(0);
    expect(await store.updateServiceUrl('c1', 'msteams', 'https://smba.example.net/emea/')).toBe(1);
    await store.closeFiles();
    const again = await LowdbTicketStore.open(file);
    expect((await again.get(open.id))?.reference?.serviceUrl).toBe('https://smba.example.net/emea/');
    expect((await again.get(closed.id))?.reference?.serviceUrl).toBe(reference.serviceUrl);
    expect((await again.get(other.id))?.reference?.serviceUrl).toBe(reference.serviceUrl);
    expect(await again.updateServiceUrl('c1', 'msteams', 'https://smba.example.net/apac/')).toBe(1);
  });

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
    await expect(LowdbTicketStore.open(file)).rejects.toThrow(/at tickets\[0\] \(id "X"\)\./);
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

  it('a ticket store keeps every one of many concurrent creations across reopen', async () => {
    const file = path.join(await tempDir(), 'tickets.json');
    const store = await LowdbTicketStore.open(file);
    const made = await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(newTicket({ description: `case ${i}` }))));
    const reopened = await LowdbTicketStore.open(file);
    expect((await reopened.list()).map((t) => t.id).sort()).toEqual(made.map((t) => t.id).sort());
  });
});

describe('journaled collections (snapshot + journal)', () => {
  const Note = z.object({ id: z.string(), n: z.number().int() });
  type Note = z.infer<typeof Note>;
  const openNotes = (file: string, minFoldBytes?: number) =>
    JournaledCollection.open<Note>({ file, key: 'notes', item: Note, id: (x) => x.id, ...(minFoldBytes ? { minFoldBytes } : {}) });
  const snapshotOf = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as { seq: number; notes: Note[] };

  it('a change appends one line and leaves the snapshot alone; reopening replays it, later lines winning', async () => {
    const file = path.join(await tempDir(), 'notes.json');
    const notes = await openNotes(file);
    const snapshot = await readFile(file, 'utf8');
    const a = { id: 'a', n: 1 };
    notes.seq += 1;
    notes.items.push(a);
    await notes.save(a);
    a.n = 2;
    notes.seq += 1;
    notes.items.push({ id: 'b', n: 5 });
    await Promise.all([notes.save(a), notes.save(notes.items[1]!)]);
    expect(await readFile(file, 'utf8')).toBe(snapshot);
    expect((await readFile(journalFileOf(file), 'utf8')).trim().split('\n')).toHaveLength(3);
    const again = await openNotes(file);
    expect(again.items).toEqual([{ id: 'a', n: 2 }, { id: 'b', n: 5 }]);
    expect(again.seq).toBe(2);
    // Reports read the same records without opening the store for writing.
    expect(await readJournaled<Note>(file, 'notes')).toEqual(again.items);
  });

  it('folds the journal into the snapshot once it outgrows it, so neither grows without bound', async () => {
    const file = path.join(await tempDir(), 'notes.json');
    const notes = await openNotes(file, 400);
    const note = { id: 'only', n: 0 };
    notes.items.push(note);
    let largest = 0;
    for (let i = 1; i <= 200; i += 1) {
      note.n = i;
      await notes.save(note);
      largest = Math.max(largest, (await stat(journalFileOf(file))).size);
    }
    expect(largest).toBeLessThanOrEqual(400);
    expect((await snapshotOf(file)).notes.length).toBe(1);
    expect((await openNotes(file)).items).toEqual([{ id: 'only', n: 200 }]);
  });

  it('a crash between writing the snapshot and emptying the journal replays the same records without duplicates', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'notes.json');
    await writeFile(file, JSON.stringify({ seq: 2, notes: [{ id: 'a', n: 1 }, { id: 'b', n: 2 }] }));
    await writeFile(journalFileOf(file), '{"seq":1,"put":{"id":"a","n":1}}\n{"seq":2,"put":{"id":"b","n":2}}\n');
    const notes = await openNotes(file);
    expect(notes.items).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    expect(notes.seq).toBe(2);
  });

  it('reads past a blank line in the journal, which holds nothing', async () => {
    const file = path.join(await tempDir(), 'notes.json');
    // "line 3, column 1: the file is empty", and start-up stopped.
    await writeFile(journalFileOf(file), '{"seq":1,"put":{"id":"a","n":1}}\n\n{"seq":2,"put":{"id":"b","n":2}}\n\n');
    expect((await openNotes(file)).items).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    await appendFile(journalFileOf(file), '\n');
    expect(await readJournaled<Note>(file, 'notes')).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
  });

  it('cuts off a torn last line (never acknowledged) with a warning, and keeps appending on a clean line', async () => {
    const file = path.join(await tempDir(), 'notes.json');
    const notes = await openNotes(file);
    notes.items.push({ id: 'a', n: 1 });
    await notes.save(notes.items[0]!);
    await appendFile(journalFileOf(file), '{"seq":0,"put":{"id":"b","n"');
    const warnings: Array<{ message: string; detail?: Record<string, unknown> }> = [];
    const again = await JournaledCollection.open<Note>({ file, key: 'notes', item: Note, id: (x) => x.id, onWarning: (message, detail) => warnings.push({ message, ...(detail ? { detail } : {}) }) });
    expect(again.items).toEqual([{ id: 'a', n: 1 }]);
    // The operator learns what was cut, and where, without the line's text.
    expect(warnings).toEqual([{ message: expect.stringMatching(/torn last line/), detail: { file: journalFileOf(file), offset: 33, bytes: 28 } }]);
    again.items.push({ id: 'c', n: 3 });
    await again.save(again.items[1]!);
    expect((await openNotes(file)).items).toEqual([{ id: 'a', n: 1 }, { id: 'c', n: 3 }]);
  });

  it('keeps a complete last record whose newline was stripped, and appends the next on a line of its own', async () => {
    const file = path.join(await tempDir(), 'notes.json');
    // An editor that drops the final newline left an acknowledged record that start-up cut off as torn.
    const text = '{"seq":1,"put":{"id":"a","n":1}}\n{"seq":2,"put":{"id":"b","n":2}}';
    await writeFile(journalFileOf(file), text);
    const warnings: string[] = [];
    const notes = await JournaledCollection.open<Note>({ file, key: 'notes', item: Note, id: (x) => x.id, onWarning: (m) => warnings.push(m) });
    expect(notes.items).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    expect(notes.seq).toBe(2);
    expect(warnings).toEqual([]);
    expect(await readFile(journalFileOf(file), 'utf8')).toBe(text);
    expect(await readJournaled<Note>(file, 'notes')).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    notes.items.push({ id: 'c', n: 3 });
    await notes.save(notes.items[2]!);
    await notes.close();
    expect(await readFile(journalFileOf(file), 'utf8')).toBe(`${text}\n{"seq":2,"put":{"id":"c","n":3}}\n`);
    expect((await openNotes(file)).items).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }, { id: 'c', n: 3 }]);
  });

  it('an append after the journal was deleted or moved away lands in a journal at the path, not in the lost file', async () => {
    const file = path.join(await tempDir(), 'notes.json');
    const journal = journalFileOf(file);
    const notes = await openNotes(file);
    const add = async (note: Note) => {
      notes.items.push(note);
      await notes.save(note);
    };
    await add({ id: 'a', n: 1 });
    await rm(journal);
    await add({ id: 'b', n: 2 });
    expect(await readFile(journal, 'utf8')).toBe('{"seq":0,"put":{"id":"b","n":2}}\n');
    await rename(journal, `${journal}.moved`);
    await add({ id: 'c', n: 3 });
    await add({ id: 'd', n: 4 });
    expect(await readFile(`${journal}.moved`, 'utf8')).not.toContain('"c"');
    expect((await openNotes(file)).items).toEqual([{ id: 'c', n: 3 }, { id: 'd', n: 4 }]);
  });

  it('close waits for the writes already asked for', async () => {
    const file = path.join(await tempDir(), 'notes.json');
    const notes = await openNotes(file);
    notes.items.push({ id: 'a', n: 1 }, { id: 'b', n: 2 });
    const saved = Promise.all(notes.items.map((x) => notes.save(x)));
    await notes.close();
    expect((await readFile(journalFileOf(file), 'utf8')).trim().split('\n')).toHaveLength(2);
    await saved;
  });

  it('a corrupt journal line stops the store naming the file and line, and leaves both files untouched', async () => {
    const file = path.join(await tempDir(), 'notes.json');
    await openNotes(file);
    const journal = '{"seq":1,"put":{"id":"a","n":1}}\n{"seq":1,"put":{"id":"a","n":"x"}}\n{"seq":1,"put":{"id":"b","n":2}}\n';
    await writeFile(journalFileOf(file), journal);
    await expect(openNotes(file)).rejects.toThrow(DataFileError);
    await expect(openNotes(file)).rejects.toThrow(/notes\.journal\.jsonl: line 2: invalid data at put\.n/);
    expect(await readFile(journalFileOf(file), 'utf8')).toBe(journal);
  });

  it('deleting tickets rewrites the snapshot and empties the journal, so the deleted text is on disk nowhere', async () => {
    const file = path.join(await tempDir(), 'tickets.json');
    const store = await LowdbTicketStore.open(file);
    await store.create(newTicket({ description: 'keep me' }));
    await store.create(newTicket({ description: 'erase me', customerId: 'cust-gone' }));
    expect(await readFile(journalFileOf(file), 'utf8')).toContain('erase me');
    expect(await store.deleteWhere((t) => t.customerId === 'cust-gone')).toBe(1);
    expect(await readFile(journalFileOf(file), 'utf8')).toBe('');
    expect(await readFile(file, 'utf8')).not.toContain('erase me');
    expect((await (await LowdbTicketStore.open(file)).list()).map((t) => t.description)).toEqual(['keep me']);
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

  it('refuses a file that lists one order number twice, naming it', async () => {
    const raw = JSON.parse(await readFile(path.join(ROOT, 'data', 'orders.json'), 'utf8')) as { orders: Array<{ number: string }> };
    raw.orders[3]!.number = raw.orders[4]!.number;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-orders-'));
    try {
      const file = path.join(dir, 'orders.json');
      await writeFile(file, JSON.stringify(raw));
      await expect(JsonOrderStore.load(file, { rebase: false, clock: new FixedClock(new Date()) })).rejects.toThrow(`each order number appears once (repeated: "${raw.orders[4]!.number}")`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
  it("answers in the customer's language, else the default one, else English, else any language that has the entry", async () => {
    const dir = await tempDir();
    const entry = (intent: string, answer: string) => ({ intent, title: intent, answer });
    const files = {
      en: [entry('faq.returns', 'returns (en)'), entry('faq.shipping', 'shipping (en)')],
      es: [entry('faq.returns', 'devoluciones (es)')],
      fa: [entry('faq.payment', 'payment (fa)'), entry('faq.shipping', 'shipping (fa)')],
    };
    for (const [lang, entries] of Object.entries(files)) await writeFile(path.join(dir, `${lang}.json`), JSON.stringify({ locale: lang, entries }));
    const kb = await KnowledgeBase.load(dir, ['en', 'es', 'fa', 'zh']);
    // DEFAULT_LOCALE=es: a Spanish customer asking what only English answers was told there was no answer yet.
    expect(kb.answer('faq.shipping', 'es', 'envío', 'es')?.text).toBe('shipping (en)');
    expect(kb.answer('faq.returns', 'zh', '退货', 'es')?.text).toBe('devoluciones (es)');
    expect(kb.answer('faq.shipping', 'zh', '运费', 'fa')?.text).toBe('shipping (fa)');
    expect(kb.answer('faq.payment', 'es', 'pago', 'es')?.text).toBe('payment (fa)');
    expect(kb.answer('faq.returns', 'es', 'devolver')?.text).toBe('devoluciones (es)');
    expect(kb.answer('faq.contact', 'es', 'teléfono', 'es')).toBeUndefined();
  });

  it('validates files on load and names the problem', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'en.json'), JSON.stringify({ locale: 'en', entries: [{ intent: 'returns', title: 'x', answer: 'y' }] }));
    await expect(KnowledgeBase.load(dir, ['en'])).rejects.toThrow(/at entries\[0\] \(intent "returns"\)\.intent: FAQ intents are "faq\." and lowercase words/);
    // A name the corpus accepts has an entry too; "faq.gift-cards" was refused as not starting with "faq.".
    await writeFile(path.join(dir, 'en.json'), JSON.stringify({ locale: 'en', entries: [{ intent: 'faq.gift.cards', title: 'x', answer: 'y' }] }));
    expect((await KnowledgeBase.load(dir, ['en'])).intents('en')).toEqual(['faq.gift.cards']);
    await writeFile(path.join(dir, 'en.json'), JSON.stringify({ locale: 'en', entries: [{ intent: 'faq.gift-cards', title: 'x', answer: 'y' }] }));
    await expect(KnowledgeBase.load(dir, ['en'])).rejects.toThrow(/joined by dots, as in the corpus: "faq\.gift_cards"/);
  });

  it('refuses an answer with a placeholder it cannot fill, and fills the ones it can', async () => {
    const dir = await tempDir();
    const entry = { intent: 'faq.contact', title: 'Contact', answer: 'We work {hours}.', variants: [{ keywords: ['phone'], answer: 'Call us {hour}.' }] };
    await writeFile(path.join(dir, 'en.json'), JSON.stringify({ locale: 'en', entries: [entry] }));
    await expect(KnowledgeBase.load(dir, ['en'])).rejects.toThrow(/entries\[0\] \(intent "faq\.contact"\)\.variants\[0\]\.answer.*unknown placeholder \{hour\} \(known: \{hours\}, \{replyHours\}\)/s);
    expect(fillAnswer('We work {hours}.', { hours: 'Mon–Fri 08:00–20:00' })).toBe('We work Mon–Fri 08:00–20:00.');
    expect(fillAnswer('We work {hours}.', {})).toBe('We work {hours}.');
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

  it('matches a keyword in its plural forms', async () => {
    // "do you ship to PO boxes" missed the keyword "po box".
    const dir = await tempDir();
    const variants = [{ keywords: ['po box'], answer: 'boxes' }, { keywords: ['delivery'], answer: 'deliveries' }];
    await writeFile(path.join(dir, 'en.json'), JSON.stringify({ locale: 'en', entries: [{ intent: 'faq.shipping', title: 'Shipping', answer: 'general', variants }] }));
    const kb = await KnowledgeBase.load(dir, ['en']);
    expect(kb.answer('faq.shipping', 'en', 'do you ship to PO boxes')?.text).toBe('boxes');
    expect(kb.answer('faq.shipping', 'en', 'are weekend deliveries possible')?.text).toBe('deliveries');
    expect(kb.answer('faq.shipping', 'en', 'do you ship to po boxers')?.text).toBe('general');
  });
});
