/**
 * One turn at a time in each conversation. Turns that overlapped all read the same conversation state: eight
 * postcode guesses sent at once were each a customer's first try and the last one showed the order; a double-clicked
 * "skip" filed three tickets; "5", "4" and "2" sent together were each taken as the rating. Proactive turns (an
 * agent's message, the hand-back) queue with the customer's, since they change the same state.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';

/**
 * Longest a turn waits for the one before it. A turn is bounded (the turn log's write timeout, the channel's reply),
 * but a channel that never answers must not silence the conversation for good.
 */
export const TURN_QUEUE_WAIT_MS = 10_000;

/** Runs the turns of a conversation in the order they arrived, each after the one before it has finished. */
export class TurnQueueMiddleware implements Middleware {
  /** The last turn queued in each conversation; it settles once that turn has finished. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly logger: Logger,
    private readonly waitMs = TURN_QUEUE_WAIT_MS,
  ) {}

  /** Conversations with a turn running now. */
  get busy(): number {
    return this.tails.size;
  }

  /** Resolves once every turn queued now has finished, or after the longest wait a turn gets. */
  async settled(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.waitMs);
    });
    await Promise.race([Promise.all([...this.tails.values()]), late]);
    clearTimeout(timer);
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { channelId, conversation } = context.activity;
    if (!conversation?.id) return next();
    const key = `${channelId}\u0000${conversation.id}`;
    const before = this.tails.get(key);
    let finished!: () => void;
    // Each turn waits for the one just before it only (which waited for its own): chained to every earlier turn, one
    // that never finished would have held each later turn back for the whole wait.
    const mine = new Promise<void>((resolve) => (finished = resolve));
    this.tails.set(key, mine);
    try {
      if (before) await this.waitFor(before, conversation.id);
      await next();
    } finally {
      finished();
      if (this.tails.get(key) === mine) this.tails.delete(key);
    }
  }

  private async waitFor(before: Promise<void>, conversationId: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.waitMs);
    });
    try {
      if ((await Promise.race([before, late])) === 'late') {
        this.logger.warn({ conversationId, waitedMs: this.waitMs }, 'A turn ran before the one ahead of it had finished: that turn is still running');
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
