/** Everything a dialog may use, handed in through its constructor (no singletons). */
import type { Config } from '../bot/config.js';
import type { ConversationDataAccessor } from '../bot/conversationData.js';
import type { HandoffService } from '../bot/handoff/handoffService.js';
import type { RateLimiter } from '../bot/http/rateLimit.js';
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
  /**
   * Wrong emails and postcodes given for each order, across conversations: the two tries of one conversation were
   * walked round by starting new ones (a postcode found in 140 guesses, under a second).
   */
  verificationFailures: RateLimiter;
}
