/** Fallback: says what the bot can do; after repeated misunderstandings offers a person. */
import { InputHints, MessageFactory } from 'botbuilder';
import {
  type DialogTurnResult,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { getConversationData } from '../bot/conversationData.js';
import { HANDOFF_INTENT, requestHandoff } from '../bot/handoff/triggers.js';
import { markTurn } from '../bot/turnInfo.js';
import { offerChoices } from './choices.js';
import { confirmPrompt } from './prompts.js';
import type { DialogServices } from './services.js';
import { helpMenu } from './smallTalkDialog.js';
import { type RerouteResult, SupportDialog } from './supportDialog.js';

export const FALLBACK_DIALOG = 'fallback';
const OFFER_PROMPT = `${FALLBACK_DIALOG}.offer`;

/** Handles `None`: never guesses; counts consecutive misunderstandings and offers a person after a few. */
export class FallbackDialog extends SupportDialog {
  readonly intents = ['None'] as const;

  constructor(services: DialogServices) {
    super(FALLBACK_DIALOG, services);
    this.addDialog(confirmPrompt(OFFER_PROMPT)).addDialog(
      new WaterfallDialog(`${FALLBACK_DIALOG}.reply`, [this.replyStep.bind(this), this.offerStep.bind(this)]),
    );
    this.initialDialogId = `${FALLBACK_DIALOG}.reply`;
  }

  private async replyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const data = await getConversationData(this.services.conversationData, context);
    data.consecutiveFallbacks += 1;
    const offer = this.services.handoffs.enabled('fallbacks') && data.consecutiveFallbacks >= this.services.config.FALLBACKS_BEFORE_HANDOFF;
    if (!offer) {
      markTurn(context, FALLBACK_DIALOG, 'fallback');
      await offerChoices(context, this.services.conversationData, t('fallback.reply'), helpMenu(t));
      return step.endDialog();
    }
    markTurn(context, FALLBACK_DIALOG, 'fallback', { data: { handoffOffered: true } });
    return step.prompt(OFFER_PROMPT, {
      prompt: MessageFactory.text(t('fallback.offerHuman'), undefined, InputHints.AcceptingInput),
    });
  }

  private async offerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    // A new question with a yes or no in it is the question: "ok y a que hora abren? tienen telefono?" put the customer
    // in the queue on its "ok", and the opening hours were never given.
    if (this.isNewRequest(context)) return step.endDialog({ reroute: true } satisfies RerouteResult);
    if (step.result === true) {
      requestHandoff(context, this.services.config.HANDOFF_TRIGGERS, { reason: 'fallbacks' });
      return step.endDialog({ reroute: true, intent: HANDOFF_INTENT } satisfies RerouteResult);
    }
    if (step.result === false) {
      const data = await getConversationData(this.services.conversationData, context);
      data.consecutiveFallbacks = 0;
      markTurn(context, FALLBACK_DIALOG, 'answered', { data: { handoffDeclined: true } });
      await offerChoices(context, this.services.conversationData, this.tr(context)('fallback.declined'), helpMenu(this.tr(context)));
      return step.endDialog();
    }
    // Neither yes nor no: treat it as a fresh attempt at saying what they need.
    return step.endDialog({ reroute: true } satisfies RerouteResult);
  }
}
