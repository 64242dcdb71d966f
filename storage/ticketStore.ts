/** Tickets: complaints and left messages, with a promised reply time. lowdb behind a small interface. */
import { z } from 'zod';
import { itemCachingStringify, openJsonDb } from './jsonDb.js';

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
});
export type Ticket = z.infer<typeof TicketSchema>;
export type NewTicket = Omit<Ticket, 'id' | 'status'>;

const TicketDocSchema = z.object({ seq: z.number().int().nonnegative(), tickets: z.array(TicketSchema) });
type TicketDoc = z.infer<typeof TicketDocSchema>;

/** Creates and reads tickets. */
export interface TicketStore {
  create(input: NewTicket): Promise<Ticket>;
  get(id: string): Promise<Ticket | undefined>;
  list(): Promise<Ticket[]>;
  /** Deletes the tickets `drop` selects (erasure, retention); returns how many. */
  deleteWhere(drop: (t: Ticket) => boolean): Promise<number>;
}

/** Formats the sequence number as the customer-facing id (T-000123). */
export function ticketId(seq: number): string {
  return `T-${String(seq).padStart(6, '0')}`;
}

/** Tickets in a lowdb JSON document (file, or memory when `file` is null). */
export class LowdbTicketStore implements TicketStore {
  private constructor(private readonly db: Awaited<ReturnType<typeof openJsonDb<TicketDoc>>>) {}

  static async open(file: string | null): Promise<LowdbTicketStore> {
    // Tickets never change once filed, so each keeps its JSON across the whole-file rewrites.
    const { stringify } = itemCachingStringify<TicketDoc>('tickets');
    return new LowdbTicketStore(await openJsonDb(file, TicketDocSchema, { seq: 0, tickets: [] }, { stringify }));
  }

  async create(input: NewTicket): Promise<Ticket> {
    const data = this.db.data;
    data.seq += 1;
    const ticket: Ticket = TicketSchema.parse({ ...input, id: ticketId(data.seq), status: 'open' });
    data.tickets.push(ticket);
    await this.db.write();
    return ticket;
  }

  async get(id: string): Promise<Ticket | undefined> {
    return this.db.data.tickets.find((t) => t.id === id);
  }

  async list(): Promise<Ticket[]> {
    return [...this.db.data.tickets];
  }

  async deleteWhere(drop: (t: Ticket) => boolean): Promise<number> {
    const before = this.db.data.tickets.length;
    this.db.data.tickets = this.db.data.tickets.filter((t) => !drop(t));
    const removed = before - this.db.data.tickets.length;
    if (removed) await this.db.write();
    return removed;
  }
}
