/** Escalation to a person. (Interim: records the request and gives the contact options; the live queue replaces it.) */
import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { markTurn } from '../bot/turnInfo.js';
import type { DialogServices } from './services.js';
import { SupportDialog } from './supportDialog.js';

export const ESCALATION_DIALOG = 'escalation';

/** Handles `agent.handoff`. */
export class EscalationDialog extends SupportDialog {
  readonly intents = ['agent.handoff'] as const;

  constructor(services: DialogServices) {
    super(ESCALATION_DIALOG, services);
    this.addDialog(new WaterfallDialog(`${ESCALATION_DIALOG}.flow`, [this.requestStep.bind(this)]));
  }

  private async requestStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    markTurn(step.context, ESCALATION_DIALOG, 'escalated');
    await step.context.sendActivity(this.tr(step.context)('handoff.contactOptions'));
    return step.endDialog();
  }
}
