/**
 * The composition root: builds everything in order (stores, NLU, dialogs, bot, adapter, middleware, HTTP routes).
 * Nothing else creates long-lived objects; everything receives its dependencies through its constructor.
 */
import { access, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AutoSaveStateMiddleware,
  type BotAdapter,
  type CloudAdapter,
  ConversationState,
  UserState,
} from 'botbuilder';
import type { Server } from 'restify';
import { createMainDialog } from '../dialogs/index.js';
import type { DialogServices } from '../dialogs/services.js';
import { NluEngine } from '../nlu/engine.js';
import { NlpRecognizer } from '../nlu/recognizer.js';
import { type Clock, systemClock } from '../storage/clock.js';
import { FileStorage } from '../storage/fileStorage.js';
import { KnowledgeBase } from '../storage/knowledgeBase.js';
import { JsonOrderStore } from '../storage/orderStore.js';
import { LowdbTicketStore } from '../storage/ticketStore.js';
import { createAdapter, turnErrorHandler } from './adapter.js';
import type { Config } from './config.js';
import type { ConversationData } from './conversationData.js';
import { type DirectLine, registerDirectLine } from './directline/index.js';
import { createServer, type Readiness } from './http/server.js';
import { InFlight } from './http/route.js';
import { registerPages } from './pages/routes.js';
import type { Logger } from './logger.js';
import { InputMiddleware } from './middleware/inputMiddleware.js';
import { LanguageMiddleware } from './middleware/languageMiddleware.js';
import { NluMiddleware } from './middleware/nluMiddleware.js';
import { SupportBot } from './supportBot.js';

/** Options that tests and tools override. */
export interface CoreOptions {
  logger: Logger;
  clock?: Clock;
  /** Where the NLU model is cached; defaults to `<DATA_DIR>/nlu/model.json`. */
  nluModelFile?: string | null;
}

/** Everything the bot needs to take a turn, independent of how turns arrive (HTTP, terminal, tests). */
export interface BotCore {
  config: Config;
  logger: Logger;
  clock: Clock;
  nlu: NluEngine;
  recognizer: NlpRecognizer;
  storage: FileStorage;
  conversationState: ConversationState;
  services: DialogServices;
  bot: SupportBot;
  /** Installs the middleware pipeline and the turn error handler on an adapter. */
  attach(adapter: BotAdapter): void;
  /** Flushes stores; call once no more turns run. */
  close(): Promise<void>;
}

/** Builds the bot and its stores from configuration. */
export async function createBotCore(config: Config, options: CoreOptions): Promise<BotCore> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  await mkdir(config.DATA_DIR, { recursive: true });

  const orders = await JsonOrderStore.load(config.ORDERS_FILE, { rebase: config.DEMO_ORDERS_REBASE, clock });
  const tickets = await LowdbTicketStore.open(path.join(config.DATA_DIR, 'tickets.json'));
  const nlu = await NluEngine.create({
    languages: config.LANGUAGES,
    modelFile: options.nluModelFile === undefined ? path.join(config.DATA_DIR, 'nlu', 'model.json') : options.nluModelFile,
    logger,
  });
  const knowledgeBase = await KnowledgeBase.load(config.FAQ_DIR, nlu.languages);
  const recognizer = new NlpRecognizer(nlu, { threshold: config.NLU_THRESHOLD, ambiguityMargin: config.NLU_AMBIGUITY_MARGIN });

  const storage = new FileStorage(path.join(config.DATA_DIR, 'state'));
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const conversationData = conversationState.createProperty<ConversationData>('conversationData');

  const services: DialogServices = { config, clock, logger, orders, tickets, knowledgeBase, conversationData };
  const bot = new SupportBot(conversationState, createMainDialog(services), config.BOT_NAME);

  const attach = (adapter: BotAdapter): void => {
    adapter.use(new AutoSaveStateMiddleware(conversationState, userState));
    adapter.use(new LanguageMiddleware(conversationData, nlu.languages, config.DEFAULT_LOCALE));
    adapter.use(new InputMiddleware(conversationData, config.MAX_MESSAGE_CHARS));
    adapter.use(new NluMiddleware(recognizer));
    adapter.onTurnError = turnErrorHandler(logger, conversationState);
  };

  return {
    config,
    logger,
    clock,
    nlu,
    recognizer,
    storage,
    conversationState,
    services,
    bot,
    attach,
    close: () => storage.flush(),
  };
}

/** The running product: bot core, adapter and HTTP server. */
export interface App {
  core: BotCore;
  adapter: CloudAdapter;
  server: Server;
  inFlight: InFlight;
  /** The built-in Direct Line; `directLine.service.adapter` sends proactive messages to its conversations. */
  directLine: DirectLine;
  /** Stops accepting, waits for turns in flight (up to `timeoutMs`), flushes stores. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** Checks that the data directory takes writes. */
async function storageWritable(dir: string): Promise<{ ok: boolean; detail?: string }> {
  const probe = path.join(dir, `.ready-${process.pid}`);
  try {
    await writeFile(probe, 'ok');
    await unlink(probe);
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** Builds the whole product. Call `server.listen` to serve it. */
export async function createApp(config: Config, options: CoreOptions): Promise<App> {
  const core = await createBotCore(config, options);
  const adapter = createAdapter(config);
  core.attach(adapter);
  const inFlight = new InFlight();

  const readiness = async (): Promise<Readiness> => {
    const storage = await storageWritable(config.DATA_DIR);
    const checks = { nlu: { ok: core.nlu.languages.length > 0, detail: core.nlu.languages.join(',') }, storage };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };
  const server = createServer({ config, logger: core.logger, adapter, bot: core.bot, inFlight, readiness });
  const directLine = registerDirectLine(server, { config, logger: core.logger, core, inFlight });
  registerPages(server, { config, logger: core.logger, inFlight });

  let closing: Promise<void> | undefined;
  const shutdown = (timeoutMs = 10_000): Promise<void> => {
    closing ??= (async () => {
      // Direct Line turns post their replies back to this server, so they finish before it stops accepting.
      await directLine.drain(timeoutMs);
      directLine.close();
      // Stop accepting; idle keep-alive sockets go now, busy ones once their turn is answered.
      server.close();
      server.server.closeIdleConnections();
      await inFlight.drained(timeoutMs);
      server.server.closeAllConnections();
      await core.close();
    })();
    return closing;
  };
  await access(config.DATA_DIR);
  return { core, adapter, server, inFlight, directLine, shutdown };
}
