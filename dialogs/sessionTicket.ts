/**
 * The ticket a conversation filed last: a complaint's follow-up, or a message left out of hours, joins it within the
 * session rather than opening a second ticket for the same matter.
 */
import type { TurnContext } from 'botbuilder';
import { getConversationData } from '../bot/conversationData.js';
import type { Ticket, TicketPriority } from '../storage/ticketStore.js';
import type { DialogServices } from './services.js';

/** At or below this sentiment score the priority goes up one level. */
const STRONGLY_NEGATIVE = -0.7;

/** `priority`, one level up when the customer is strongly negative. */
export function raisedPriority(priority: TicketPriority, sentimentScore: number): TicketPriority {
  if (sentimentScore > STRONGLY_NEGATIVE) return priority;
  return priority === 'low' ? 'normal' : 'high';
}

/** Makes `ticket` the conversation's last, so what the customer adds in this session joins it. */
export async function rememberTicket(services: DialogServices, context: TurnContext, ticket: Pick<Ticket, 'id' | 'orderNumber'>): Promise<void> {
  const data = await getConversationData(services.conversationData, context);
  const at = services.clock.now().toISOString();
  data.lastTicket = { id: ticket.id, at, ...(ticket.orderNumber ? { orderNumber: ticket.orderNumber } : {}) };
}

/** What is added to the session's ticket. */
export interface Addition {
  /** The text as the ticket keeps it (a complaint's story redacted; a message left for a call-back as typed). */
  text: string;
  /** An order the addition names: another order's matter is no follow-up. */
  orderNumber?: string;
  sentimentScore: number;
}

/**
 * Adds `addition` to the ticket this session filed last, unless it names another order or the ticket was closed or
 * the session has lapsed. A strongly negative addition raises the ticket's priority a level, as it would have raised
 * a new ticket's, and brings its deadline forward to the new priority's.
 */
export async function joinSessionTicket(services: DialogServices, context: TurnContext, addition: Addition): Promise<{ ticket: Ticket; raised: boolean } | undefined> {
  const data = await getConversationData(services.conversationData, context);
  const last = data.lastTicket;
  const now = services.clock.now();
  if (!last || now.getTime() - Date.parse(last.at) > services.config.SESSION_IDLE_MINUTES * 60_000) return undefined;
  if (addition.orderNumber && addition.orderNumber !== last.orderNumber) return undefined;
  const current = await services.tickets.get(last.id);
  if (!current || current.status === 'closed') return undefined;
  const priority = raisedPriority(current.priority, addition.sentimentScore);
  const dueAt = services.handoffs.ticketDue(priority, now).toISOString();
  const raise = priority !== current.priority ? { priority, dueAt: dueAt < current.dueAt ? dueAt : current.dueAt } : undefined;
  const change = await services.tickets.addFollowUp(last.id, { at: now.toISOString(), text: addition.text }, raise);
  if (!change.ok) return undefined;
  last.at = now.toISOString();
  return { ticket: change.ticket, raised: raise !== undefined };
}
