/**
 * Handoffs: a conversation waiting for, or talking to, a person. lowdb behind a small interface (DESIGN §5 shape).
 * State changes are check-and-set on the in-memory document with no `await` between the check and the set, so when
 * two agents accept the same handoff at once exactly one wins; the journal line follows.
 */
import { z } from 'zod';
import { JournaledCollection, type JournaledOptions } from './journaledDb.js';
import { ReferenceSchema } from './reference.js';
import { TicketPrioritySchema } from './ticketStore.js';

/** Why a conversation was handed to a person (each is a configurable trigger). */
export const HandoffReasonSchema = z.enum(['requested', 'fallbacks', 'negative_sentiment', 'complaint', 'faq_unhelpful']);
export type HandoffReason = z.infer<typeof HandoffReasonSchema>;

/** queued → active → resolved, or abandoned (the customer left or cancelled, or the hub failed). */
export const HandoffStatusSchema = z.enum(['queued', 'active', 'resolved', 'abandoned']);
export type HandoffStatus = z.infer<typeof HandoffStatusSchema>;

/** A query's `status=queued,active`: one or more statuses, comma-separated. */
export const HandoffStatusListSchema = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  // An empty list ("?status=") listed every handoff, as if no filter had been asked for.
  .pipe(z.array(HandoffStatusSchema, { error: `must be a comma-separated list of ${HandoffStatusSchema.options.join(', ')}` }).min(1, { error: `must name at least one of ${HandoffStatusSchema.options.join(', ')}` }));

/** Handoff priorities are the ticket ones: high, normal, low. */
export const HandoffPrioritySchema = TicketPrioritySchema;
export type HandoffPriority = z.infer<typeof HandoffPrioritySchema>;


const iso = z.iso.datetime();

/** A stored handoff. */
export const HandoffSchema = z.object({
  id: z.string().regex(/^H-\d{6,}$/),
  status: HandoffStatusSchema,
  reason: HandoffReasonSchema,
  priority: HandoffPrioritySchema,
  channel: z.string(),
  locale: z.string(),
  customerId: z.string(),
  conversationId: z.string(),
  reference: ReferenceSchema,
  /** Intents of the customer's turns so far, in order of first appearance. */
  intents: z.array(z.string()),
  /** The customer's sentiment so far: mean, last and lowest turn score; null when no turn had one. */
  sentiment: z.object({ mean: z.number(), last: z.number(), min: z.number(), turns: z.number().int() }).nullable(),
  /** Place in the queue when it was created (the expected-wait estimate learns from it). */
  position: z.number().int().positive(),
  /** The ticket that caused it (a high-priority complaint). */
  ticketId: z.string().optional(),
  createdAt: iso,
  acceptedAt: iso.nullable(),
  firstAgentMessageAt: iso.nullable(),
  resolvedAt: iso.nullable(),
  abandonedAt: iso.nullable(),
  /**
   * Who ended it: the team (resolve, by its agent or a lead: `closedBy` names them), the customer (cancel, left), the
   * external hub, or the system.
   */
  endedBy: z.enum(['agent', 'customer', 'hub', 'system']).nullable(),
  /** Who took it (accepted, or had it transferred to them); null while nobody has, and for good if nobody ever did. */
  agent: z.string().nullable(),
  /**
   * The user who resolved it from the console or API (its agent, or a lead, a queued one included). Kept apart from
   * `agent`: a lead closing a queued handoff was listed as its agent, next to "not taken". Absent in older files.
   */
  closedBy: z.string().nullable().default(null),
  note: z.string().nullable(),
});
export type Handoff = z.infer<typeof HandoffSchema>;

/** What the caller supplies; the store assigns id, status and the lifecycle fields. */
export type NewHandoff = Pick<
  Handoff,
  'reason' | 'priority' | 'channel' | 'locale' | 'customerId' | 'conversationId' | 'reference' | 'intents' | 'sentiment' | 'createdAt'
> & { ticketId?: string };

