/** Everything a dialog may use, handed in through its constructor (no singletons). */
import type { Config } from '../bot/config.js';
import type { ConversationDataAccessor } from '../bot/conversationData.js';
import type { HandoffService } from '../bot/handoff/handoffService.js';
import type { Logger } from '../bot/logger.js';
import type { Clock } from '../storage/clock.js';
import type { KnowledgeBase } from '../storage/knowledgeBase.js';
import type { IntentLabels } from './intentLabels.js';
import type { OrderStore } from '../storage/orderStore.js';
import type { TicketStore } from '../storage/ticketStore.js';

/** The dependencies of the dialog layer. */
export interface DialogServices {
  config: Config;
  clock: Clock;
  logger: Logger;
  orders: OrderStore;
  tickets: TicketStore;
  knowledgeBase: KnowledgeBase;
  /** Button labels of intents (catalogue text, else FAQ title). */
  intentLabels: IntentLabels;
  conversationData: ConversationDataAccessor;
  /** Human escalation: create handoffs, queue position, business hours. */
  handoffs: HandoffService;
}
