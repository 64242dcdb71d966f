/**
 * A conversation ends after SESSION_IDLE_MINUTES without a customer message (DESIGN §4), in the bot as in the reports.
 * On channels whose conversation never closes (SMS, Teams, WhatsApp) the dialog stack outlived it: a postcode sent
 * two hours later answered the verification question still waiting, and a rating prompt left open took the first
 * number of next week's message. A message after the gap starts afresh.
 */
import { ActivityEventNames, ActivityTypes, type ConversationState, type Middleware, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Clock } from '../../storage/clock.js';
import { type ConversationDataAccessor, getConversationData } from '../conversationData.js';

/** The conversation-state property botbuilder-dialogs keeps the dialog stack in (SupportBot creates it too). */
export const DIALOG_STATE_PROPERTY = 'dialogState';

/** Ends the previous conversation's flows when a customer message comes after the idle gap. */
export class SessionMiddleware implements Middleware {
  private readonly dialogState: StatePropertyAccessor<DialogState>;

  constructor(
    conversationState: ConversationState,
    private readonly conversationData: ConversationDataAccessor,
    private readonly clock: Clock,
    private readonly idleMs: number,
  ) {
    this.dialogState = conversationState.createProperty<DialogState>(DIALOG_STATE_PROPERTY);
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { type, name } = context.activity;
    // A proactive turn (an agent's message, the hand-back and its survey question) also starts the gap again: a
    // rating sent 40 minutes after the customer's last word answers the question the hand-back just asked.
    const proactive = type === ActivityTypes.Event && name === ActivityEventNames.ContinueConversation;
    if (type !== ActivityTypes.Message && !proactive) return next();
    const data = await getConversationData(this.conversationData, context);
    const now = this.clock.now();
    if (!proactive && data.lastActiveAt && now.getTime() - Date.parse(data.lastActiveAt) > this.idleMs) {
      await this.dialogState.delete(context);
      // What belonged to the conversation that ended. Kept: who the customer is, their language, the orders they
      // verified or failed to (no fresh tries for waiting), an open handoff (the queue and agents have their own
      // clocks), the last ticket (a follow-up joins it within its own window).
      data.consecutiveFallbacks = 0;
      data.faqNoCount = 0;
      data.negativeStreak = 0;
      data.surveyOffered = false;
      delete data.offeredChoices;
      delete data.awaitingVerification;
      delete data.lastFaq;
      delete data.missingReport;
    }
    data.lastActiveAt = now.toISOString();
    return next();
  }
}
