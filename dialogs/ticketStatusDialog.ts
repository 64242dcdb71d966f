/** Ticket status: a customer who names a ticket id ("any news on T-000042?") hears where that ticket stands. */
import { InputHints, MessageFactory, type TurnContext } from 'botbuilder';
import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { HANDOFF_INTENT } from '../bot/handoff/triggers.js';
import { redact } from '../bot/redaction.js';
import { markTurn, turnInfo } from '../bot/turnInfo.js';
import { formatDateTime } from '../i18n/dates.js';
import type { SupportRecognition } from '../nlu/recognizer.js';
import { isOverdue, type Ticket } from '../storage/ticketStore.js';
import type { DialogServices } from './services.js';
import { joinSessionTicket, rememberTicket } from './sessionTicket.js';
import { isPhrase, type RerouteResult, type RouteOptions, signsOff, SupportDialog, wordCount } from './supportDialog.js';
import { QuestionPrompt } from './prompts.js';

export const TICKET_STATUS_DIALOG = 'ticket';
const ADD_PROMPT = `${TICKET_STATUS_DIALOG}.add`;
/**
 * A full stop after a quotation that ends with one: the team's answer quoted in a sentence of the catalogue ("«…ارسال
 * شد.».", "“…已经寄出。”。").
 */
const STOP_AFTER_QUOTED_STOP = /([.!?。！？]\s*[»”"'’」])[.。]/gu;
/** The most words a glad acknowledgement of a ticket's status has ("great, i will wait then"). */
const ACKNOWLEDGEMENT_WORDS = 5;

/** What the status step leaves for the next: the kind of ticket a message may be added to. */
interface AddValues {
  kind?: Ticket['kind'];
}

/** The ticket id a message names, in the bot's spelling ("T-000042"). */
function ticketIdOf(recognition: SupportRecognition): string | undefined {
  return recognition.entities.ticketId?.[0];
}

/**
 * Answers for the ticket a message names, whatever its intent: the bot tells every customer to keep the ticket number
 * for a follow-up, and "T-000042" read as order 000042, "any update on ticket T-000042?" as returns. Only the customer
 * who filed a ticket hears its details; their next complaint message in this conversation joins it.
 */
export class TicketStatusDialog extends SupportDialog {
  /** No intent of its own: it claims the turns that name a ticket. */
  readonly intents = [] as const;

  constructor(services: DialogServices) {
    super(TICKET_STATUS_DIALOG, services);
    this.addDialog(new QuestionPrompt(ADD_PROMPT)).addDialog(new WaterfallDialog(`${TICKET_STATUS_DIALOG}.reply`, [this.replyStep.bind(this), this.addStep.bind(this)]));
    this.initialDialogId = `${TICKET_STATUS_DIALOG}.reply`;
  }

  /** Any message naming a ticket, except a request for a person, which goes to one ticket or not. */
  override async claims(_context: TurnContext, recognition: SupportRecognition): Promise<boolean> {
    return ticketIdOf(recognition) !== undefined && recognition.intent !== HANDOFF_INTENT;
  }

  private async replyStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const info = turnInfo(context);
    const id = ticketIdOf(step.options.recognition) ?? '';
    const ticket = await this.services.tickets.get(id);
    if (!ticket) {
      markTurn(context, TICKET_STATUS_DIALOG, 'answered', { data: { ticketId: id, ticketStatus: 'not_found' } });
      await context.sendActivity(t('ticket.notFound', { id }));
      return step.endDialog({ resolved: true });
    }
    if (ticket.customerId !== info.customerId) {
      // Ticket ids are sequential: telling anyone what T-000042 is about would hand out other customers' complaints.
      markTurn(context, TICKET_STATUS_DIALOG, 'answered', { data: { ticketId: id, ticketStatus: 'not_theirs' } });
      await context.sendActivity(t('ticket.notTheirs', { id }));
      return step.endDialog({ resolved: true });
    }
    const state = this.stateOf(ticket);
    markTurn(context, TICKET_STATUS_DIALOG, 'answered', { data: { ticketId: id, ticketStatus: state } });
    // "The lid is missing too" is then added to it, not filed anew.
    if (state !== 'closed') await rememberTicket(this.services, context, ticket);
    const when = (iso: string) => formatDateTime(new Date(iso), info.locale, this.zoneOf(context));
    // A closed ticket with the team's answer repeats it: the chat it was sent to may have been closed by then.
    const key = state === 'closed' && ticket.reply ? 'ticket.closedReply' : `ticket.${state}`;
    const text = t(key, {
      id,
      // A message left out of hours has no complaint category ("other"): it is the customer's message.
      category: ticket.kind === 'message' ? t('ticket.kindMessage') : t(`complaint.category.${ticket.category}`),
      opened: when(ticket.createdAt),
      due: when(ticket.dueAt),
      closed: ticket.closedAt ? when(ticket.closedAt) : '',
      reply: ticket.reply ?? '',
    }).replace(STOP_AFTER_QUOTED_STOP, '$1');
    if (state === 'closed') {
      await context.sendActivity(text);
      return step.endDialog({ resolved: true });
    }
    // The reply offers to add whatever the customer tells next, so the next message is read as that first.
    (step.values as AddValues).kind = ticket.kind;
    return step.prompt(ADD_PROMPT, { prompt: MessageFactory.text(text, undefined, InputHints.AcceptingInput) });
  }

  /**
   * Adds the customer's next message to the open ticket, as the status reply offered: "the stain wont wash out either"
   * got the cancellation policy, and nothing reached the ticket. A clear new request, a sign-off or a no goes to the
   * router instead.
   */
  private async addStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const info = turnInfo(context);
    const t = this.tr(context);
    if (this.isTopicSwitch(context) || signsOff(context) || isPhrase(t, 'common.noWords', info.text)) return step.endDialog({ reroute: true } satisfies RerouteResult);
    if (this.acknowledges(context)) {
      // "ok" read as nothing the bot knows, and got "Sorry, I didn't quite get that".
      markTurn(context, TICKET_STATUS_DIALOG, 'answered');
      return step.endDialog({ resolved: true });
    }
    const r = info.recognition;
    const joined = await joinSessionTicket(this.services, context, {
      // As the ticket keeps its first text: a complaint's story redacted, a message left for a call-back as typed.
      text: (step.values as AddValues).kind === 'message' ? info.text : redact(info.text),
      ...(r?.entities.orderNumber?.[0] ? { orderNumber: r.entities.orderNumber[0] } : {}),
      sentimentScore: r?.sentiment.score ?? 0,
    });
    if (!joined) return step.endDialog({ reroute: true } satisfies RerouteResult);
    markTurn(context, TICKET_STATUS_DIALOG, 'answered', { data: { ticketId: joined.ticket.id, followUp: true, priority: joined.ticket.priority } });
    await context.sendActivity(t('complaint.followUp', { id: joined.ticket.id }));
    return step.endDialog({ resolved: true });
  }

  /**
   * Whether the reply only acknowledges the status: a yes or "ok", or a few glad words ("great, i will wait then").
   * Each was added to the ticket as if it were news for the team.
   */
  private acknowledges(context: TurnContext): boolean {
    const { text, recognition } = turnInfo(context);
    const t = this.tr(context);
    if (isPhrase(t, 'common.yesWords', text) || isPhrase(t, 'common.acceptWords', text)) return true;
    return wordCount(text) <= ACKNOWLEDGEMENT_WORDS && recognition?.sentiment.label === 'positive';
  }

  /** open, overdue (open past the reply time promised) or closed. */
  private stateOf(ticket: Ticket): 'open' | 'overdue' | 'closed' {
    if (ticket.status === 'closed') return 'closed';
    return isOverdue(ticket, this.services.clock.now()) ? 'overdue' : 'open';
  }
}
