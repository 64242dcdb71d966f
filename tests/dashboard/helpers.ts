/**
 * A real server with demo history: the app runs on a simulated clock, the demo seeder drives customers and agents
 * through it over HTTP, then tests talk to the API (or a browser to the page). Also an independent recomputation of
 * the metrics straight from the turn log (no roll-ups, no API), to check the API's numbers against.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type App, createApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { silentLogger } from '../../bot/logger.js';
import { type ClassifiedSession, classifySessions, computeMetrics, groupKey, type Metrics } from '../../metrics/compute.js';
import { sessionsFromRecords } from '../../metrics/sessions.js';
import { shiftDay } from '../../metrics/query.js';
import { runSeed, type SeedSummary } from '../../scripts/seed/run.js';
import { SimClock } from '../../scripts/seed/simulation.js';
import type { TurnRecord } from '../../storage/turnLog.js';
import { api, login } from '../helpers/agentClient.js';
import { TEST_NOW } from '../helpers/harness.js';
import { TEST_MODEL_FILE } from '../helpers/paths.js';

export const ADMIN = { user: 'admin', password: 'admin-password-1' };
export const LEAD = { user: 'lee', password: 'lead-password-1' };
export const AGENT = { user: 'alex', password: 'agent-password-1' };
/** "Today" of these tests (the server's clock), and the demo history before it. */
export const TODAY = TEST_NOW.toISOString().slice(0, 10);

/** A running seeded server. */
export interface SeededServer {
  app: App;
  url: string;
  dataDir: string;
  clock: SimClock;
  summary: SeedSummary;
  /** Bearer tokens of the lead and the agent. */
  lead: { token: string; cookie: string; csrf: string };
  agent: { token: string };
  stop(): Promise<void>;
}

/** Starts the app on a simulated clock, seeds `conversations` over the `days` before TODAY, and logs a lead in. */
export async function startSeededServer(options: { conversations: number; days: number; env?: Record<string, string> }): Promise<SeededServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-dash-'));
  const until = new Date(`${TODAY}T00:00:00Z`);
  const clock = new SimClock(new Date(`${shiftDay(TODAY, -options.days)}T00:00:00Z`));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ADMIN_USER: ADMIN.user,
    ADMIN_PASSWORD: ADMIN.password,
    BUSINESS_HOURS: 'always',
    ...options.env,
  });
  const app = await createApp(config, { logger: silentLogger, clock, nluModelFile: TEST_MODEL_FILE });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${app.server.address().port}`;
  const summary = await runSeed({ app, url, clock, conversations: options.conversations, days: options.days + 1, seed: 7, until });
  // Past the end of the last seeded conversation: every session has its outcome.
  clock.advanceTo(Date.parse(`${TODAY}T06:00:00Z`));
  const admin = await login(url, ADMIN.user, ADMIN.password);
  for (const u of [
    { ...LEAD, role: 'lead' },
    { ...AGENT, role: 'agent' },
  ]) {
    await api(url, 'POST', '/api/users', { token: admin.token, body: { username: u.user, password: u.password, role: u.role } });
  }
  return {
    app,
    url,
    dataDir,
    clock,
    summary,
    lead: await login(url, LEAD.user, LEAD.password),
    agent: await login(url, AGENT.user, AGENT.password),
    stop: async () => {
      await app.shutdown(2000);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every record of the server's turn log, read directly. */
export async function allRecords(app: App): Promise<TurnRecord[]> {
  const out: TurnRecord[] = [];
  for await (const r of app.core.turnLog.read()) out.push(r);
  return out;
}

/** Sessions built and classified straight from the records (no roll-ups), as of the server's clock now. */
export async function independentSessions(app: App): Promise<ClassifiedSession[]> {
  const idleMs = app.core.config.SESSION_IDLE_MINUTES * 60_000;
  return classifySessions(sessionsFromRecords(await allRecords(app), idleMs), await app.core.handoffs.store.list(), app.core.clock.now().getTime(), idleMs);
}

/** The metrics of the sessions that started in [from, to] and pass `keep`. */
export function metricsOf(sessions: ClassifiedSession[], from: string, to: string, keep: (c: ClassifiedSession) => boolean = () => true): Metrics {
  return computeMetrics(sessions.filter((c) => c.day >= from && c.day <= to && keep(c)));
}

/** Groups by hand: key → metrics, for the sessions in [from, to]. */
export function groupsOf(sessions: ClassifiedSession[], from: string, to: string, by: 'day' | 'channel' | 'locale' | 'intent', keep: (c: ClassifiedSession) => boolean = () => true) {
  const map = new Map<string, ClassifiedSession[]>();
  for (const c of sessions) {
    if (c.day < from || c.day > to || !keep(c)) continue;
    const key = groupKey(c, by);
    map.set(key, [...(map.get(key) ?? []), c]);
  }
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, list]) => ({ key, ...computeMetrics(list) }));
}
