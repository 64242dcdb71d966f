/**
 * A second reference point for the benchmark: the echo bot plus what every dialog-based Bot Framework bot pays for
 * (conversation state in a Storage, a DialogSet, a two-step waterfall with a text prompt), and nothing of ours.
 */
import { ActivityHandler, AutoSaveStateMiddleware, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, MemoryStorage } from 'botbuilder';
import { DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog, type DialogState } from 'botbuilder-dialogs';
import { serveReference } from './referenceServer.js';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const conversationState = new ConversationState(new MemoryStorage());
adapter.use(new AutoSaveStateMiddleware(conversationState));
const dialogs = new DialogSet(conversationState.createProperty<DialogState>('dialogState'));
dialogs.add(new TextPrompt('text'));
dialogs.add(
  new WaterfallDialog('echo', [
    async (step) => step.prompt('text', { prompt: `You said: ${step.context.activity.text ?? ''}. And then?` }),
    async (step) => {
      await step.context.sendActivity(`Then you said: ${String(step.result)}`);
      return step.endDialog();
    },
  ]),
);
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  const dc = await dialogs.createContext(context);
  const result = await dc.continueDialog();
  if (result.status === DialogTurnStatus.empty) await dc.beginDialog('echo');
  await next();
});

serveReference('dialog-baseline', adapter, bot);
