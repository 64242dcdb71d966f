/** `npm run chat`: talk to the bot in the terminal (same dialogs, same stores as the server). */
import { createInterface } from 'node:readline/promises';
import { createBotCore } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { ConsoleAdapter } from './consoleAdapter.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // Logs go to stderr at warn and above, so the conversation stays readable.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 'pretty', 2);
  // The log is at warn, so without this a training of a minute or two looks like a hang.
  const onTraining = (reason: string) => process.stderr.write(`${reason} (a minute or two)…\n`);
  const core = await createBotCore(config, { logger, program: 'npm run chat', onTraining });
  // Colour for a person at a terminal; plain text when the output goes to a file or a script.
  const label = process.stdout.isTTY ? '\x1b[36mbot>\x1b[0m' : 'bot>';
  const adapter = new ConsoleAdapter((line) => process.stdout.write(`${label} ${line.replace(/\n/g, '\n     ')}\n`), {
    locale: config.DEFAULT_LOCALE,
  });
  core.attach(adapter);
  const logic = (context: Parameters<typeof core.bot.run>[0]) => core.bot.run(context);
  process.stdout.write(`Chatting with ${config.BOT_NAME}. Type /quit to leave.\n`);
  await adapter.start(logic);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  rl.setPrompt('you> ');
  rl.prompt();
  for await (const line of rl) {
    if (line.trim() === '/quit') break;
    await adapter.receive(line, logic);
    rl.prompt();
  }
  rl.close();
  await core.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Chat failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
