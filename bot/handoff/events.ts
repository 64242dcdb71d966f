/**
 * What agent consoles hear, live: handoffs created or changed, the messages of a handoff's chat, and tickets filed,
 * added to or closed. The HTTP layer streams these as server-sent events (GET /api/handoffs/events).
 */
import type { Handoff } from '../../storage/handoffStore.js';
import type { Ticket } from '../../storage/ticketStore.js';

/** A handoff as the API and the console see it: everything but the channel's conversation reference. */
export type PublicHandoff = Omit<Handoff, 'reference'> & { links: { self: string; transcript: string } };

/** The public view of a stored handoff. */
export function publicHandoff(h: Handoff): PublicHandoff {
  const { reference: _reference, ...rest } = h;
  const self = `/api/handoffs/${encodeURIComponent(h.id)}`;
  return { ...rest, links: { self, transcript: `${self}/transcript` } };
}

/** One line of a handoff's live chat. */
export interface ChatLine {
  handoffId: string;
  from: 'customer' | 'agent' | 'bot';
  text: string;
  ts: string;
  /** The agent's username, on agent lines. */
  agent?: string;
}

/** Events of the agent desk. */
export type DeskEvent = { type: 'handoff'; handoff: PublicHandoff } | { type: 'message'; line: ChatLine } | { type: 'ticket'; ticket: Ticket };

/** A tiny publish/subscribe hub; a failing listener never stops the others or the publisher. */
export class HandoffEvents {
  private readonly listeners = new Set<(event: DeskEvent) => void>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (event: DeskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of listeners (open consoles). */
  get size(): number {
    return this.listeners.size;
  }

  publish(event: DeskEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken stream must not break the turn that published; the stream's own close handler cleans it up.
      }
    }
  }

  /** Publishes a handoff's new state. */
  changed(h: Handoff): void {
    this.publish({ type: 'handoff', handoff: publicHandoff(h) });
  }

  /** Publishes a chat line. */
  line(line: ChatLine): void {
    this.publish({ type: 'message', line });
  }

  /** Publishes a ticket's new state. */
  ticketChanged(ticket: Ticket): void {
    this.publish({ type: 'ticket', ticket });
  }
}
