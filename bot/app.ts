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
  type ConversationState,
} from 'botbuilder';
import type { Server } from 'restify';
import { createMainDialog } from '../dialogs/index.js';
import type { DialogServices } from '../dialogs/services.js';
import { isTask, NluEngine } from '../nlu/engine.js';
import { checkFaqCoverage } from '../nlu/faqCoverage.js';
import { NlpRecognizer } from '../nlu/recognizer.js';
import { LanguageDetector } from '../nlu/languageDetect.js';
import { type Clock, systemClock } from '../storage/clock.js';
import { LevelStorage } from '../storage/levelStorage.js';
import { TrackedConversationState, TrackedUserState } from '../storage/trackedState.js';
import { BASE_LANGUAGE, catalogue, mismatchedPlaceholders, missingMessages } from '../i18n/index.js';
import { DataFileError } from '../storage/jsonDb.js';
import { KnowledgeBase } from '../storage/knowledgeBase.js';
import { IntentLabels } from '../dialogs/intentLabels.js';
import { JsonOrderStore } from '../storage/orderStore.js';
import { LowdbTicketStore } from '../storage/ticketStore.js';
import { createAdapter, turnErrorHandler } from './adapter.js';
import { type Config, dataDirError } from './config.js';
import type { ConversationData } from './conversationData.js';
import { type DirectLine, registerDirectLine } from './directline/index.js';
import { DIRECTLINE_CHANNEL } from './directline/service.js';
import { createServer, type Readiness } from './http/server.js';
import { RateLimiter } from './http/rateLimit.js';
import { InFlight } from './http/route.js';
import { registerPages } from './pages/routes.js';
import type { Logger } from './logger.js';
import { InputMiddleware } from './middleware/inputMiddleware.js';
import { DirectionMiddleware } from './middleware/directionMiddleware.js';
import { SmsTextMiddleware } from './middleware/smsTextMiddleware.js';
import { LanguageMiddleware } from './middleware/languageMiddleware.js';
import { NluMiddleware } from './middleware/nluMiddleware.js';
import { TurnLogMiddleware } from './middleware/turnLogMiddleware.js';
import { TurnQueueMiddleware } from './middleware/turnQueueMiddleware.js';
import { SessionMiddleware } from './middleware/sessionMiddleware.js';
import { CustomerIds } from './customerIds.js';
import { JsonlTurnLog, type TurnLog } from '../storage/turnLog.js';
import { applyRetention, type PrivacyTargets } from '../storage/privacy.js';
import { acquireDataDir, openToOthers } from '../storage/dataDirLock.js';
import { SupportBot } from './supportBot.js';
import { registerMetricsRoutes } from './api/metrics.js';
import { registerPrivacyRoutes } from './api/privacy.js';
import type { Metrics } from '../metrics/service.js';
import { MetricsWorker } from '../metrics/workerClient.js';
import { LowdbHandoffStore } from '../storage/handoffStore.js';
import { HandoffEvents } from './handoff/events.js';
import { PublishingTicketStore } from './handoff/ticketEvents.js';
import { HandoffService } from './handoff/handoffService.js';
import { RelayMiddleware } from './handoff/relayMiddleware.js';
import { FirstReplyMiddleware } from './middleware/firstReplyMiddleware.js';
import { NegativeStreakMiddleware } from './handoff/negativeStreakMiddleware.js';
import { ServiceUrlMiddleware } from './handoff/serviceUrlMiddleware.js';
import { cloudAdapterMessenger, routedMessenger } from './handoff/proactive.js';
import { type AgentApi, createAgentApi } from './api/index.js';
import { type Dashboard, registerDashboard } from './api/dashboard.js';

/** Options that tests and tools override. */
export interface CoreOptions {
  logger: Logger;
  clock?: Clock;
  /** Where the NLU model is cached; defaults to `<DATA_DIR>/nlu/model.json`. */
  nluModelFile?: string | null;
  /** How this process was started ("npm run chat"): another one that finds the data directory taken is told. */
  program?: string;
  /** Told before the NLU model trains (`NluEngineOptions.onTraining`). */
  onTraining?: (reason: string) => void;
}

