/** Serves a reference bot for the benchmark on the product's stack: restify + CloudAdapter at POST /api/messages. */
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import restify from 'restify';

/** Listens on PORT (or any free port), announces "listening on …" as the product does, and stops on SIGTERM. */
export function serveReference(name: string, adapter: CloudAdapter, bot: ActivityHandler): void {
  const server = restify.createServer({ name });
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 64 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`listening on http://localhost:${server.address().port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
