/** The benchmark's baseline: a bare botbuilder echo bot on the same restify + CloudAdapter stack as the product. */
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
  await next();
});

const server = restify.createServer({ name: 'echo-baseline' });
server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 64 * 1024 }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on http://localhost:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
