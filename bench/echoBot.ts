/** The benchmark's baseline: a bare botbuilder echo bot on the same restify + CloudAdapter stack as the product. */
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { serveReference } from './referenceServer.js';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
  await next();
});

serveReference('echo-baseline', adapter, bot);
