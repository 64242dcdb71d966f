/**
 * Privacy controls: export one customer's data (an access request), erase it everywhere, and purge data older than
 * the retention period.
 */
import { rm } from 'node:fs/promises';
import type { LevelStorage } from './levelStorage.js';
import type { Ticket, TicketStore } from './ticketStore.js';
import type { TurnLog, TurnRecord } from './turnLog.js';

/** The stores privacy operations reach; later stores (handoffs) join through `extra`. */
export interface PrivacyTargets {
  turnLog: TurnLog;
  tickets: TicketStore;
  state: LevelStorage;
  /** Derived caches that may hold customer data (roll-ups); deleted and rebuilt from the log. */
  derivedDirs: string[];
  /** Further stores: each finds or erases a customer's items, or purges by age and says how many items it removed. */
  extra?: Array<{
    name: string;
    find(customerId: string): Promise<unknown[]>;
    erase(customerId: string): Promise<number>;
    purgeBefore(iso: string): Promise<number>;
  }>;
  /** Called after files were rewritten (to drop in-memory caches of them). */
  onChanged?: () => void;
  /** Resolves once the turns running now have finished and their writes are on disk (see eraseCustomer). */
  settle?: () => Promise<void>;
}

/** Counts of what an operation removed, by store. */
export type PrivacyReport = Record<string, number>;

/** Customer ids are `c_` + 16 hex characters; anything else is refused rather than matched loosely. */
export const CUSTOMER_ID = /^c_[0-9a-f]{16}$/;

/** Everything stored about one customer, by store: what an access request is answered with, and what erasure removes. */
export interface CustomerExport {
  customerId: string;
  exportedAt: string;
  /** Turn records as logged (already redacted), oldest day first. */
  turns: TurnRecord[];
  tickets: Ticket[];
  /** Conversation state documents that belong to the customer, by storage key. */
  conversationState: Array<{ key: string; item: Record<string, unknown> }>;
  /** The further stores' items (handoffs), by store name. */
  [store: string]: unknown;
}

function requireCustomerId(customerId: string): void {
  if (!CUSTOMER_ID.test(customerId)) throw new Error(`Not a customer id: "${customerId}" (expected c_ followed by 16 hex digits)`);
}

/**
 * Whether a stored state document is `customerId`'s: a `customerId` field in it names them. Its text merely holding the
 * id is not enough: a customer who typed another's id into a complaint had their own state exported to that customer,
 * and erased with them.
 */
function stateOf(customerId: string): (storedText: string) => boolean {
  const quoted = `"${customerId}"`;
  return (text) => {
    if (!text.includes(quoted)) return false;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return true; // Unreadable: as before, the id in its text is taken as its owner's.
    }
    const stack: unknown[] = [doc];
    while (stack.length > 0) {
      const node = stack.pop();
      if (node === null || typeof node !== 'object') continue;
      if ((node as Record<string, unknown>).customerId === customerId) return true;
      stack.push(...Object.values(node));
    }
    return false;
  };
}

/** Collects every record, ticket, state document and further store item of `customerId`, changing nothing. */
export async function exportCustomer(t: PrivacyTargets, customerId: string, now: Date): Promise<CustomerExport> {
  requireCustomerId(customerId);
  const turns: TurnRecord[] = [];
  for await (const r of t.turnLog.read()) if (r.customerId === customerId) turns.push(r);
  const out: CustomerExport = {
    customerId,
    exportedAt: now.toISOString(),
    turns,
    tickets: (await t.tickets.list()).filter((ticket) => ticket.customerId === customerId),
    conversationState: await t.state.itemsWhere(stateOf(customerId)),
  };
  for (const store of t.extra ?? []) out[store.name] = await store.find(customerId);
  return out;
}

/** Removes every record, ticket, state file and derived cache entry of `customerId`. */
export async function eraseCustomer(t: PrivacyTargets, customerId: string): Promise<PrivacyReport> {
  requireCustomerId(customerId);
  const quoted = `"${customerId}"`;
  const pass = async (): Promise<PrivacyReport> => {
    const removed: PrivacyReport = {
      turns: await t.turnLog.removeWhere((r, raw) => (r ? r.customerId === customerId : raw.includes(quoted))),
      tickets: await t.tickets.deleteWhere((ticket) => ticket.customerId === customerId),
      conversationState: await t.state.deleteWhere(stateOf(customerId)),
    };
    for (const store of t.extra ?? []) removed[store.name] = await store.erase(customerId);
    return removed;
  };
  const report = await pass();
  // A turn of theirs running meanwhile wrote its records and saved its state after the pass had read past them: two
  // turn records and the state (pointing at the handoff just erased) came back. Once those turns are done, again.
  if (t.settle) {
    await t.settle();
    for (const [store, count] of Object.entries(await pass())) report[store] = (report[store] ?? 0) + count;
  }
  for (const dir of t.derivedDirs) await rm(dir, { recursive: true, force: true });
  t.onChanged?.();
  return report;
}

/** Deletes turns, tickets, state and other stored items older than `days` days before `now`. */
export async function applyRetention(t: PrivacyTargets, days: number, now: Date): Promise<PrivacyReport> {
  if (days <= 0) return {};
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const cutoffDay = cutoff.toISOString().slice(0, 10);
  const droppedDays = await t.turnLog.dropDaysBefore(cutoffDay);
  const report: PrivacyReport = {
    turnDays: droppedDays.length,
    // An open ticket is work still owed to a customer, however old; a closed one ages from when it was closed.
    tickets: await t.tickets.deleteWhere((ticket) => ticket.status === 'closed' && (ticket.closedAt ?? ticket.createdAt) < cutoff.toISOString()),
    conversationState: await t.state.deleteWhere(() => false, cutoff.getTime()),
  };
  for (const store of t.extra ?? []) report[store.name] = await store.purgeBefore(cutoff.toISOString());
  if (droppedDays.length) {
    for (const dir of t.derivedDirs) await rm(dir, { recursive: true, force: true });
    t.onChanged?.();
  }
  return report;
}
