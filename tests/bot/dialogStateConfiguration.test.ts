import { TestAdapter, TurnContext } from 'botbuilder';
import { DialogContext, DialogSet, type DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALOG_STATE_CONFIGURATION_KEY } from '../../bot/supportBot.js';
import { Conversation, createTestCore, type TestCore } from '../helpers/harness.js';

describe('dialog memory scopes built once', () => {
  let test: TestCore;
  beforeAll(async () => {
    test = await createTestCore();
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('botbuilder-dialogs still reads its configuration from the turn-state key the bot presets', () => {
    const context = new TurnContext(new TestAdapter(), { type: 'message', text: 'hi', channelId: 'test', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } } as never);
    const configuration = new DialogContext(new DialogSet(), context, { dialogStack: [] }).state.configuration;
    const next = new TurnContext(new TestAdapter(), context.activity);
    next.turnState.set(DIALOG_STATE_CONFIGURATION_KEY, configuration);
    expect(new DialogContext(new DialogSet(), next, { dialogStack: [] }).state.configuration).toBe(configuration);
  });

  it('every turn of every conversation shares one configuration, and the dialogs still work on it', async () => {
    const seen: DialogStateManagerConfiguration[] = [];
    const conversations = [new Conversation(test.core), new Conversation(test.core)];
    for (const c of conversations) {
      c.adapter.use(async (context, next) => {
        await next();
        seen.push(context.turnState.get(DIALOG_STATE_CONFIGURATION_KEY));
      });
    }
    expect((await conversations[0]!.say('where is my order 10231')).join(' ')).toMatch(/postcode|zip/i);
    expect((await conversations[1]!.say('I want to talk to a person')).length).toBeGreaterThan(0);
    expect((await conversations[0]!.say('cancel')).length).toBeGreaterThan(0);
    expect(seen).toHaveLength(3);
    expect(seen[0]?.memoryScopes.map((s) => s.name)).toEqual(expect.arrayContaining(['turn', 'dialog', 'conversation']));
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
  });
});
