/**
 * The Direct Line service's memory: open conversations, each with a bounded activity log (the watermark is the
 * log's sequence number) and the listeners (WebSockets) waiting for new activities. Everything is capped:
 * conversations, activities and bytes per conversation; idle conversations expire.
 */
import { LRUCache } from 'lru-cache';

/** An activity as clients see it (JSON). */
export type DlActivity = Record<string, unknown> & { id: string; type: string };

/** What a stream or a poll delivers: activities plus the watermark to resume from. */
export interface ActivitySet {
  activities: DlActivity[];
  watermark?: string;
}

/** Someone waiting for a conversation's activities (a WebSocket). */
export interface Listener {
  deliver(set: ActivitySet): void;
  /** The conversation ended (expired, evicted, or the service is closing). */
  end(reason: string): void;
}

interface Entry {
  seq: number;
  activity: DlActivity;
  bytes: number;
}

/** One Direct Line conversation. */
export class Conversation {
  private readonly entries: Entry[] = [];
  private logBytes = 0;
  private seq = 0;
  private ephemeral = 0;
  readonly listeners = new Set<Listener>();

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly locale: string | undefined,
    readonly createdAt: number,
    public lastActivityAt: number,
  ) {}

  /** Watermark of the newest activity (0 before the first). */
  get watermark(): number {
    return this.seq;
  }

  /** Number of activities kept. */
  get size(): number {
    return this.entries.length;
  }

  /** The kept activity `userId` sent with this `clientActivityID`, if any: a client's retry of it. */
  sentBy(userId: string, clientActivityId: string): DlActivity | undefined {
    return this.entries.find(({ activity }) => (activity.from as { id?: unknown } | undefined)?.id === userId && (activity.channelData as { clientActivityID?: unknown } | undefined)?.clientActivityID === clientActivityId)?.activity;
  }

  /** Activities after `watermark` (all kept ones when absent), and the watermark to ask with next. */
  since(watermark?: number): ActivitySet {
    const activities = this.entries.filter((e) => watermark === undefined || e.seq > watermark).map((e) => e.activity);
    return { activities, watermark: String(this.seq) };
  }

  /** Gives the activity its id, keeps it (unless ephemeral, e.g. typing) and delivers it to listeners. */
  add(partial: Omit<DlActivity, 'id'>, limits: { maxActivities: number; maxBytes: number }, persist = true): DlActivity {
    if (!persist) {
      this.ephemeral += 1;
      const activity = { ...partial, id: `${this.id}|e${this.ephemeral}` } as DlActivity;
      for (const l of this.listeners) l.deliver({ activities: [activity] });
      return activity;
    }
    this.seq += 1;
    // Same id shape as the real service: "<conversation id>|0000001".
    const activity = { ...partial, id: `${this.id}|${String(this.seq).padStart(7, '0')}` } as DlActivity;
    const bytes = JSON.stringify(activity).length;
    this.entries.push({ seq: this.seq, activity, bytes });
    this.logBytes += bytes;
    // Oldest first out; the newest activity always stays, even when it alone is over the byte budget.
    while (this.entries.length > 1 && (this.entries.length > limits.maxActivities || this.logBytes > limits.maxBytes)) {
      this.logBytes -= this.entries.shift()!.bytes;
    }
    const set = { activities: [activity], watermark: String(this.seq) };
    for (const l of this.listeners) l.deliver(set);
    return activity;
  }
}

/** Thrown when the service holds as many conversations as it may. */
export class CapacityError extends Error {}

/** Limits of the store. */
export interface StoreLimits {
  maxConversations: number;
  maxActivities: number;
  maxLogBytes: number;
  idleMs: number;
}

/** All open conversations. */
export class ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  /** Ids of conversations that ended, so an old token cannot bring one back to life. */
  private readonly ended: LRUCache<string, true>;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: StoreLimits,
    private readonly now: () => number = Date.now,
    endedMemoryMs = 24 * 3600_000,
  ) {
    this.ended = new LRUCache({ max: 10_000, ttl: endedMemoryMs });
  }

  get size(): number {
    return this.conversations.size;
  }

  get(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  /** The ids of the open conversations. */
  ids(): string[] {
    return [...this.conversations.keys()];
  }

  /** Whether `id` belonged to a conversation that has ended. */
  hasEnded(id: string): boolean {
    return this.ended.has(id);
  }

  /** Opens a conversation; throws CapacityError when full even after dropping idle ones. */
  create(id: string, userId: string, locale?: string): Conversation {
    if (this.conversations.size >= this.limits.maxConversations) this.sweep();
    if (this.conversations.size >= this.limits.maxConversations) throw new CapacityError('Too many open conversations');
    const t = this.now();
    const conversation = new Conversation(id, userId, locale, t, t);
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** Adds an activity to a conversation (see Conversation.add) and marks it active. */
  append(conversation: Conversation, partial: Omit<DlActivity, 'id'>, persist = true): DlActivity {
    if (persist) conversation.lastActivityAt = this.now();
    return conversation.add(partial, { maxActivities: this.limits.maxActivities, maxBytes: this.limits.maxLogBytes }, persist);
  }

  /** Ends one conversation: forgets its log and tells its listeners. */
  end(id: string, reason: string): void {
    const conversation = this.conversations.get(id);
    if (!conversation) return;
    this.conversations.delete(id);
    this.ended.set(id, true);
    for (const l of conversation.listeners) l.end(reason);
    conversation.listeners.clear();
  }

  /** Ends conversations idle for longer than the limit; returns how many. */
  sweep(): number {
    const cutoff = this.now() - this.limits.idleMs;
    let n = 0;
    for (const c of [...this.conversations.values()]) {
      if (c.lastActivityAt <= cutoff) {
        this.end(c.id, 'conversation expired');
        n += 1;
      }
    }
    return n;
  }

  /** Sweeps periodically; the timer never keeps the process alive on its own. */
  startSweeper(intervalMs: number): void {
    this.sweeper ??= setInterval(() => this.sweep(), intervalMs).unref();
  }

  /** Stops the sweeper and ends every conversation. */
  close(reason = 'service stopping'): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const id of [...this.conversations.keys()]) this.end(id, reason);
  }
}