/** Everything the bot needs to take a turn, independent of how turns arrive (HTTP, terminal, tests). */
export interface BotCore {
  config: Config;
  logger: Logger;
  clock: Clock;
  nlu: NluEngine;
  recognizer: NlpRecognizer;
  storage: LevelStorage;
  turnLog: TurnLog;
  customerIds: CustomerIds;
  /** What erasure and retention reach. */
  privacy: PrivacyTargets;
  conversationState: ConversationState;
  services: DialogServices;
  /** Human escalation: handoff store, queue, events for consoles. */
  handoffs: HandoffService;
  bot: SupportBot;
  /** Installs the middleware pipeline and the turn error handler on an adapter. */
  attach(adapter: BotAdapter): void;
  /** Flushes stores; call once no more turns run. */
  close(): Promise<void>;
}

/** Builds the bot and its stores from configuration, holding the data directory until `close`. */
export async function createBotCore(config: Config, options: CoreOptions): Promise<BotCore> {
  // Everything the bot writes holds customer data (transcripts, tickets, conversation state): owner only. The turn log,
  // tickets, handoffs and LevelDB's files were readable by every user of the machine (0644).
  process.umask(0o077);
  // A DATA_DIR that is a file or not writable is a setting to fix: one line naming it, not an errno.
  const releaseDataDir = await mkdir(config.DATA_DIR, { recursive: true })
    // Before any store opens: a second writer is told who holds the directory instead of meeting LevelDB's lock.
    .then(() => acquireDataDir(config.DATA_DIR, options.program))
    .catch((error: unknown) => {
      throw dataDirError(config.DATA_DIR, error);
    });
  try {
    return await buildBotCore(config, options, releaseDataDir);
  } catch (error) {
    await releaseDataDir();
    throw error;
  }
}