/** Filters of the escalation log. Dates are ISO instants; `from` inclusive, `to` exclusive. */
export interface HandoffFilter {
  status?: HandoffStatus[];
  from?: string;
  to?: string;
  channel?: string;
  reason?: HandoffReason;
  /** Only handoffs an agent accepted. */
  accepted?: boolean;
  /** At most this many (the newest). */
  limit?: number;
}

/** Why a state change was refused. */
export type Refusal = 'not_found' | 'taken' | 'closed' | 'not_active';

/** Result of a check-and-set change. */
export type Change = { ok: true; handoff: Handoff } | { ok: false; refusal: Refusal; handoff?: Handoff };

/** How a handoff ends. */
export interface Closing {
  status: 'resolved' | 'abandoned';
  at: string;
  by: NonNullable<Handoff['endedBy']>;
  note?: string;
  /** The user who resolved it (`closedBy`); never makes them its agent. */
  closedBy?: string;
  /** Who had it when it ends without an accept on record: the external hub, which took it on its side. */
  agent?: string;
}

/** Handoff persistence. */
export interface HandoffStore {
  /** Stores a new queued handoff; `position` is its place in the queue at that moment. */
  create(input: NewHandoff): Promise<Handoff>;
  get(id: string): Promise<Handoff | undefined>;
  /**
   * The queued or active handoff of a conversation, if any; given `channelId`, only one on that channel (another
   * channel's conversation of the same id is another customer's).
   */
  openFor(conversationId: string, channelId?: string): Promise<Handoff | undefined>;
  /** Newest first. */
  list(filter?: HandoffFilter): Promise<Handoff[]>;
  /** Queued handoffs in service order: priority (high first), then oldest first. */
  queue(): Promise<Handoff[]>;
  /** A queued handoff's place in that order (1 = next), or 0 when it is not queued. */
  queuePosition(id: string): Promise<number>;
  /** queued → active for `agent`; refused with `taken` when someone else has it, `closed` when it has ended. */
  accept(id: string, agent: string, at: string): Promise<Change>;
  /** Sets `firstAgentMessageAt` the first time; refused unless active. */
  agentMessage(id: string, at: string): Promise<Change>;
  /** active → active for another agent (the chat goes to a colleague); refused unless active. */
  transfer(id: string, to: string): Promise<Change>;
  /** active → queued, its agent gone (they logged out); refused unless active with `agent`. Keeps the first accept time. */
  requeue(id: string, agent: string): Promise<Change>;
  /** queued|active → resolved|abandoned; refused with `closed` when already ended. */
  close(id: string, closing: Closing): Promise<Change>;
  /**
   * Points the open handoff of a conversation at the serviceUrl the customer's latest activity came with (channels
   * may move a conversation); true when that changed it. Costs nothing when the URL is the one stored.
   */
  updateServiceUrl(conversationId: string, channelId: string, serviceUrl: string): Promise<boolean>;
  /** The language the customer now writes in, while the handoff is open. */
  relocale(id: string, locale: string): Promise<Change>;
  /** Deletes the handoffs `drop` selects (erasure, retention); returns how many. */
  deleteWhere(drop: (h: Handoff) => boolean): Promise<number>;
  /** Finishes pending writes and lets go of the files (at shutdown). */
  closeFiles(): Promise<void>;
}

const PRIORITY_RANK: Record<HandoffPriority, number> = { high: 0, normal: 1, low: 2 };

