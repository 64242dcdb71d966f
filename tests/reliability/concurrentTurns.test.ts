/** Messages of one conversation sent at once (a double click, a flaky network, a fast typist) over real HTTP. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TurnContext } from 'botbuilder';
import { TurnQueueMiddleware } from '../../bot/middleware/turnQueueMiddleware.js';
import { silentLogger } from '../../bot/logger.js';
import { customerActivity, postActivity, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ BUSINESS_HOURS: 'always' });
});
afterAll(async () => server.stop());

/** The texts the bot answered `text` with. */
async function say(conversationId: string, text: string): Promise<string[]> {
  const res = await postActivity(server.url, customerActivity(text, conversationId));
  expect(res.status).toBe(200);
  return (res.body?.activities ?? []).filter((a: { type: string }) => a.type === 'message').map((a: { text?: string }) => a.text ?? '');
}

describe('turns of one conversation sent at once', () => {
  it('run one after another: guesses sent together cannot walk round the verification limit', async () => {
    // Eight guesses at once were each the customer's first try, and the right one, sent last, showed the order.
    await say('race-verify', 'where is my order');
    expect((await say('race-verify', '10231')).join(' ')).toMatch(/email|postcode/i);
    const guesses = ['90210', '90211', '90212', '90213', '90214', '90215', '90216', '10001'];
    const replies = (await Promise.all(guesses.map((g) => say('race-verify', g)))).flat().join('\n');
    // Each guess is a try of its own, in the order sent: one more try is offered, once, and then none.
    expect(replies.match(/try once more/g)).toHaveLength(1);
    expect(replies.match(/doesn't match either/g)).toHaveLength(1);
    expect(replies).not.toMatch(/Linen duvet cover|being prepared/i);
  });

  it('file one ticket for a double-clicked answer', async () => {
    // Three "skip" answers to the last complaint question, with different ids, filed three tickets.
    await say('race-ticket', 'my item arrived broken');
    await say('race-ticket', 'the mug was cracked');
    await Promise.all([1, 2, 3].map(() => say('race-ticket', 'skip')));
    const tickets = (await server.app.core.services.tickets.list()).filter((t) => t.conversationId === 'race-ticket');
    expect(tickets).toHaveLength(1);
  });
});

describe('the turn queue', () => {
  const turn = (conversationId: string) => ({ activity: { channelId: 'webchat', conversation: { id: conversationId } } }) as unknown as TurnContext;

  it('runs a conversation\'s turns in arrival order, other conversations beside them, and forgets idle ones', async () => {
    const queue = new TurnQueueMiddleware(silentLogger);
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name} starts`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`${name} ends`);
    };
    await Promise.all([queue.onTurn(turn('a'), step('a1', 30)), queue.onTurn(turn('a'), step('a2', 1)), queue.onTurn(turn('b'), step('b1', 1))]);
    expect(order).toEqual(['a1 starts', 'b1 starts', 'b1 ends', 'a1 ends', 'a2 starts', 'a2 ends']);
    expect(queue.busy).toBe(0);
  });

  it('lets a turn go on after the wait when the one ahead never finishes, and the turns after it wait no more', async () => {
    vi.useFakeTimers();
    try {
      const queue = new TurnQueueMiddleware(silentLogger, 200);
      const flush = () => vi.advanceTimersByTimeAsync(0);
      void queue.onTurn(turn('stuck'), () => new Promise<void>(() => undefined));
      let finishSecond!: () => void;
      let secondRan = false;
      const second = queue.onTurn(turn('stuck'), () => {
        secondRan = true;
        return new Promise<void>((resolve) => (finishSecond = resolve));
      });
      await vi.advanceTimersByTimeAsync(200);
      expect(secondRan).toBe(true);
      // A third turn arrives while the second runs: it starts once the second finishes, with no time passing.
      // Chained to the stuck turn as well, it waited the whole 200 ms again.
      let thirdRan = false;
      const third = queue.onTurn(turn('stuck'), async () => {
        thirdRan = true;
      });
      await flush();
      expect(thirdRan).toBe(false);
      finishSecond();
      await flush();
      expect(thirdRan).toBe(true);
      await Promise.all([second, third]);
    } finally {
      vi.useRealTimers();
    }
  });
});
