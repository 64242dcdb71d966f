/** The bot: runs the dialog stack for messages, greets new conversations, ignores what it does not handle. */
import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { type DialogState, DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import { t } from '../i18n/index.js';
import { MAIN_DIALOG, type MainDialog } from '../dialogs/mainDialog.js';
import { markTurn, turnInfo } from './turnInfo.js';

/** Support bot: message turns go to the main dialog; conversation updates get a greeting. State is saved by middleware. */
export class SupportBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;

  constructor(
    conversationState: ConversationState,
    mainDialog: MainDialog,
    private readonly botName: string,
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState).add(mainDialog);

    this.onMessage(async (context, next) => {
      await this.runDialogs(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
      if (joined.length > 0) {
        markTurn(context, 'welcome', 'prompted');
        await context.sendActivity(t(turnInfo(context).locale, 'welcome', { bot: this.botName }));
      }
      await next();
    });
  }

  /** Offers the satisfaction survey; called when a person hands the conversation back to the bot. */
  async beginSurvey(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    await dc.cancelAllDialogs();
    // TODO(lead, at merge): `await dc.beginDialog('survey');` once dialogs/surveyDialog.ts is in this dialog set.
  }

  /** Continues the active dialog, or starts the router for a new topic. */
  private async runDialogs(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(MAIN_DIALOG);
  }
}
