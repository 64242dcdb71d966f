/** Tickets: complaints and left messages, with a promised reply time. lowdb behind a small interface. */
import { z } from 'zod';
import { JournaledCollection, type JournaledOptions } from './journaledDb.js';
import { ReferenceSchema } from './reference.js';

export const TicketPrioritySchema = z.enum(['high', 'normal', 'low']);
export type TicketPriority = z.infer<typeof TicketPrioritySchema>;

export const ComplaintCategorySchema = z.enum(['damaged', 'wrong_item', 'late', 'service', 'billing', 'other']);
export type ComplaintCategory = z.infer<typeof ComplaintCategorySchema>;

/** A stored ticket. */
export const TicketSchema = z.object({
  id: z.string().regex(/^T-\d{6,}$/),
  kind: z.enum(['complaint', 'message']),
  status: z.enum(['open', 'closed']),
  createdAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  priority: TicketPrioritySchema,
  category: ComplaintCategorySchema,
  description: z.string(),
  orderNumber: z.string().optional(),
  sentiment: z.number().optional(),
  conversationId: z.string(),
  customerId: z.string(),
  channel: z.string(),
  locale: z.string(),
  /** What the customer added later in the same conversation, oldest first. */
  followUps: z.array(z.object({ at: z.iso.datetime(), text: z.string() })).optional(),
  /** Where to reach the customer in their chat; tickets filed before it was kept have none. */
  reference: ReferenceSchema.optional(),
  /** Set when a person closes the ticket. */
  closedAt: z.iso.datetime().optional(),
  closedBy: z.string().optional(),
  /** For the team only. */
  note: z.string().optional(),
  /** The team's answer to the customer: sent to their chat when it closes, and told when they ask about the ticket. */
  reply: z.string().optional(),
});
export type Ticket = z.infer<typeof TicketSchema>;
export type NewTicket = Omit<Ticket, 'id' | 'status' | 'followUps' | 'closedAt' | 'closedBy' | 'note' | 'reply'>;

/** Whether a ticket is open past the reply time promised (`dueAt`). */
export function isOverdue(ticket: Ticket, now: Date): boolean {
  return ticket.status === 'open' && Date.parse(ticket.dueAt) < now.getTime();
}

/** Who closed a ticket and when; the note is the team's, the reply the customer's. */
export interface TicketClosing {
  by: string;
  at: string;
  note?: string;
  reply?: string;
}

/** Why a ticket could not be closed. */
export type TicketRefusal = 'not_found' | 'closed';

/** A close, or why it was refused (with the ticket when there is one). */
export type TicketChange = { ok: true; ticket: Ticket } | { ok: false; refusal: TicketRefusal; ticket?: Ticket };

/** Creates, reads and closes tickets. */
export interface TicketStore {
  create(input: NewTicket): Promise<Ticket>;
  get(id: string): Promise<Ticket | undefined>;
  list(): Promise<Ticket[]>;
  /** Adds what the customer said later to an open ticket, raising its priority and deadline when `raise` says so. */
  addFollowUp(id: string, followUp: { at: string; text: string }, raise?: { priority: TicketPriority; dueAt: string }): Promise<TicketChange>;
  /** Closes an open ticket: who closed it, when, and what was done. */
  close(id: string, closing: TicketClosing): Promise<TicketChange>;
  /**
   * Points the open tickets of a conversation at the serviceUrl the customer's latest activity came with, so a reply
   * on closing goes where the channel now is; how many changed. Costs a map lookup when nothing moved.
   */
  updateServiceUrl(conversationId: string, channelId: string, serviceUrl: string): Promise<number>;
  /** Deletes the tickets `drop` selects (erasure, retention); returns how many. */
  deleteWhere(drop: (t: Ticket) => boolean): Promise<number>;
  /** Finishes pending writes and lets go of the files (at shutdown). */
  closeFiles(): Promise<void>;
}

/** Formats the sequence number as the customer-facing id (T-000123). */
export function ticketId(seq: number): string {
  return `T-${String(seq).padStart(6, '0')}`;
}

/** Tickets in a lowdb JSON document plus its journal (file, or memory when `file` is null). */
export class LowdbTicketStore implements TicketStore {
  /**
   * The serviceUrl stored for each conversation with an open, reachable ticket, so a customer turn can tell without
   * a scan of every ticket whether one needs updating. An entry may outlive its tickets; the next update drops it.
   */
  private readonly serviceUrls = new Map<string, string>();

  private constructor(private readonly docs: JournaledCollection<Ticket>) {
    for (const t of docs.items) this.noteServiceUrl(t);
  }

