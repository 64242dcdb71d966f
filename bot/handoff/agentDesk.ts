/**
 * The agent side of a handoff (accept, talk, resolve) and of a ticket's answer. Each reaches the customer on their own
 * channel in a proactive turn, which runs the normal middleware, so the turn log records it (agent words with actor
 * "agent").
 */
import { type Activity, type ConversationReference, MessageFactory, type TurnContext } from 'botbuilder';
import { t } from '../../i18n/index.js';
import type { Change, Handoff } from '../../storage/handoffStore.js';
import type { StoredReference } from '../../storage/reference.js';
import type { TicketChange, TicketClosing, TicketStore } from '../../storage/ticketStore.js';
import { DIRECTLINE_CHANNEL } from '../directline/service.js';
import type { Logger } from '../logger.js';
import { textForChannel } from '../plainText.js';
import { markTurn, turnInfo } from '../turnInfo.js';
import type { HandoffService } from './handoffService.js';
import type { ProactiveMessenger } from './proactive.js';

/** A state change and whether the customer could be told about it. */
export type DeskResult = Change & { notified?: boolean };

/** A ticket's close, and whether its reply reached the customer's chat (absent without a reply). */
export type TicketResult = TicketChange & { notified?: boolean };

/** A handoff or ticket: whose conversation to reach, and on which channel. */
interface Reachable {
  id: string;
  channel: string;
  reference: StoredReference;
}

/**
 * A message a person from the team wrote. It goes out under the bot's account (a channel knows no other sender), so on
 * our own Direct Line it names them in channelData (`agent.name`, and `agent.label` in the customer's language), which
 * the web chat page shows under their messages. Other channels read channelData as their native payload (Slack's,
 * Facebook's), so they get the text alone. (Web Chat reads a writer from schema.org entities, but the connector client
 * keeps only an entity's type; the page builds the entity from channelData.)
 */
export function fromAgent(context: TurnContext, text: string, agent: string, locale: string): Partial<Activity> {
  const message = MessageFactory.text(textForChannel(context.activity.channelId, text));
  if (context.activity.channelId !== DIRECTLINE_CHANNEL) return message;
  return { ...message, channelData: { agent: { name: agent, label: t(locale, 'webchat.agent', { agent }) } } };
}

/** What agents do to handoffs and tickets that the customer hears about, used by the HTTP API. */
export class AgentDesk {
  constructor(
    private readonly handoffs: HandoffService,
    private readonly tickets: TicketStore,
    private readonly messenger: ProactiveMessenger,
    private readonly logger: Logger,
  ) {}

