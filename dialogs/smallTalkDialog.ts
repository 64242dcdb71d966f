/** Greeting, thanks, goodbye and "what can you do?": one reply each; a greeting or a question for help offers the menu. */
import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { getConversationData } from '../bot/conversationData.js';
import { markTurn } from '../bot/turnInfo.js';
import type { Translate } from '../i18n/index.js';
import { offerChoices } from './choices.js';
import type { DialogServices } from './services.js';
import { asksForHelp, type RouteOptions, SupportDialog } from './supportDialog.js';

export const SMALL_TALK_DIALOG = 'smallTalk';

/** Intents offered as buttons after a greeting; their labels are the catalogue's `intent.*` texts. */
export const MENU_INTENTS = ['order.status', 'faq.returns', 'complaint', 'agent.handoff'] as const;

/** The menu of things the bot can do, as button labels. */
export function helpMenu(t: Translate): string[] {
  return MENU_INTENTS.map((intent) => t(`intent.${intent}`));
}

/** Answers greeting, thanks, goodbye and requests for the menu. */
export class SmallTalkDialog extends SupportDialog {
  readonly intents = ['greeting', 'thanks', 'goodbye'] as const;

  constructor(services: DialogServices) {
    super(SMALL_TALK_DIALOG, services);
    this.addDialog(new WaterfallDialog(`${SMALL_TALK_DIALOG}.reply`, [this.replyStep.bind(this)]));
  }

  private async replyStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const intent = step.options.recognition.intent;
    markTurn(context, SMALL_TALK_DIALOG, 'answered');
    if (intent === 'greeting') {
      // After the welcome, "hi" gets a hello, not the bot's name a second time.
      const data = await getConversationData(this.services.conversationData, context);
      const text = asksForHelp(context) ? t('help.reply') : data.introduced ? t('greeting.again') : t('greeting.reply', { bot: this.services.config.BOT_NAME });
      data.introduced = true;
      await offerChoices(context, this.services.conversationData, text, helpMenu(t));
    } else if (intent === 'thanks') {
      // "You're welcome", then the router's "anything else?" (yes / no / a new question), not a menu nobody asked for.
      await context.sendActivity(t('thanks.reply'));
      return step.endDialog({ resolved: true });
    } else {
      markTurn(context, SMALL_TALK_DIALOG, 'answered', { data: { conversationEnded: true } });
      await context.sendActivity(t('goodbye.reply', { brand: this.services.config.BRAND_NAME }));
      return step.endDialog({ conversationEnded: true });
    }
    return step.endDialog();
  }
}