async function buildBotCore(config: Config, options: CoreOptions, releaseDataDir: () => Promise<void>): Promise<BotCore> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  // Said, not changed: an operator may have opened them on purpose (a backup user), and chmod is theirs to run.
  const exposed = await openToOthers(config.DATA_DIR);
  if (exposed.length > 0) {
    logger.warn(
      { dataDir: config.DATA_DIR, count: exposed.length, examples: exposed.slice(0, 5) },
      `${exposed.length} file(s) or directories in DATA_DIR can be read by other users of this machine (an earlier version wrote them so), and they hold customer data: run chmod -R go-rwx ${config.DATA_DIR}`,
    );
  }
  // Before any store creates its files: a missing key is only an error beside customer data that already existed.
  const customerIds = await CustomerIds.load(config.CUSTOMER_ID_KEY, config.DATA_DIR);

  const orders = await JsonOrderStore.load(config.ORDERS_FILE, { rebase: config.DEMO_ORDERS_REBASE, clock });
  // Agent consoles hear of handoffs and tickets on one event stream.
  const events = new HandoffEvents();
  // A torn journal line cut off at start-up is said in the log, as the turn log says of a line it skips.
  const onWarning = (message: string, detail?: Record<string, unknown>) => logger.warn(detail ?? {}, message);
  const tickets = new PublishingTicketStore(await LowdbTicketStore.open(path.join(config.DATA_DIR, 'tickets.json'), { onWarning }), events);
  // Read before the model: a broken FAQ file stopped start-up only after the minute a first training takes.
  const knowledgeBase = await KnowledgeBase.load(config.FAQ_DIR, config.LANGUAGES);
  // A misspelt FAQ_DIR started a bot that told every customer "I don't have an answer for that one yet".
  if (knowledgeBase.languages().length === 0) {
    throw new DataFileError(config.FAQ_DIR, `holds no FAQ file for any language in LANGUAGES (${config.LANGUAGES.map((l) => `${l}.json`).join(', ')}); check FAQ_DIR`, 'source');
  }
  const nlu = await NluEngine.create({
    languages: config.LANGUAGES,
    corpusDir: config.CORPUS_DIR,
    modelFile: options.nluModelFile === undefined ? path.join(config.DATA_DIR, 'nlu', 'model.json') : options.nluModelFile,
    logger,
    ...(options.onTraining ? { onTraining: options.onTraining } : {}),
  });
  // Read and check every language's messages now: a broken catalogue stops start-up, not a customer's turn.
  for (const lang of [BASE_LANGUAGE, ...nlu.languages]) {
    catalogue(lang);
    // Legitimate while a message is being translated, so a warning: the tests hold the shipped catalogues complete.
    const missing = missingMessages(lang);
    if (missing.length) logger.warn({ lang, missing }, `i18n/${lang}.json lacks ${missing.length} message(s) that English has (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}): ${lang} customers get them in English`);
    const mismatched = lang === BASE_LANGUAGE ? [] : mismatchedPlaceholders(lang);
    if (mismatched.length) logger.warn({ lang, mismatched }, `i18n/${lang}.json has ${mismatched.length} message(s) whose {placeholders} differ from English (${mismatched.slice(0, 5).join(', ')}${mismatched.length > 5 ? ', …' : ''}): a misspelt one reaches customers as written`);
  }
  const detector = new LanguageDetector(nlu.languages, config.DEFAULT_LOCALE, nlu.languageCues);
  const recognizer = new NlpRecognizer(nlu, { threshold: config.NLU_THRESHOLD, ambiguityMargin: config.NLU_AMBIGUITY_MARGIN });

  const turnLog = new JsonlTurnLog(path.join(config.DATA_DIR, 'turns'), { writeTimeoutMs: config.LOG_WRITE_TIMEOUT_MS, onWarning });

  const storage = await LevelStorage.open(path.join(config.DATA_DIR, 'state'));
  const conversationState = new TrackedConversationState(storage);
  const userState = new TrackedUserState(storage);
  const conversationData = conversationState.createProperty<ConversationData>('conversationData');

  const handoffs = new HandoffService({
    config,
    clock,
    logger,
    store: await LowdbHandoffStore.open(path.join(config.DATA_DIR, 'handoffs.json'), { onWarning }),
    turnLog,
    events,
    conversationData,
    beginSurvey: (context) => bot.beginSurvey(context),
  });
  const intentLabels = new IntentLabels(knowledgeBase);
  // Held in memory: a restart forgets the failures, which an attacker cannot cause.
  const verificationFailures = new RateLimiter(config.VERIFY_FAILURES_PER_HOUR, 60 * 60_000, 100_000, () => clock.now().getTime());
  const services: DialogServices = { config, clock, logger, orders, tickets, knowledgeBase, intentLabels, conversationData, handoffs, verificationFailures };
  const privacy: PrivacyTargets = {
    turnLog,
    tickets,
    state: storage,
    derivedDirs: [path.join(config.DATA_DIR, 'turns', '.rollup')],
    extra: [
      {
        name: 'handoffs',
        find: async (customerId) => (await handoffs.store.list()).filter((h) => h.customerId === customerId),
        erase: (customerId) => handoffs.store.deleteWhere((h) => h.customerId === customerId),
        // Open handoffs stay: a customer waiting for a person is not history yet.
        purgeBefore: (iso) => handoffs.store.deleteWhere((h) => h.createdAt < iso && h.status !== 'queued' && h.status !== 'active'),
      },
    ],
  };
  const mainDialog = createMainDialog(services);
  await checkFaqCoverage(nlu.languages, knowledgeBase, {
    corpusDir: config.CORPUS_DIR,
    faqDir: config.FAQ_DIR,
    defaultLocale: config.DEFAULT_LOCALE,
    handles: (intent) => mainDialog.routesIntent(intent),
    logger,
  });
  const bot = new SupportBot(conversationState, mainDialog, config.BOT_NAME, services.conversationData);

  // One queue for every adapter: a Direct Line conversation's proactive turns and the customer's meet in it.
  const turnQueue = new TurnQueueMiddleware(logger);
  // Erasure waits for the turns running now and erases again: theirs could write after its first pass.
  privacy.settle = async () => {
    await turnQueue.settled();
    await Promise.all([turnLog.flush(), storage.flush()]);
  };
  const attach = (adapter: BotAdapter): void => {
    // Before anything reads the conversation's state: a turn starts once the one before it has saved.
    adapter.use(turnQueue);
    // Outermost but one: it sees every activity, and logs in `finally` even when an inner handler throws.
    // Before the turn log: it logs the reply with the note as the customer sees it.
    adapter.use(new FirstReplyMiddleware());
    adapter.use(new TurnLogMiddleware(turnLog, customerIds, clock, logger));
    adapter.use(new AutoSaveStateMiddleware(conversationState, userState));
    adapter.use(new ServiceUrlMiddleware(handoffs.store, tickets, logger));
    // Before anything reads the conversation's flows or counters: after the idle gap they belong to an ended one.
    adapter.use(new SessionMiddleware(conversationState, conversationData, clock, config.SESSION_IDLE_MINUTES * 60_000));
    const handedOver = async (id: string, channelId: string) => (await handoffs.openFor(id, channelId)) !== undefined;
    adapter.use(new LanguageMiddleware(conversationData, nlu.languages, config.DEFAULT_LOCALE, detector, handedOver, async (text, lang) => isTask((await recognizer.recognizeText(text, lang)).intent), (context) => bot.askAgain(context)));
    // Once the turn's language is known; after the turn log, which keeps each text as written.
    adapter.use(new DirectionMiddleware());
    adapter.use(new SmsTextMiddleware());
    adapter.use(new InputMiddleware(conversationData, config.MAX_MESSAGE_CHARS, (context) => bot.waitingForAnswer(context)));
    // Classified before the relay, so a message to a person is logged with its intent and sentiment too.
    adapter.use(new NluMiddleware(recognizer, intentLabels));
    // While a person has the conversation, messages go to them and stop here (no dialogs).
    adapter.use(new RelayMiddleware(handoffs, logger, config.BRAND_NAME));
    adapter.use(new NegativeStreakMiddleware(conversationData, config));
    adapter.onTurnError = turnErrorHandler(logger, conversationState);
  };

  return {
    config,
    logger,
    clock,
    nlu,
    recognizer,
    storage,
    turnLog,
    customerIds,
    privacy,
    conversationState,
    services,
    handoffs,
    bot,
    attach,
    close: async () => {
      await storage.close();
      await turnLog.close();
      await tickets.closeFiles();
      await handoffs.store.closeFiles();
      await releaseDataDir();
    },
  };
}