  private noteServiceUrl(t: Ticket): void {
    if (t.status === 'open' && t.reference) this.serviceUrls.set(t.conversationId, t.reference.serviceUrl);
  }

  static async open(file: string | null, options: Pick<JournaledOptions<unknown>, 'onWarning'> = {}): Promise<LowdbTicketStore> {
    // A new ticket appends a journal line instead of rewriting every ticket ever filed.
    return new LowdbTicketStore(await JournaledCollection.open({ ...options, file, key: 'tickets', item: TicketSchema, id: (t) => t.id }));
  }

  closeFiles(): Promise<void> {
    return this.docs.close();
  }

  async create(input: NewTicket): Promise<Ticket> {
    const docs = this.docs;
    const ticket: Ticket = TicketSchema.parse({ ...input, id: ticketId(docs.seq + 1), status: 'open' });
    docs.seq += 1;
    docs.items.push(ticket);
    try {
      await docs.save(ticket);
    } catch (error) {
      // The sequence number stays used: a later create may already hold the next one.
      docs.items.splice(docs.items.indexOf(ticket), 1);
      throw error;
    }
    this.noteServiceUrl(ticket);
    return ticket;
  }

  async get(id: string): Promise<Ticket | undefined> {
    return this.docs.items.find((t) => t.id === id);
  }

  async list(): Promise<Ticket[]> {
    return [...this.docs.items];
  }

  addFollowUp(id: string, followUp: { at: string; text: string }, raise?: { priority: TicketPriority; dueAt: string }): Promise<TicketChange> {
    return this.change(id, (t) => ({ ...t, ...raise, followUps: [...(t.followUps ?? []), followUp] }));
  }

  close(id: string, closing: TicketClosing): Promise<TicketChange> {
    const { note, reply } = closing;
    return this.change(id, (t) => ({ ...t, status: 'closed', closedAt: closing.at, closedBy: closing.by, ...(note ? { note } : {}), ...(reply ? { reply } : {}) }));
  }

  async updateServiceUrl(conversationId: string, channelId: string, serviceUrl: string): Promise<number> {
    const stored = this.serviceUrls.get(conversationId);
    if (stored === undefined || stored === serviceUrl) return 0;
    const reachable = this.docs.items.filter((t) => t.conversationId === conversationId && t.status === 'open' && t.reference);
    // Only the conversation's own channel moves it (see HandoffStore.updateServiceUrl).
    if (reachable.length > 0 && !reachable.some((t) => t.reference?.channelId === channelId)) return 0;
    const open = reachable.filter((t) => t.reference?.channelId === channelId);
    let changed = 0;
    for (const t of open.filter((o) => o.reference?.serviceUrl !== serviceUrl)) {
      const change = await this.change(t.id, (current) => (current.reference ? { ...current, reference: { ...current.reference, serviceUrl } } : current));
      if (change.ok) changed += 1;
    }
    // Noted only once written: a failed write throws before this, and the next customer turn tries again.
    if (open.length === 0) this.serviceUrls.delete(conversationId);
    else this.serviceUrls.set(conversationId, serviceUrl);
    return changed;
  }

  /** Applies `edit` to an open ticket and journals the result; a failed write leaves the ticket as it was. */
  private async change(id: string, edit: (t: Ticket) => Ticket): Promise<TicketChange> {
    const docs = this.docs;
    const index = docs.items.findIndex((t) => t.id === id);
    const current = docs.items[index];
    if (!current) return { ok: false, refusal: 'not_found' };
    if (current.status === 'closed') return { ok: false, refusal: 'closed', ticket: current };
    const ticket = TicketSchema.parse(edit(current));
    docs.items[index] = ticket;
    try {
      // One journal line with the whole ticket: replay keeps the last line of each id.
      await docs.save(ticket);
    } catch (error) {
      docs.items[index] = current;
      throw error;
    }
    return { ok: true, ticket };
  }

  async deleteWhere(drop: (t: Ticket) => boolean): Promise<number> {
    const before = this.docs.items;
    this.docs.items = before.filter((t) => !drop(t));
    const removed = before.length - this.docs.items.length;
    if (!removed) return 0;
    // A rewrite, not a journal line: erased tickets must leave the disk.
    try {
      await this.docs.rewrite();
    } catch (error) {
      this.docs.items = before;
      throw error;
    }
    this.serviceUrls.clear();
    for (const t of this.docs.items) this.noteServiceUrl(t);
    return removed;
  }
}