  /**
   * Runs `logic` in the customer's conversation; false (logged) when their channel could not be reached.
   * The failure is caught inside the turn: escaping, it would reach the adapter's onTurnError, which apologises to
   * the customer (failing again) and resets their conversation state.
   */
  private async tell(h: Reachable, logic: (context: TurnContext) => Promise<void>): Promise<boolean> {
    let failure: unknown;
    try {
      // Stored references were validated on the way in; the SDK types merely mark more fields as required.
      await this.messenger.send(h.reference as unknown as Partial<ConversationReference>, async (context) => {
        try {
          await logic(context);
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    if (failure === undefined) return true;
    this.logger.warn({ err: failure, [h.id.startsWith('T-') ? 'ticketId' : 'handoffId']: h.id, channel: h.channel }, 'Could not reach the customer');
    return false;
  }

  /** queued → active for `agent`; the customer hears who joined. Exactly one of two simultaneous accepts wins. */
  async accept(id: string, agent: string): Promise<DeskResult> {
    const before = await this.handoffs.store.get(id);
    const change = await this.handoffs.accept(id, agent);
    if (!change.ok || before?.status === 'active') return change;
    const notified = await this.notice(change.handoff, 'handoff.accepted', { vars: { agent } });
    return { ...change, notified };
  }

  /**
   * Hands an active chat to a colleague (a shift ends, a question needs someone else); the customer hears who took
   * over. Only the new agent can write in it from then on.
   */
  async transfer(id: string, to: string): Promise<DeskResult> {
    const before = await this.handoffs.store.get(id);
    const change = await this.handoffs.transfer(id, to);
    if (!change.ok || before?.agent === to) return change;
    const notified = await this.notice(change.handoff, 'handoff.transferred', { vars: { agent: to } });
    return { ...change, notified };
  }

  /**
   * `username` has left (logged out with no other session): their active chats go back to the queue, and each customer
   * hears it with their new place. A console's logout left them with an agent who was gone: the bot stays quiet while
   * a person has the chat, nobody else could take it, and the customer waited for ever.
   */
  async leave(username: string): Promise<number> {
    const held = (await this.handoffs.store.list({ status: ['active'] })).filter((h) => h.agent === username);
    for (const h of held) {
      const change = await this.handoffs.requeue(h.id, username);
      if (!change.ok) continue;
      const position = await this.handoffs.position(change.handoff);
      await this.notice(change.handoff, 'handoff.requeued', { vars: { agent: username, position: String(position) } });
      this.handoffs.toldPosition(change.handoff.id, position);
    }
    return held.length;
  }

  /** Sends the agent's words to the customer; refused unless the handoff is active. `notified` false: not delivered. */
  async message(id: string, agent: string, text: string): Promise<DeskResult> {
    const h = await this.handoffs.store.get(id);
    if (!h) return { ok: false, refusal: 'not_found' };
    if (h.status !== 'active') return { ok: false, refusal: 'not_active', handoff: h };
    const notified = await this.tell(h, async (context) => {
      markTurn(context, 'agent', 'agent', { handoffId: h.id, data: { agent } });
      await context.sendActivity(fromAgent(context, text, agent, turnInfo(context).locale));
    });
    if (!notified) return { ok: true, handoff: h, notified };
    this.handoffs.line(h.id, 'agent', text, agent);
    return { ...(await this.handoffs.agentMessage(h.id)), notified };
  }

  /** Ends the handoff as resolved by `username` (its agent, or a lead); the bot takes the conversation back (and surveys). */
  async resolve(id: string, username: string, note?: string): Promise<DeskResult> {
    // `closedBy`, not `agent`: a lead closing a queued handoff took nothing, and `agent` says who took it.
    const change = await this.handoffs.close(id, { status: 'resolved', by: 'agent', closedBy: username, ...(note ? { note } : {}) });
    if (!change.ok) return change;
    const h = change.handoff;
    const notified = await this.tell(h, (context) => this.handoffs.handBack(context, h));
    return { ...change, notified };
  }

  /**
   * Asks customers quiet in the queue whether they are still there, and takes out those who stayed quiet after being
   * asked (abandoned by the system; the customer is told, in case the chat is still open). Runs every minute.
   */
  async watchQueue(): Promise<void> {
    const { nudge, drop } = this.handoffs.quietInQueue(await this.handoffs.store.list({ status: ['queued'] }));
    for (const h of nudge) await this.notice(h, 'handoff.stillThere');
    for (const h of drop) {
      // The reminders above go out one by one, and a channel may be slow: someone who wrote meanwhile stays.
      if (!this.handoffs.stillQuiet(h.id)) continue;
      const change = await this.handoffs.close(h.id, { status: 'abandoned', by: 'system', note: 'No word from the customer in the queue' });
      if (change.ok) await this.notice(change.handoff, 'handoff.leftQueue', { release: true });
    }
    // Those still waiting hear when their place improves (the queue as it is after the drops above).
    for (const { handoff, position } of this.handoffs.movedUp(await this.handoffs.store.queue())) {
      const wait = this.handoffs.waitText(handoff.locale, await this.handoffs.expectedWaitMs(position));
      await this.notice(handoff, 'handoff.movedUp', { vars: { position: String(position), wait } });
    }
  }

  /**
   * Sends a catalogue text (filled with `vars`) to a handoff's customer in a proactive turn, and to the consoles;
   * `release` hands the conversation back to the bot.
   */
  private async notice(h: Handoff, key: string, options: { vars?: Record<string, string>; release?: boolean } = {}): Promise<boolean> {
    return this.tell(h, async (context) => {
      if (options.release) await this.handoffs.release(context, h.id);
      markTurn(context, 'handoff', 'answered', { handoffId: h.id });
      const text = t(turnInfo(context).locale, key, options.vars);
      await context.sendActivity(text);
      this.handoffs.line(h.id, 'bot', text);
    });
  }

  /**
   * Closes a ticket; a reply goes to the customer's chat when it can still be reached (a web chat closed long ago
   * cannot), and the bot tells it whenever they ask about the ticket.
   */
  async closeTicket(id: string, closing: TicketClosing): Promise<TicketResult> {
    const change = await this.tickets.close(id, closing);
    if (!change.ok || !closing.reply) return change;
    const { ticket } = change;
    if (!ticket.reference) return { ...change, notified: false };
    const notified = await this.tell({ id: ticket.id, channel: ticket.channel, reference: ticket.reference }, async (context) => {
      markTurn(context, 'agent', 'agent', { data: { ticketId: ticket.id } });
      const text = t(ticket.locale, 'ticket.reply', { id: ticket.id, agent: closing.by, reply: closing.reply ?? '' });
      await context.sendActivity(fromAgent(context, text, closing.by, ticket.locale));
      // In a chat a person has open, the answer is one of its lines: logged as an agent's, it reached no console, and
      // the console (which matches the transcript's lines by count) took the agent's next line for it and never showed it.
      const { handoffId } = turnInfo(context);
      if (handoffId) this.handoffs.line(handoffId, 'agent', text, closing.by);
    });
    return { ...change, notified };
  }
}
