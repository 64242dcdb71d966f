/**
 * Escalation to a person. Every trigger ends up here (see bot/handoff/triggers.ts): inside business hours the
 * conversation joins the queue and the Bot Framework handoff.initiate event goes out; outside them the customer may
 * leave a message, which becomes a ticket.
 */
import { InputHints, MessageFactory } from 'botbuilder';
import {
  type DialogTurnResult,
  type PromptValidatorContext,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { referenceOf } from '../bot/handoff/proactive.js';
import { type HandoffTrigger, HANDOFF_INTENT, pendingHandoff, priorityFor } from '../bot/handoff/triggers.js';
import { redactPayment } from '../bot/redaction.js';
import { markTurn, turnInfo } from '../bot/turnInfo.js';
import { formatDateTime } from '../i18n/dates.js';
import { joinSentences } from '../i18n/index.js';
import { choiceStyle } from './choices.js';
import { confirmPrompt, QuestionPrompt } from './prompts.js';
import type { DialogServices } from './services.js';
import { joinSessionTicket, rememberTicket } from './sessionTicket.js';
import { asksSomething, type RerouteResult, SupportDialog, wordCount } from './supportDialog.js';

export const ESCALATION_DIALOG = 'escalation';
const FLOW = `${ESCALATION_DIALOG}.flow`;
const LEAVE_PROMPT = `${ESCALATION_DIALOG}.leaveMessage`;
const MESSAGE_PROMPT = `${ESCALATION_DIALOG}.message`;
/** Words a reply to "leave a message?" needs to be the message itself; a shorter one ("where is order 10401") is a request. */
const MESSAGE_WORDS = 6;

/** Handles `agent.handoff`, whichever trigger routed the turn here. */
export class EscalationDialog extends SupportDialog {
  readonly intents = [HANDOFF_INTENT] as const;

  constructor(services: DialogServices) {
    super(ESCALATION_DIALOG, services);
    this.addDialog(confirmPrompt(LEAVE_PROMPT))
      .addDialog(new QuestionPrompt(MESSAGE_PROMPT, async (pc: PromptValidatorContext<string>) => turnInfo(pc.context).text.length > 0))
      .addDialog(new WaterfallDialog(FLOW, [this.escalateStep.bind(this), this.leaveStep.bind(this), this.fileStep.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private trigger(step: WaterfallStepContext): HandoffTrigger {
    return (step.values as { trigger: HandoffTrigger }).trigger;
  }

  private async escalateStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const info = turnInfo(context);
    const { handoffs } = this.services;
    const trigger = pendingHandoff(context) ?? { reason: 'requested' };
    (step.values as { trigger: HandoffTrigger }).trigger = trigger;
    const preface = trigger.preface ?? '';
    if (!handoffs.enabled(trigger.reason)) {
      markTurn(context, ESCALATION_DIALOG, 'answered', { data: { ...info.data, handoffDisabled: trigger.reason } });
      await context.sendActivity(joinSentences(preface, t('handoff.contactOptions', { hours: handoffs.teamHours(info.locale).hours })));
      return step.endDialog();
    }
    if (trigger.leaveMessage) {
      // From the queue, asked for in so many words: no need to ask "would you like to leave a message?".
      markTurn(context, ESCALATION_DIALOG, 'prompted', { data: { ...info.data, handoffReason: trigger.reason, leaveMessage: true } });
      // What they wrote in the queue is in the ticket's transcript (the session before it), so it need not be retyped.
      return step.prompt(MESSAGE_PROMPT, { prompt: MessageFactory.text(t('handoff.askMessageFromQueue'), undefined, InputHints.ExpectingInput) });
    }
    if (!handoffs.isOpenNow()) {
      const { closedToday, ...hours } = handoffs.hours(info.locale);
      if (trigger.ticketId) {
        // The complaint is already a ticket: the team picks it up when they are back.
        markTurn(context, ESCALATION_DIALOG, 'answered', { data: { ...info.data, handoffReason: trigger.reason, outOfHours: true } });
        await context.sendActivity(joinSentences(preface, t(closedToday ? 'handoff.closedTodayTicket' : 'handoff.closedTicket', hours)));
        return step.endDialog();
      }
      markTurn(context, ESCALATION_DIALOG, 'prompted', { data: { ...info.data, handoffReason: trigger.reason, outOfHours: true } });
      return step.prompt(LEAVE_PROMPT, {
        prompt: MessageFactory.text(joinSentences(preface, t(closedToday ? 'handoff.closedToday' : 'handoff.closed', hours)), undefined, InputHints.ExpectingInput),
        choices: [t('common.yes'), t('common.no')],
        style: choiceStyle(context, 2),
      });
    }
    const escalation = await handoffs.create(context, trigger);
    const { handoff } = escalation;
    markTurn(context, ESCALATION_DIALOG, 'escalated', {
      handoffId: handoff.id,
      data: { ...info.data, handoffReason: handoff.reason, priority: handoff.priority },
    });
    await context.sendActivity(handoffs.queueActivity(info.locale, joinSentences(preface, t(`handoff.intro.${handoff.reason}`), handoffs.queueText(info.locale, escalation.position, escalation.expectedWaitMs)), context.activity.channelId));
    await handoffs.initiate(context, escalation);
    return step.endDialog({ handoffId: handoff.id });
  }

  private async leaveStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    // The message itself, asked for straight away (left from the queue).
    if (typeof step.result === 'string') return step.next(step.result);
    if (step.result === true) {
      markTurn(context, ESCALATION_DIALOG, 'prompted');
      return step.prompt(MESSAGE_PROMPT, { prompt: t('handoff.askMessage') });
    }
    if (step.result === false) {
      markTurn(context, ESCALATION_DIALOG, 'answered', { data: { messageDeclined: true } });
      await context.sendActivity(t('handoff.noMessage'));
      return step.endDialog();
    }
    // The message itself, typed instead of "yes": "my skillet from order 10401 has a crack in it, I want a
    // replacement…" was rerouted, answered with the account FAQ, and no message was kept.
    if (this.isMessage(turnInfo(context).text)) return step.next(turnInfo(context).text);
    // Neither yes nor no: a new question.
    return step.endDialog({ reroute: true } satisfies RerouteResult);
  }

  /** Whether a reply to "would you like to leave a message?" is the message: a statement of some length that asks nothing. */
  private isMessage(text: string): boolean {
    return !asksSomething(text) && wordCount(text) >= MESSAGE_WORDS;
  }

  private async fileStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const info = turnInfo(context);
    const { config, clock, tickets } = this.services;
    const priority = priorityFor(this.trigger(step), info.recognition?.sentiment.score ?? 0, config.HANDOFF_NEGATIVE_SENTIMENT);
    const now = clock.now();
    const orderNumber = info.recognition?.entities.orderNumber?.[0];
    const sentimentScore = info.recognition?.sentiment.score ?? 0;
    // The message stays as typed, payment data aside: it was asked to say how to reach the customer.
    const message = redactPayment(info.text);
    const joined = await joinSessionTicket(this.services, context, { text: message, orderNumber, sentimentScore });
    if (joined) {
      // A message left after a complaint filed in this session was a second ticket for the same matter.
      const { ticket } = joined;
      markTurn(context, ESCALATION_DIALOG, 'answered', { data: { ticketId: ticket.id, followUp: true, priority: ticket.priority, handoffReason: this.trigger(step).reason } });
      await context.sendActivity(t('handoff.messageAdded', { id: ticket.id, due: formatDateTime(new Date(ticket.dueAt), info.locale, this.zoneOf(context)) }));
      return step.endDialog({ resolved: true, ticketId: ticket.id });
    }
    const dueAt = this.services.handoffs.ticketDue(priority, now);
    const ticket = await tickets.create({
      kind: 'message',
      createdAt: now.toISOString(),
      dueAt: dueAt.toISOString(),
      priority,
      category: 'other',
      description: message,
      ...(orderNumber ? { orderNumber } : {}),
      conversationId: context.activity.conversation.id,
      customerId: info.customerId,
      channel: context.activity.channelId,
      locale: info.locale,
      reference: referenceOf(context),
    });
    await rememberTicket(this.services, context, ticket);
    markTurn(context, ESCALATION_DIALOG, 'answered', { data: { ticketId: ticket.id, handoffReason: this.trigger(step).reason } });
    const due = formatDateTime(dueAt, info.locale, this.zoneOf(context));
    await context.sendActivity(t('handoff.messageSaved', { id: ticket.id, hours: config.SLA_HOURS[priority], due }));
    return step.endDialog({ resolved: true, ticketId: ticket.id });
  }
}
