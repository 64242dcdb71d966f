/** Tickets that tell the agent consoles when one is filed, added to or closed, so the Tickets tab needs no polling. */
import type { NewTicket, Ticket, TicketChange, TicketClosing, TicketPriority, TicketStore } from '../../storage/ticketStore.js';
import type { HandoffEvents } from './events.js';

/** `store`, publishing each ticket it creates or changes on `events` once it is stored. */
export class PublishingTicketStore implements TicketStore {
  constructor(
    private readonly store: TicketStore,
    private readonly events: HandoffEvents,
  ) {}

  async create(input: NewTicket): Promise<Ticket> {
    const ticket = await this.store.create(input);
    this.events.ticketChanged(ticket);
    return ticket;
  }

  get(id: string): Promise<Ticket | undefined> {
    return this.store.get(id);
  }

  list(): Promise<Ticket[]> {
    return this.store.list();
  }

  addFollowUp(id: string, followUp: { at: string; text: string }, raise?: { priority: TicketPriority; dueAt: string }): Promise<TicketChange> {
    return this.published(this.store.addFollowUp(id, followUp, raise));
  }

  close(id: string, closing: TicketClosing): Promise<TicketChange> {
    return this.published(this.store.close(id, closing));
  }

  /** Not published: consoles never see where a ticket's customer is reached. */
  updateServiceUrl(conversationId: string, channelId: string, serviceUrl: string): Promise<number> {
    return this.store.updateServiceUrl(conversationId, channelId, serviceUrl);
  }

  deleteWhere(drop: (t: Ticket) => boolean): Promise<number> {
    return this.store.deleteWhere(drop);
  }

  closeFiles(): Promise<void> {
    return this.store.closeFiles();
  }

  private async published(change: Promise<TicketChange>): Promise<TicketChange> {
    const result = await change;
    if (result.ok) this.events.ticketChanged(result.ticket);
    return result;
  }
}
