import { type Activity, ActivityTypes, type BotState, ConversationState, MemoryStorage, type StoreItems, TestAdapter, TurnContext, UserState } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { stateFingerprint, TrackedConversationState, TrackedUserState } from '../../storage/trackedState.js';

/** MemoryStorage that counts writes and can hold one back until released. */
class CountingStorage extends MemoryStorage {
  writes: StoreItems[] = [];
  hold: Promise<void> | undefined;

  override async write(changes: StoreItems): Promise<void> {
    this.writes.push(JSON.parse(JSON.stringify(changes)) as StoreItems);
    if (this.hold) await this.hold;
    return super.write(changes);
  }
}

function turn(): TurnContext {
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text: 'hi',
    channelId: 'test',
    conversation: { id: 'conv-1', isGroup: false, conversationType: '', name: '' },
    from: { id: 'user-1', name: 'U' },
    recipient: { id: 'bot', name: 'Bot' },
  };
  return new TurnContext(new TestAdapter(), activity);
}

type Make = (storage: CountingStorage) => BotState;
const pairs: Array<[string, Make]> = [
  ['ConversationState (botbuilder, reference)', (s) => new ConversationState(s)],
  ['TrackedConversationState', (s) => new TrackedConversationState(s)],
  ['UserState (botbuilder, reference)', (s) => new UserState(s)],
  ['TrackedUserState', (s) => new TrackedUserState(s)],
];

describe.each(pairs)('change tracking: %s', (_name, make) => {
  it('writes a changed state once, reads it back next turn, and does not write an unchanged one', async () => {
    const storage = new CountingStorage();
    const state = make(storage);
    const data = state.createProperty<{ n: number; tags: string[] }>('data');

    const first = turn();
    await data.set(first, { n: 1, tags: ['a'] });
    await state.saveChanges(first);
    expect(storage.writes).toHaveLength(1);

    // The stored item now carries an eTag the turn never set: that alone is not a change.
    const second = turn();
    expect(await data.get(second)).toEqual({ n: 1, tags: ['a'] });
    await state.saveChanges(second);
    expect(storage.writes).toHaveLength(1);

    const third = turn();
    (await data.get(third))!.tags.push('b');
    await state.saveChanges(third);
    expect(storage.writes).toHaveLength(2);
    await state.saveChanges(third);
    expect(storage.writes).toHaveLength(2);
    expect(await data.get(turn())).toEqual({ n: 1, tags: ['a', 'b'] });
  });

  it('a turn that never loads the state writes nothing; clear and force write', async () => {
    const storage = new CountingStorage();
    const state = make(storage);
    const data = state.createProperty<number>('n');
    await state.saveChanges(turn());
    expect(storage.writes).toHaveLength(0);

    const seeded = turn();
    await data.set(seeded, 5);
    await state.saveChanges(seeded);

    const cleared = turn();
    await state.load(cleared);
    await state.clear(cleared);
    await state.saveChanges(cleared);
    expect(storage.writes).toHaveLength(2);
    expect(await data.get(turn())).toBeUndefined();

    const forced = turn();
    await state.load(forced);
    await state.saveChanges(forced, true);
    expect(storage.writes).toHaveLength(3);
  });
});

describe('TrackedConversationState', () => {
  it('a change made while the write runs stays unsaved, so the next save writes it', async () => {
    const storage = new CountingStorage();
    const state = new TrackedConversationState(storage);
    const data = state.createProperty<{ n: number }>('data');
    const context = turn();
    await data.set(context, { n: 1 });
    let release!: () => void;
    storage.hold = new Promise((r) => (release = r));
    const saving = state.saveChanges(context);
    (await data.get(context))!.n = 2;
    release();
    await saving;
    storage.hold = undefined;
    await state.saveChanges(context);
    expect(storage.writes.map((w) => (Object.values(w)[0] as { data: { n: number } }).data.n)).toEqual([1, 2]);
    expect(await data.get(turn())).toEqual({ n: 2 });
  });

  it('a state JSON cannot write (a cycle) is still fingerprinted, by botbuilder\'s hash', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(stateFingerprint(cyclic)).toMatch(/^[0-9a-f]{64}$/);
    expect(stateFingerprint({ a: 1, eTag: 'x' })).toBe(stateFingerprint({ a: 1, eTag: '*' }));
  });
});
