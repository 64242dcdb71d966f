import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Handoff, type HandoffStore, LowdbHandoffStore, type NewHandoff, queueOrder } from '../../storage/handoffStore.js';
import { DataFileError } from '../../storage/jsonDb.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'cxbot-handoffs-'));
  dirs.push(d);
  return d;
}
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

let n = 0;
const newHandoff = (over: Partial<NewHandoff> = {}): NewHandoff => {
  n += 1;
  return {
    reason: 'requested',
    priority: 'normal',
    channel: 'webchat',
    locale: 'en',
    customerId: 'c_0123456789abcdef',
    conversationId: `conv-${n}`,
    reference: { bot: { id: 'bot' }, user: { id: 'u1', name: 'Ann' }, conversation: { id: `conv-${n}` }, channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1/' },
    intents: ['order.status', 'agent.handoff'],
    sentiment: { mean: -0.2, last: -0.4, min: -0.4, turns: 2 },
    createdAt: `2026-11-25T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
    ...over,
  };
};
const at = '2026-11-25T10:05:00.000Z';

describe.each([
  ['memory', async () => LowdbHandoffStore.open(null)],
  ['file', async () => LowdbHandoffStore.open(path.join(await tempDir(), 'handoffs.json'))],
] as Array<[string, () => Promise<HandoffStore>]>)('HandoffStore conformance: %s', (_name, open) => {
  it('creates queued handoffs with sequential ids and finds them by id and by conversation', async () => {
    const store = await open();
    const a = await store.create(newHandoff());
    const b = await store.create(newHandoff());
    expect([a.id, b.id]).toEqual(['H-000001', 'H-000002']);
    expect(a).toMatchObject({ status: 'queued', agent: null, acceptedAt: null, resolvedAt: null, abandonedAt: null, endedBy: null });
    expect(await store.get(b.id)).toEqual(b);
    expect((await store.openFor(a.conversationId))?.id).toBe(a.id);
    expect(await store.get('H-999999')).toBeUndefined();
  });

  it('orders the queue by priority, then age, and records the position at creation', async () => {
    const store = await open();
    const first = await store.create(newHandoff());
    const second = await store.create(newHandoff());
    const urgent = await store.create(newHandoff({ priority: 'high' }));
    expect([first.position, second.position, urgent.position]).toEqual([1, 2, 1]);
    expect((await store.queue()).map((h) => h.id)).toEqual([urgent.id, first.id, second.id]);
    expect(await Promise.all([urgent, first, second].map((h) => store.queuePosition(h.id)))).toEqual([1, 2, 3]);
    await store.accept(urgent.id, 'ana', '2026-11-25T10:05:00.000Z');
    expect(await Promise.all([urgent, first, second].map((h) => store.queuePosition(h.id)))).toEqual([0, 1, 2]);
    expect(await store.queuePosition('H-999999')).toBe(0);
  });

  it('keeps queue order and places right through random creates, accepts and closes (against a plain sort)', async () => {
    const store = await open();
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 48271) % 2147483647) % n);
    const waiting: Handoff[] = [];
    for (let i = 0; i < 60; i += 1) {
      const priority = (['high', 'normal', 'low'] as const)[rand(3)]!;
      // Creation times out of order on purpose: the order must come from the timestamps, not from arrival.
      waiting.push(await store.create(newHandoff({ priority, createdAt: `2026-11-25T10:${String(rand(60)).padStart(2, '0')}:00.000Z` })));
      if (rand(4) === 0) {
        const h = waiting.splice(rand(waiting.length), 1)[0]!;
        await (rand(2) ? store.accept(h.id, 'ana', at) : store.close(h.id, { status: 'abandoned', at, by: 'customer' }));
      }
    }
    const expected = [...waiting].sort(queueOrder).map((h) => h.id);
    expect((await store.queue()).map((h) => h.id)).toEqual(expected);
    expect(await Promise.all(expected.map((id) => store.queuePosition(id)))).toEqual(expected.map((_, i) => i + 1));
  });

  it('refuses a second open handoff for one conversation and an invalid one, storing nothing', async () => {
    const store = await open();
    const a = await store.create(newHandoff());
    await expect(store.create(newHandoff({ conversationId: a.conversationId }))).rejects.toThrow(/already has an open handoff/);
    await expect(store.create(newHandoff({ reason: 'bored' as never }))).rejects.toThrow();
    expect(await store.list()).toHaveLength(1);
  });

  it('of two simultaneous accepts exactly one wins; the loser learns who has it', async () => {
    const store = await open();
    const h = await store.create(newHandoff());
    const results = await Promise.all([store.accept(h.id, 'alex', at), store.accept(h.id, 'blair', at)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const lost = results.find((r) => !r.ok);
    expect(lost).toMatchObject({ ok: false, refusal: 'taken', handoff: { agent: 'alex' } });
    expect(await store.get(h.id)).toMatchObject({ status: 'active', agent: 'alex', acceptedAt: at });
    // Accepting again as the holder is harmless.
    expect(await store.accept(h.id, 'alex', '2026-11-25T11:00:00.000Z')).toMatchObject({ ok: true, handoff: { acceptedAt: at } });
  });

  it('stamps only the first agent message, and only while active', async () => {
    const store = await open();
    const h = await store.create(newHandoff());
    expect(await store.agentMessage(h.id, at)).toMatchObject({ ok: false, refusal: 'not_active' });
    await store.accept(h.id, 'alex', at);
    await store.agentMessage(h.id, '2026-11-25T10:06:00.000Z');
    await store.agentMessage(h.id, '2026-11-25T10:07:00.000Z');
    expect((await store.get(h.id))?.firstAgentMessageAt).toBe('2026-11-25T10:06:00.000Z');
  });

  it('closes once: resolved or abandoned, with who ended it; then the conversation has no open handoff', async () => {
    const store = await open();
    const a = await store.create(newHandoff());
    const b = await store.create(newHandoff());
    await store.accept(a.id, 'alex', at);
    expect(await store.close(a.id, { status: 'resolved', at, by: 'agent', note: 'refund issued' })).toMatchObject({
      ok: true,
      handoff: { status: 'resolved', resolvedAt: at, endedBy: 'agent', note: 'refund issued', agent: 'alex' },
    });
    expect(await store.close(b.id, { status: 'abandoned', at, by: 'customer' })).toMatchObject({ ok: true, handoff: { abandonedAt: at, resolvedAt: null } });
    expect(await store.close(a.id, { status: 'abandoned', at, by: 'customer' })).toMatchObject({ ok: false, refusal: 'closed' });
    expect(await store.accept(b.id, 'alex', at)).toMatchObject({ ok: false, refusal: 'closed' });
    expect(await store.openFor(a.conversationId)).toBeUndefined();
    // A closed conversation may escalate again.
    expect((await store.create(newHandoff({ conversationId: a.conversationId }))).status).toBe('queued');
  });

  it('a queued handoff resolved by a lead keeps no agent: the lead is who closed it', async () => {
    const store = await open();
    const queued = await store.create(newHandoff());
    const taken = await store.create(newHandoff());
    await store.accept(taken.id, 'alex', at);
    expect(await store.close(queued.id, { status: 'resolved', at, by: 'agent', closedBy: 'lee' })).toMatchObject({
      ok: true,
      handoff: { status: 'resolved', endedBy: 'agent', agent: null, acceptedAt: null, closedBy: 'lee' },
    });
    // A lead closing someone else's chat: it stays that agent's, and says who closed it.
    expect(await store.close(taken.id, { status: 'resolved', at, by: 'agent', closedBy: 'lee' })).toMatchObject({ ok: true, handoff: { agent: 'alex', closedBy: 'lee' } });
    expect((await store.list({ accepted: true })).map((h) => h.id)).toEqual([taken.id]);
  });

  it('lists newest first, filtered by status, dates, channel, reason and acceptance, up to a limit', async () => {
    const store = await open();
    const a = await store.create(newHandoff({ createdAt: '2026-11-24T23:59:59.000Z', channel: 'msteams' }));
    const b = await store.create(newHandoff({ createdAt: '2026-11-25T08:00:00.000Z', reason: 'complaint', priority: 'high' }));
    const c = await store.create(newHandoff({ createdAt: '2026-11-26T08:00:00.000Z' }));
    await store.accept(c.id, 'alex', at);
    expect((await store.list()).map((h) => h.id)).toEqual([c.id, b.id, a.id]);
    expect((await store.list({ status: ['active'] })).map((h) => h.id)).toEqual([c.id]);
    expect((await store.list({ from: '2026-11-25T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z' })).map((h) => h.id)).toEqual([b.id]);
    expect((await store.list({ channel: 'msteams' })).map((h) => h.id)).toEqual([a.id]);
    expect((await store.list({ reason: 'complaint' })).map((h) => h.id)).toEqual([b.id]);
    expect((await store.list({ accepted: true })).map((h) => h.id)).toEqual([c.id]);
    expect((await store.list({ limit: 2 })).map((h) => h.id)).toEqual([c.id, b.id]);
  });

  it('lists accepted handoffs newest first whatever order they were accepted in, and forgets erased ones', async () => {
    const store = await open();
    const made: Handoff[] = [];
    for (let i = 0; i < 6; i += 1) made.push(await store.create(newHandoff()));
    for (const i of [4, 0, 2, 5]) await store.accept(made[i]!.id, 'alex', at);
    await store.close(made[2]!.id, { status: 'resolved', at, by: 'agent' });
    const ids = (...idx: number[]) => idx.map((i) => made[i]!.id);
    expect((await store.list({ accepted: true })).map((h) => h.id)).toEqual(ids(5, 4, 2, 0));
    expect((await store.list({ accepted: true, limit: 2 })).map((h) => h.id)).toEqual(ids(5, 4));
    expect((await store.list({ accepted: true, status: ['active'] })).map((h) => h.id)).toEqual(ids(5, 4, 0));
    expect(await store.deleteWhere((h) => h.id === made[4]!.id)).toBe(1);
    await store.accept(made[1]!.id, 'alex', at);
    expect((await store.list({ accepted: true })).map((h) => h.id)).toEqual(ids(5, 2, 1, 0));
  });

  it('hands out copies: changing a returned handoff does not change the store', async () => {
    const store = await open();
    const h = await store.create(newHandoff());
    h.status = 'resolved';
    (await store.get(h.id))!.agent = 'mallory';
    expect(await store.get(h.id)).toMatchObject({ status: 'queued', agent: null });
  });
});

describe('lowdb handoff file', () => {
  it('keeps handoffs and open conversations across reopen, never reusing an id', async () => {
    const file = path.join(await tempDir(), 'handoffs.json');
    const first = await LowdbHandoffStore.open(file);
    const h = await first.create(newHandoff());
    await first.accept(h.id, 'alex', at);
    const again = await LowdbHandoffStore.open(file);
    expect(await again.openFor(h.conversationId)).toMatchObject({ id: h.id, status: 'active', agent: 'alex' });
    expect((await again.list({ accepted: true })).map((x) => x.id)).toEqual([h.id]);
    expect((await again.create(newHandoff())).id).toBe('H-000002');
    // Every later change reaches the file, not a copy serialised before it.
    await again.agentMessage(h.id, at);
    await again.close(h.id, { status: 'resolved', at, by: 'agent', note: 'sorted' });
    await again.accept('H-000002', 'blair', at);
    const third = await LowdbHandoffStore.open(file);
    expect(await third.list()).toEqual(await again.list());
    expect(await third.get(h.id)).toMatchObject({ status: 'resolved', note: 'sorted', firstAgentMessageAt: at });
  });

  it('moves an open handoff to a new serviceUrl with one journal line, kept across reopen; a closed one stays', async () => {
    const file = path.join(await tempDir(), 'handoffs.json');
    const store = await LowdbHandoffStore.open(file);
    const h = await store.create(newHandoff());
    const journal = `${file.slice(0, -'.json'.length)}.journal.jsonl`;
    const lines = async () => (await readFile(journal, 'utf8')).split('\n').filter(Boolean).length;
    const before = await lines();
    expect(await store.updateServiceUrl(h.conversationId, h.channel, h.reference.serviceUrl)).toBe(false);
    expect(await lines()).toBe(before);
    // Another channel's conversation of the same id is someone else's: it moves nothing, and does not find this one.
    expect(await store.updateServiceUrl(h.conversationId, 'sms', 'https://attacker.example.net/')).toBe(false);
    expect(await store.openFor(h.conversationId, 'sms')).toBeUndefined();
    expect(await store.updateServiceUrl(h.conversationId, h.channel, 'https://smba.example.net/emea/')).toBe(true);
    expect(await lines()).toBe(before + 1);
    expect(await store.updateServiceUrl('no-such-conversation', h.channel, 'https://smba.example.net/emea/')).toBe(false);
    const again = await LowdbHandoffStore.open(file);
    expect((await again.openFor(h.conversationId))?.reference).toEqual({ ...h.reference, serviceUrl: 'https://smba.example.net/emea/' });
    await again.close(h.id, { status: 'resolved', at, by: 'agent' });
    expect(await again.updateServiceUrl(h.conversationId, h.channel, 'https://elsewhere.example.net/')).toBe(false);
    expect((await again.get(h.id))?.reference.serviceUrl).toBe('https://smba.example.net/emea/');
  });

  it('reads a file from before closedBy: a lead named as the agent of a queued handoff they closed becomes its closer', async () => {
    const store = await LowdbHandoffStore.open(null);
    const [queued, taken] = [await store.create(newHandoff()), await store.create(newHandoff())];
    const untaken = { ...queued, status: 'resolved', resolvedAt: at, endedBy: 'agent', agent: 'lee' } as Partial<Handoff>;
    const worked = { ...taken, status: 'resolved', acceptedAt: at, resolvedAt: at, endedBy: 'agent', agent: 'alex' } as Partial<Handoff>;
    const viaHub = { ...taken, id: 'H-000003', status: 'resolved', resolvedAt: at, endedBy: 'hub', agent: '(external hub)' } as Partial<Handoff>;
    for (const h of [untaken, worked, viaHub]) delete h.closedBy;
    const file = path.join(await tempDir(), 'handoffs.json');
    await writeFile(file, JSON.stringify({ seq: 3, handoffs: [untaken, worked, viaHub] }));
    const old = await LowdbHandoffStore.open(file);
    expect(await old.get(queued.id)).toMatchObject({ agent: null, closedBy: 'lee' });
    expect(await old.get(taken.id)).toMatchObject({ agent: 'alex', closedBy: null });
    expect(await old.get('H-000003')).toMatchObject({ agent: '(external hub)', closedBy: null });
  });

  it('a corrupt file stops the store with a message naming it, and is left untouched', async () => {
    const file = path.join(await tempDir(), 'handoffs.json');
    await writeFile(file, '{"seq": 1, "handoffs": [{"id": "H-000001"');
    await expect(LowdbHandoffStore.open(file)).rejects.toThrow(DataFileError);
    await expect(LowdbHandoffStore.open(file)).rejects.toThrow(/handoffs\.json: is not valid JSON/);
    expect(await readFile(file, 'utf8')).toBe('{"seq": 1, "handoffs": [{"id": "H-000001"');
  });

  it('a write that fails leaves memory as the disk has it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'sub', 'handoffs.json');
    const store = await LowdbHandoffStore.open(file);
    const h = await store.create(newHandoff());
    await rm(path.join(dir, 'sub'), { recursive: true });
    await expect(store.accept(h.id, 'alex', at)).rejects.toThrow();
    expect(await store.get(h.id)).toMatchObject({ status: 'queued', agent: null });
    expect(await store.queuePosition(h.id)).toBe(1);
    expect((await store.queue()).map((q) => q.id)).toEqual([h.id]);
    await expect(store.create(newHandoff())).rejects.toThrow();
    expect(await store.list()).toHaveLength(1);
    expect(await store.list({ accepted: true })).toEqual([]);
  });
});
