/**
 * Keeps open handoffs and tickets pointed at the serviceUrl the customer's latest activity came with. The Bot Framework
 * asks bots to use the newest one of a conversation (a channel may move it to another service URL), and agent messages
 * and ticket replies are sent with the stored reference, so a URL kept from creation would send them to a stale place.
 */
import { ActivityEventNames, type Middleware, type TurnContext } from 'botbuilder';
import type { HandoffStore } from '../../storage/handoffStore.js';
import type { TicketStore } from '../../storage/ticketStore.js';
import type { Logger } from '../logger.js';

/** Updates stored references from incoming activities; one journal line per store only when the URL moved. */
export class ServiceUrlMiddleware implements Middleware {
  constructor(
    private readonly handoffs: HandoffStore,
    private readonly tickets: TicketStore,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    // A proactive turn carries the stored URL back to us; only what the channel sent says where it is now.
    if (a.serviceUrl && a.conversation?.id && a.name !== ActivityEventNames.ContinueConversation) {
      try {
        await Promise.all([this.handoffs.updateServiceUrl(a.conversation.id, a.channelId, a.serviceUrl), this.tickets.updateServiceUrl(a.conversation.id, a.channelId, a.serviceUrl)]);
      } catch (error) {
        // The old URL may still work; the customer's turn must not fail over it. The next activity tries again.
        this.logger.warn({ err: error, conversationId: a.conversation.id }, 'Could not store the new serviceUrl');
      }
    }
    return next();
  }
}
