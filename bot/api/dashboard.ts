/**
 * The support-lead dashboard's server side in one call: the /dashboard page, the turn log routes
 * (conversations, export) and the misunderstood-utterance inbox with its decision store and corpus editor.
 * /api/metrics, /api/alerts and /api/escalations live in ./metrics.ts.
 */
import path from 'node:path';
import type { Server } from 'restify';
import type { Metrics } from '../../metrics/service.js';
import { CorpusEditor } from '../../nlu/corpusEditor.js';
import type { Clock } from '../../storage/clock.js';
import { LowdbInboxStore } from '../../storage/inboxStore.js';
import type { TurnLog } from '../../storage/turnLog.js';
import type { Config } from '../config.js';
import { registerDashboardPage } from '../http/dashboardPage.js';
import type { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import type { Auth } from './auth.js';
import { registerInboxRoutes, retrainCommand } from './inbox.js';
import { registerTurnRoutes } from './turns.js';

/** What the dashboard's routes need. */
export interface DashboardDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  inFlight: InFlight;
  auth: Auth;
  turnLog: TurnLog;
  metrics: Metrics;
  languages: readonly string[];
}

/** What the dashboard exposes to the app (tests reach the inbox through it). */
export interface Dashboard {
  inbox: LowdbInboxStore;
  corpus: CorpusEditor;
}

/** Opens the inbox store and registers the dashboard's page and routes. */
export async function registerDashboard(server: Server, deps: DashboardDeps): Promise<Dashboard> {
  const { config, logger, inFlight, auth } = deps;
  const inbox = await LowdbInboxStore.open(path.join(config.DATA_DIR, 'inbox.json'));
  const corpus = new CorpusEditor(config.CORPUS_DIR);
  registerTurnRoutes(server, { logger, inFlight, auth, turnLog: deps.turnLog, metrics: deps.metrics });
  registerInboxRoutes(server, {
    logger,
    inFlight,
    auth,
    clock: deps.clock,
    turnLog: deps.turnLog,
    store: inbox,
    editor: corpus,
    languages: deps.languages,
    scoreMax: config.INBOX_SCORE_MAX,
    similarity: config.INBOX_SIMILARITY,
    retrain: retrainCommand(config),
  });
  registerDashboardPage(server, logger, inFlight);
  return { inbox, corpus };
}