/** Service order of the queue: higher priority first, then first come first served. */
export function queueOrder(a: Handoff, b: Handoff): number {
  return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/** Formats the sequence number as the handoff id (H-000042). */
export function handoffId(seq: number): string {
  return `H-${String(seq).padStart(6, '0')}`;
}

/** Whether a handoff is still waiting or talking. */
export function isOpen(h: Handoff): boolean {
  return h.status === 'queued' || h.status === 'active';
}

/**
 * A handoff a lead resolved while queued, stored before `closedBy` existed, has the lead as its `agent` (and no
 * accept): moves them to `closedBy`, so the review and the API say nobody took it. Only that shape is touched.
 */
function liftLegacyCloser(h: Handoff): void {
  if (h.status === 'resolved' && h.endedBy === 'agent' && h.acceptedAt === null && h.agent !== null && h.closedBy === null) {
    h.closedBy = h.agent;
    h.agent = null;
  }
}

/** Handoffs in a lowdb JSON document plus its journal (file, or memory when `file` is null). */
export class LowdbHandoffStore implements HandoffStore {
  private readonly byId = new Map<string, Handoff>();
  private readonly openByConversation = new Map<string, Handoff>();
  /** Queued handoffs per priority, each in service order: a place in the queue is a sum and a binary search. */
  private readonly queued: Record<HandoffPriority, Handoff[]> = { high: [], normal: [], low: [] };
  /**
   * Accepted handoffs in store order. The queue's wait estimate reads the recently accepted ones on every
   * escalation; scanning every handoff instead grew with history (and found none while nobody was accepting).
   */
  private accepted: Handoff[] = [];
  /** Each handoff's place in store order, which deletions do not change. */
  private readonly ordinal = new WeakMap<Handoff, number>();
  private nextOrdinal = 0;

  private constructor(private readonly docs: JournaledCollection<Handoff>) {
    for (const h of docs.items) {
      liftLegacyCloser(h);
      this.ordinal.set(h, this.nextOrdinal++);
      this.byId.set(h.id, h);
      if (isOpen(h)) this.openByConversation.set(h.conversationId, h);
      if (h.status === 'queued') this.enqueue(h);
      if (h.acceptedAt !== null) this.accepted.push(h);
    }
  }

  /** Keeps `h`'s membership of the accepted index in step with its `acceptedAt`. */
  private indexAccepted(h: Handoff): void {
    const order = this.ordinal.get(h) as number;
    let lo = 0;
    let hi = this.accepted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ordinal.get(this.accepted[mid] as Handoff) as number) < order) lo = mid + 1;
      else hi = mid;
    }
    const present = this.accepted[lo] === h;
    if (h.acceptedAt !== null && !present) this.accepted.splice(lo, 0, h);
    else if (h.acceptedAt === null && present) this.accepted.splice(lo, 1);
  }

  /** Where `h` is, or would go, in its priority's queue. */
  private slot(h: Handoff): number {
    const line = this.queued[h.priority];
    let lo = 0;
    let hi = line.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (queueOrder(line[mid] as Handoff, h) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private enqueue(h: Handoff): void {
    this.queued[h.priority].splice(this.slot(h), 0, h);
  }

  private dequeue(h: Handoff): void {
    const line = this.queued[h.priority];
    const at = this.slot(h);
    if (line[at] === h) line.splice(at, 1);
  }

  /** 1-based place of a queued handoff in service order. */
  private rank(h: Handoff): number {
    let ahead = 0;
    for (const p of HandoffPrioritySchema.options) {
      if (p === h.priority) break;
      ahead += this.queued[p].length;
    }
    return ahead + this.slot(h) + 1;
  }

  static async open(file: string | null, options: Pick<JournaledOptions<unknown>, 'onWarning'> = {}): Promise<LowdbHandoffStore> {
    // Every handoff ever made (within retention) stays in the file, so a change appends a line rather than rewriting it.
    return new LowdbHandoffStore(await JournaledCollection.open({ ...options, file, key: 'handoffs', item: HandoffSchema, id: (h) => h.id }));
  }

  closeFiles(): Promise<void> {
    return this.docs.close();
  }

  async create(input: NewHandoff): Promise<Handoff> {
    const docs = this.docs;
    const handoff = HandoffSchema.parse({
      ...input,
      id: handoffId(docs.seq + 1),
      status: 'queued',
      position: 1,
      acceptedAt: null,
      firstAgentMessageAt: null,
      resolvedAt: null,
      abandonedAt: null,
      endedBy: null,
      agent: null,
      closedBy: null,
      note: null,
    });
    if (this.openByConversation.has(handoff.conversationId)) throw new Error(`Conversation ${handoff.conversationId} already has an open handoff`);
    handoff.position = this.rank(handoff);
    docs.seq += 1;
    docs.items.push(handoff);
    this.ordinal.set(handoff, this.nextOrdinal++);
    this.byId.set(handoff.id, handoff);
    this.openByConversation.set(handoff.conversationId, handoff);
    this.enqueue(handoff);
    // On failure the sequence number stays used: a later create may already hold the next one.
    await this.persist([handoff], () => {
      docs.items.splice(docs.items.indexOf(handoff), 1);
      this.dequeue(handoff);
      this.byId.delete(handoff.id);
      this.openByConversation.delete(handoff.conversationId);
    });
    return structuredClone(handoff);
  }

  async get(id: string): Promise<Handoff | undefined> {
    const h = this.byId.get(id);
    return h && structuredClone(h);
  }

  async openFor(conversationId: string, channelId?: string): Promise<Handoff | undefined> {
    const h = this.openByConversation.get(conversationId);
    return h && (channelId === undefined || h.channel === channelId) ? structuredClone(h) : undefined;
  }

  async list(filter: HandoffFilter = {}): Promise<Handoff[]> {
    const all = filter.accepted ? this.accepted : this.docs.items;
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    const out: Handoff[] = [];
    // Newest first, copying only the matches: the queue's wait estimate asks for a few recent ones on a hot path.
    for (let i = all.length - 1; i >= 0 && out.length < limit; i -= 1) {
      const h = all[i] as Handoff;
      if (
        (!filter.status?.length || filter.status.includes(h.status)) &&
        (!filter.from || h.createdAt >= filter.from) &&
        (!filter.to || h.createdAt < filter.to) &&
        (!filter.channel || h.channel === filter.channel) &&
        (!filter.reason || h.reason === filter.reason) &&
        (!filter.accepted || h.acceptedAt !== null)
      ) {
        out.push(structuredClone(h));
      }
    }
    return out;
  }

  async queue(): Promise<Handoff[]> {
    return HandoffPrioritySchema.options.flatMap((p) => this.queued[p].map((h) => structuredClone(h)));
  }

  async queuePosition(id: string): Promise<number> {
    const h = this.byId.get(id);
    return h?.status === 'queued' ? this.rank(h) : 0;
  }

  accept(id: string, agent: string, at: string): Promise<Change> {
    return this.change(id, (h) => {
      if (h.status === 'active') return h.agent === agent ? 'same' : 'taken';
      if (h.status !== 'queued') return 'closed';
      h.status = 'active';
      h.agent = agent;
      // Taken again after its agent left: the queue wait ended at the first accept, not this one.
      h.acceptedAt ??= at;
      return 'changed';
    });
  }

  transfer(id: string, to: string): Promise<Change> {
    return this.change(id, (h) => {
      if (h.status !== 'active') return isOpen(h) ? 'not_active' : 'closed';
      if (h.agent === to) return 'same';
      h.agent = to;
      return 'changed';
    });
  }

  requeue(id: string, agent: string): Promise<Change> {
    return this.change(id, (h) => {
      if (h.status !== 'active') return isOpen(h) ? 'not_active' : 'closed';
      if (h.agent !== agent) return 'taken';
      h.status = 'queued';
      h.agent = null;
      return 'changed';
    });
  }

  agentMessage(id: string, at: string): Promise<Change> {
    return this.change(id, (h) => {
      if (h.status !== 'active') return 'not_active';
      if (h.firstAgentMessageAt) return 'same';
      h.firstAgentMessageAt = at;
      return 'changed';
    });
  }

  relocale(id: string, locale: string): Promise<Change> {
    return this.change(id, (h) => {
      if (!isOpen(h)) return 'closed';
      if (h.locale === locale) return 'same';
      h.locale = locale;
      return 'changed';
    });
  }

  close(id: string, closing: Closing): Promise<Change> {
    return this.change(id, (h) => {
      if (!isOpen(h)) return 'closed';
      h.status = closing.status;
      h.endedBy = closing.by;
      if (closing.status === 'resolved') h.resolvedAt = closing.at;
      else h.abandonedAt = closing.at;
      if (closing.note !== undefined) h.note = closing.note;
      if (closing.closedBy !== undefined) h.closedBy = closing.closedBy;
      if (!h.agent && closing.agent) h.agent = closing.agent;
      this.openByConversation.delete(h.conversationId);
      return 'changed';
    });
  }

  async updateServiceUrl(conversationId: string, channelId: string, serviceUrl: string): Promise<boolean> {
    const open = this.openByConversation.get(conversationId);
    // Only the conversation's own channel moves it: an activity naming its id on another channel redirected the
    // agent's messages (and the built-in Direct Line's key) to whatever URL it gave.
    if (!open || open.reference.channelId !== channelId || open.reference.serviceUrl === serviceUrl) return false;
    const change = await this.change(open.id, (h) => {
      if (!isOpen(h)) return 'closed';
      if (h.reference.serviceUrl === serviceUrl) return 'same';
      h.reference = { ...h.reference, serviceUrl };
      return 'changed';
    });
    return change.ok;
  }

  /**
   * Applies `apply` to the stored record synchronously (the check-and-set), then writes the file. A failed write
   * restores the record, so memory never claims a state the disk does not have.
   */
  private async change(id: string, apply: (h: Handoff) => 'changed' | 'same' | Refusal): Promise<Change> {
    const h = this.byId.get(id);
    if (!h) return { ok: false, refusal: 'not_found' };
    const before = structuredClone(h);
    const outcome = apply(h);
    if (before.status === 'queued' && h.status !== 'queued') this.dequeue(h);
    if (before.status !== 'queued' && h.status === 'queued') this.enqueue(h);
    this.indexAccepted(h);
    if (outcome === 'same') return { ok: true, handoff: structuredClone(h) };
    if (outcome !== 'changed') return { ok: false, refusal: outcome, handoff: structuredClone(h) };
    await this.persist([h], () => {
      if (h.status === 'queued' && before.status !== 'queued') this.dequeue(h);
      Object.assign(h, before);
      if (h.status === 'queued') this.enqueue(h);
      if (isOpen(h)) this.openByConversation.set(h.conversationId, h);
      this.indexAccepted(h);
    });
    return { ok: true, handoff: structuredClone(h) };
  }

  async deleteWhere(drop: (h: Handoff) => boolean): Promise<number> {
    const docs = this.docs;
    const gone = docs.items.filter(drop);
    if (!gone.length) return 0;
    const before = docs.items;
    docs.items = before.filter((h) => !drop(h));
    const acceptedBefore = this.accepted;
    const goneSet = new Set(gone);
    this.accepted = acceptedBefore.filter((h) => !goneSet.has(h));
    for (const h of gone) {
      this.byId.delete(h.id);
      if (this.openByConversation.get(h.conversationId)?.id === h.id) this.openByConversation.delete(h.conversationId);
      if (h.status === 'queued') this.dequeue(h);
    }
    // A rewrite, not a journal line: erased handoffs must leave the disk.
    await this.persist(null, () => {
      docs.items = before;
      this.accepted = acceptedBefore;
      for (const h of gone) {
        this.byId.set(h.id, h);
        if (isOpen(h)) this.openByConversation.set(h.conversationId, h);
        if (h.status === 'queued') this.enqueue(h);
      }
    });
    return gone.length;
  }

  /** Journals `changed`, or rewrites the whole file when null; a failed write runs `undo`. */
  private async persist(changed: Handoff[] | null, undo: () => void): Promise<void> {
    try {
      await (changed ? this.docs.save(...changed) : this.docs.rewrite());
    } catch (error) {
      undo();
      throw error;
    }
  }
}
