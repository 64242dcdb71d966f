/**
 * Channels deliver an activity again when they miss the answer to the first delivery (a timeout, a dropped
 * connection). Handled twice, a retry repeated the FAQ answer, took a CSAT score for the NPS question and added the
 * same text to a ticket again. The activity's id, within its channel and conversation, says it is the same one.
 */
import { LRUCache } from 'lru-cache';

/** The recently handled activity ids; a retry of one of them is acknowledged and not handled again. */
export class Redeliveries {
  private readonly seen: LRUCache<string, true>;

  /** `max` ids are remembered: far more than a channel's retry window holds at any traffic. */
  constructor(max = 20_000) {
    this.seen = new LRUCache({ max });
  }

  /** The key of an activity, or undefined when it has no id to tell a retry by. */
  static keyOf(activity: { id?: string; channelId: string; conversation: { id: string } }): string | undefined {
    return activity.id ? `${activity.channelId}\u0000${activity.conversation.id}\u0000${activity.id}` : undefined;
  }

  /** Takes the activity for handling; false when it was handled already or is being handled now. */
  claim(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.set(key, true);
    return true;
  }

  /** Forgets a claim whose handling failed, so that the channel's retry is handled. */
  release(key: string): void {
    this.seen.delete(key);
  }
}