/** The running product: bot core, adapter and HTTP server. */
export interface App {
  core: BotCore;
  /** Reports, computed on a worker thread so they never stall customers' turns. */
  metrics: Metrics;
  adapter: CloudAdapter;
  server: Server;
  inFlight: InFlight;
  /** The built-in Direct Line; `directLine.service.adapter` sends proactive messages to its conversations. */
  directLine: DirectLine;
  /** Agent console side: users, sessions, desk, event streams. */
  agentApi: AgentApi;
  /** Support-lead dashboard: the misunderstood-utterance inbox and the corpus it adds to. */
  dashboard: Dashboard;
  /** Stops accepting, waits for turns in flight (up to `timeoutMs`), flushes stores. */
  shutdown(timeoutMs?: number): Promise<void>;
}

let probes = 0;
/** Checks that the data directory takes writes (each probe its own file: readiness checks may overlap). */
async function storageWritable(dir: string): Promise<{ ok: boolean; detail?: string }> {
  probes += 1;
  const probe = path.join(dir, `.ready-${process.pid}-${probes}`);
  try {
    await writeFile(probe, 'ok');
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  } finally {
    // On a full disk the file is created and the write fails: a monitor polling /readyz left thousands of them.
    await unlink(probe).catch(() => undefined);
  }
}

/** Whether the users file reads (a hand edit can break it under the running server: every login then answers 503). */
async function usersReadable(agentApi: AgentApi | undefined): Promise<{ ok: boolean; detail?: string }> {
  if (!agentApi) return { ok: false, detail: 'starting' };
  try {
    await agentApi.users.count();
    return { ok: true };
  } catch {
    // The probe is public: the file and its fault go to the log of the requests that read it.
    return { ok: false, detail: 'unreadable' };
  }
}

