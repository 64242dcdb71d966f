/** The bot: runs the dialog stack for messages, greets new conversations, ignores what it does not handle. */
import { createHash } from 'node:crypto';
import { ActivityHandler, type ConversationState, NullTelemetryClient, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { type Dialog, DialogContainer, type DialogContext, type DialogState, DialogSet, type DialogStateManagerConfiguration, DialogTurnStatus } from 'botbuilder-dialogs';
import { t, translator } from '../i18n/index.js';
import { offerChoices } from '../dialogs/choices.js';
import { helpMenu } from '../dialogs/smallTalkDialog.js';
import { MAIN_DIALOG, type MainDialog, type MainOptions } from '../dialogs/mainDialog.js';
import { SURVEY_DIALOG } from '../dialogs/surveyDialog.js';
import { type ConversationDataAccessor, getConversationData } from './conversationData.js';
import { DIALOG_STATE_PROPERTY } from './middleware/sessionMiddleware.js';
import { markTurn, turnInfo } from './turnInfo.js';

/**
 * The turn-state key botbuilder-dialogs' DialogStateManager reads its memory scopes and path resolvers from (an
 * internal name in 4.23; tests/bot/dialogStateConfiguration.test.ts fails if it changes).
 */
export const DIALOG_STATE_CONFIGURATION_KEY = 'DialogStateManagerConfiguration';

/** Support bot: message turns go to the main dialog; conversation updates get a greeting. State is saved by middleware. */
export class SupportBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;
  /**
   * The dialog contexts' memory scopes and path resolvers. Left alone, botbuilder rebuilds them through a service
   * collection on every turn (about 30 µs); they hold no state, so one set serves every turn.
   */
  private stateConfiguration?: DialogStateManagerConfiguration;
  /** The dialogs' shape (every dialog's id, every waterfall's step count): a saved stack of another shape is stale. */
  private readonly version: string;

  constructor(
    conversationState: ConversationState,
    mainDialog: MainDialog,
    private readonly botName: string,
    private readonly conversationData: ConversationDataAccessor,
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>(DIALOG_STATE_PROPERTY);
    this.dialogs = new DialogSet(this.dialogState).add(mainDialog);
    // botbuilder traces a changed dialog through the root set's telemetry client, which is unset unless given one.
    this.dialogs.telemetryClient = new NullTelemetryClient();
    this.version = dialogVersion(mainDialog);

    this.onMessage(async (context, next) => {
      await this.runDialogs(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const added = context.activity.membersAdded ?? [];
      const joined = added.filter((m) => m.id !== botId);
      const data = await getConversationData(this.conversationData, context);
      // Teams' personal install announces only the bot: in a one-to-one chat that is the customer opening it. Other
      // channels announce the customer too (Direct Line in a second update), and would be greeted twice.
      const { conversation } = context.activity;
      const openedOneToOne = context.activity.channelId === 'msteams' && joined.length === 0 && added.length > 0 && conversation?.conversationType === 'personal';
      // Quiet in a group (docs/channels.md): the welcome went to a Teams channel each time a colleague joined the team.
      // And once per conversation: Web Chat reconnecting re-adds the customer, who was welcomed a second time.
      const group = conversation?.isGroup === true || conversation?.conversationType === 'channel' || conversation?.conversationType === 'groupChat';
      if (!group && !data.introduced && (joined.length > 0 || openedOneToOne)) {
        markTurn(context, 'welcome', 'prompted');
        // With the menu a greeting gets: the first thing a customer saw had no buttons, and "hello" then showed them.
        const tr = translator(turnInfo(context).locale);
        await offerChoices(context, this.conversationData, tr('welcome', { bot: this.botName }), helpMenu(tr));
        data.introduced = true;
      }
      await next();
    });
  }

  /** Whether a dialog is waiting for the customer's answer (a question is open). */
  async waitingForAnswer(context: TurnContext): Promise<boolean> {
    return ((await this.dialogState.get(context))?.dialogStack?.length ?? 0) > 0;
  }

  /** Asks the open question again, in the turn's language (the customer asked for another); false when none is open. */
  async askAgain(context: TurnContext): Promise<boolean> {
    const dc = await this.createContext(context);
    if (dc.stack.length === 0 || (await this.dropStaleStack(dc))) return false;
    await dc.repromptDialog();
    // A dialog with nothing to ask again (no prompt waiting) sends nothing: then the plain "what can I help you with?".
    return context.responded;
  }

  /** Starts the survey now (e.g. when an agent hands the conversation back), replacing whatever was running. */
  async beginSurvey(context: TurnContext): Promise<void> {
    const dc = await this.createContext(context);
    await this.dropStaleStack(dc);
    await dc.cancelAllDialogs();
    await dc.beginDialog(MAIN_DIALOG, { begin: SURVEY_DIALOG } satisfies MainOptions);
  }

  /** Continues the active dialog, or starts the router for a new topic. */
  private async runDialogs(context: TurnContext): Promise<void> {
    const dc = await this.createContext(context);
    if (await this.dropStaleStack(dc)) {
      // Said in the reply to the message, which is logged with its own reading (a message of its own came first).
      const info = turnInfo(context);
      info.preface = [t(info.locale, 'dialog.updated'), info.preface].filter(Boolean).join(' ');
    }
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(MAIN_DIALOG);
    // Misunderstandings count in a row: an understood turn between two of them means the customer is not stuck.
    if (turnInfo(context).outcome !== 'fallback') (await getConversationData(this.conversationData, context)).consecutiveFallbacks = 0;
  }

  /**
   * Cancels a dialog stack another release saved, and says whether there was one. A stack saved before an upgrade that
   * added a step or a child dialog resumed at the wrong step, or failed ("something went wrong") and lost the
   * conversation's state: the customer starts the topic again, told why, and their message is read afresh.
   */
  private async dropStaleStack(dc: DialogContext): Promise<boolean> {
    const data = await getConversationData(this.conversationData, dc.context);
    const stale = dc.stack.length > 0 && data.dialogsVersion !== this.version;
    data.dialogsVersion = this.version;
    if (stale) await dc.cancelAllDialogs();
    return stale;
  }

  /** The turn's root dialog context, its state manager configured with the shared memory scopes. */
  private async createContext(context: TurnContext): Promise<DialogContext> {
    if (this.stateConfiguration && !context.turnState.has(DIALOG_STATE_CONFIGURATION_KEY)) {
      context.turnState.set(DIALOG_STATE_CONFIGURATION_KEY, this.stateConfiguration);
    }
    const dc = await this.dialogs.createContext(context);
    this.stateConfiguration ??= dc.state.configuration;
    return dc;
  }
}

/** A fingerprint of `dialog` and, for a container, of every dialog inside it (botbuilder's own version is per level). */
function dialogVersion(dialog: Dialog): string {
  const shape = (d: Dialog): string => (d instanceof DialogContainer ? `${d.id}{${d.dialogs.getDialogs().map(shape).join(',')}}` : d.getVersion());
  return createHash('sha256').update(shape(dialog)).digest('hex').slice(0, 16);
}
