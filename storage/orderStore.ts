/** Orders: the stand-in for the shop's order system. Read-only to the bot; loaded and validated from a JSON file. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Clock } from './clock.js';
import { DataFileError, parseDocument, uniqueBy } from './jsonDb.js';

const isoDate = z.iso.datetime({ offset: true });

/** Every state an order can be in. */
export const OrderStatusSchema = z.enum(['processing', 'shipped', 'out_for_delivery', 'delivered', 'delayed', 'cancelled', 'returned']);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

/** One order as the order system reports it. */
export const OrderSchema = z.object({
  number: z.string().regex(/^\d{5,8}$/, 'order numbers are 5 to 8 digits'),
  customerName: z.string().min(1),
  email: z.email(),
  postcode: z.string().min(2),
  status: OrderStatusSchema,
  items: z.array(z.object({ name: z.string().min(1), quantity: z.number().int().positive(), unitPrice: z.number().nonnegative() })).min(1),
  total: z.number().nonnegative(),
  currency: z.string().length(3),
  placedAt: isoDate,
  shippedAt: isoDate.optional(),
  estimatedDelivery: isoDate.optional(),
  deliveredAt: isoDate.optional(),
  cancelledAt: isoDate.optional(),
  returnedAt: isoDate.optional(),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
  delayReason: z.string().optional(),
  refundAmount: z.number().nonnegative().optional(),
});
export type Order = z.infer<typeof OrderSchema>;

const OrdersFileSchema = z.object({
  seedDate: z.iso.date().optional(),
  // A repeated number left one of its orders unreachable, with no word at start-up.
  orders: z.array(OrderSchema).superRefine(uniqueBy((o) => o.number, 'each order number appears once')),
});

/** Looks orders up by number. */
export interface OrderStore {
  find(number: string): Promise<Order | undefined>;
  count(): number;
}

/** Normalises what a customer typed ("#10231", "ORD-10231", "10 231") to the canonical digits, or null. */
export function normalizeOrderNumber(raw: string): string | null {
  const m = /^\s*(?:order\s*(?:number|no\.?|#)?\s*)?(?:#|ord[-\s]?)?\s*(\d[\d\s-]{3,10}\d)\s*$/i.exec(raw);
  if (!m?.[1]) return null;
  const digits = m[1].replace(/[\s-]/g, '');
  return /^\d{5,8}$/.test(digits) ? digits : null;
}

const DATE_FIELDS = ['placedAt', 'shippedAt', 'estimatedDelivery', 'deliveredAt', 'cancelledAt', 'returnedAt'] as const;

/** Moves every date of a demo order by `days`, so the seed data reads as current. */
function shiftOrder(order: Order, days: number): Order {
  const shifted: Order = { ...order };
  for (const field of DATE_FIELDS) {
    const value = order[field];
    if (value) shifted[field] = new Date(Date.parse(value) + days * 86_400_000).toISOString();
  }
  return shifted;
}

/** Orders held in memory, from a validated JSON file. */
export class JsonOrderStore implements OrderStore {
  private constructor(private readonly byNumber: Map<string, Order>) {}

  /** Loads `file`; when `rebase` is on and the file names a `seedDate`, dates move so the seed day is today. */
  static async load(file: string, options: { rebase: boolean; clock: Clock }): Promise<JsonOrderStore> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new DataFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'source');
    }
    const doc = parseDocument(file, text, OrdersFileSchema, { kind: 'source' });
    let orders = doc.orders;
    if (options.rebase && doc.seedDate) {
      const today = Date.parse(options.clock.now().toISOString().slice(0, 10));
      const days = Math.round((today - Date.parse(doc.seedDate)) / 86_400_000);
      if (days !== 0) orders = orders.map((o) => shiftOrder(o, days));
    }
    return JsonOrderStore.fromOrders(orders);
  }

  /** An in-memory store of the given orders; for tests and tools. */
  static fromOrders(orders: Order[]): JsonOrderStore {
    return new JsonOrderStore(new Map(orders.map((o) => [o.number, o])));
  }

  async find(number: string): Promise<Order | undefined> {
    return this.byNumber.get(number);
  }

  count(): number {
    return this.byNumber.size;
  }
}