/** Builds the whole product. Call `server.listen` to serve it. */
export async function createApp(config: Config, options: CoreOptions): Promise<App> {
  const core = await createBotCore(config, options);
  const adapter = createAdapter(config);
  core.attach(adapter);
  const inFlight = new InFlight();

  // Built below, once the server exists; /readyz is not served before then.
  let agentApi: AgentApi | undefined;
  const readiness = async (): Promise<Readiness> => {
    const storage = await storageWritable(config.DATA_DIR);
    const checks = {
      nlu: { ok: core.nlu.languages.length > 0, detail: core.nlu.languages.join(',') },
      storage,
      conversationState: core.storage.health(),
      turnLog: core.turnLog.health(),
      users: await usersReadable(agentApi),
    };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };
  // The built-in Direct Line's conversations are reached through it alone, never through /api/messages.
  let directLine: DirectLine | undefined;
  const server = createServer({ config, logger: core.logger, adapter, bot: core.bot, inFlight, readiness, ownedElsewhere: (activity) => directLine?.service.owns(activity) ?? false });
  directLine = registerDirectLine(server, { config, logger: core.logger, core, inFlight });
  registerPages(server, { config, logger: core.logger, inFlight });
  const metrics = new MetricsWorker({
    turnsDir: path.join(config.DATA_DIR, 'turns'),
    idleMs: config.SESSION_IDLE_MINUTES * 60_000,
    clock: core.clock,
    handoffs: () => core.handoffs.store.list(),
    warn: (m, d) => core.logger.warn(d ?? {}, m),
  });
  // Keep the roll-ups warm so a report only reads the last minute of log.
  const rollupTimer = setInterval(() => {
    metrics.refresh().catch((error: unknown) => core.logger.warn({ err: error }, 'Roll-up refresh failed'));
  }, 60_000);
  rollupTimer.unref();
  core.privacy.onChanged = () => metrics.invalidate();
  // A live web chat keeps its messages in the built-in Direct Line's memory: erasure ends the customer's.
  const ownedBy = (customerId: string) => (userId: string) => core.customerIds.of(DIRECTLINE_CHANNEL, userId) === customerId;
  core.privacy.extra?.push({
    name: 'webChats',
    find: async (customerId) => directLine.service.openWhere(ownedBy(customerId)),
    erase: async (customerId) => directLine.service.endWhere(ownedBy(customerId), 'conversation erased').length,
    purgeBefore: async () => 0,
  });
  // Retention runs at start-up and then daily; RETENTION_DAYS=0 keeps everything.
  const retention = async () => {
    if (config.RETENTION_DAYS <= 0) return;
    const removed = await applyRetention(core.privacy, config.RETENTION_DAYS, core.clock.now());
    core.logger.info({ removed, retentionDays: config.RETENTION_DAYS }, 'Retention applied');
  };
  await retention();
  const retentionTimer = setInterval(() => retention().catch((error: unknown) => core.logger.error({ err: error }, 'Retention failed')), 86_400_000);
  retentionTimer.unref();
  // Proactive sends (agent messages, hand-back) go to the adapter that owns the conversation's channel.
  const messenger = routedMessenger(cloudAdapterMessenger(adapter, config.MicrosoftAppId ?? ''), {
    owns: (reference) => directLine.service.owns(reference),
    messenger: cloudAdapterMessenger(directLine.service.adapter, '', () => directLine.service.serviceUrl),
  });
  agentApi = await createAgentApi(server, { config, clock: core.clock, logger: core.logger, inFlight, handoffs: core.handoffs, tickets: core.services.tickets, messenger });
  // Customers who closed the chat while queued are asked, then taken out of the queue.
  const queueTimer = setInterval(() => {
    agentApi.desk.watchQueue().catch((error: unknown) => core.logger.warn({ err: error }, 'Queue watch failed'));
  }, 60_000);
  queueTimer.unref();
  registerMetricsRoutes(server, { metrics, logger: core.logger, inFlight, auth: agentApi.auth, config });
  registerPrivacyRoutes(server, { auth: agentApi.auth, privacy: core.privacy, logger: core.logger, inFlight, clock: core.clock });
  const dashboard = await registerDashboard(server, { config, clock: core.clock, logger: core.logger, inFlight, auth: agentApi.auth, turnLog: core.turnLog, metrics, languages: core.nlu.languages });

  let closing: Promise<void> | undefined;
  const shutdown = (timeoutMs = 10_000): Promise<void> => {
    closing ??= (async () => {
      clearInterval(rollupTimer);
      clearInterval(retentionTimer);
      clearInterval(queueTimer);
      // Direct Line turns post their replies back to this server, so they finish before it stops accepting.
      await directLine.drain(timeoutMs);
      directLine.close();
      // Stop accepting; idle keep-alive sockets go now, busy ones once their turn is answered.
      server.close();
      agentApi.streams.closeAll();
      server.server.closeIdleConnections();
      await inFlight.drained(timeoutMs);
      server.server.closeAllConnections();
      await metrics.close();
      await core.close();
    })();
    return closing;
  };
  await access(config.DATA_DIR);
  return { core, metrics, adapter, server, inFlight, directLine, agentApi, dashboard, shutdown };
}
