/**
 * One demo run: spread N simulated conversations over the last D days, start them at their simulated arrival times,
 * let customers and agents talk to the running app over HTTP, and count what happened. The app must have been created
 * with the run's `SimClock` (createApp(config, { clock })) set to the first day, so every record is stamped in
 * simulated time while the turns, NLU, dialogs, handoffs and logs are the product's own.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { App } from '../../bot/app.js';
import { shiftDay } from '../../metrics/query.js';
import { type Agent, SupportTeam } from './agents.js';
import { startConnector } from './connector.js';
import { Customer, type Plan, type Scenario, type World } from './customers.js';
import { PHRASES } from './phrases.js';
import { Random, type SimClock, Simulation } from './simulation.js';

const DAY = 86_400_000;

/** What a run needs. */
export interface SeedOptions {
  app: App;
  /** Base URL the app listens on. */
  url: string;
  clock: SimClock;
  conversations: number;
  days: number;
  seed: number;
  /** No conversation starts at or after this instant (the CLI: a few minutes ago). */
  until: Date;
  /** Agent usernames to create (if missing) and work the queue as. */
  agents?: string[];
  onProgress?: (started: number, total: number) => void;
}

/** What a run did. */
export interface SeedSummary {
  from: string;
  to: string;
  conversations: number;
  turns: number;
  handoffs: number;
  surveys: number;
  accepted: number;
  resolved: number;
  agentMessages: number;
  ticketsClosed: number;
  errors: string[];
}

const BASE: Record<Scenario, number> = {
  faqHappy: 18, faqLeave: 10, faqUnhappy: 5, orderOk: 14, orderLeave: 6, misunderstood: 9, fallbackPerson: 3, person: 9, complaint: 8, angry: 3, greetingOnly: 6, smallTalk: 9,
};
/** The last days of a demo are rougher (more angry customers), so the alerts and trends have something to show. */
const ROUGH: Record<Scenario, number> = { ...BASE, faqUnhappy: 8, misunderstood: 12, complaint: 14, angry: 14, faqHappy: 10 };
const MOOD: Partial<Record<Scenario, number>> = { faqHappy: 0.9, orderOk: 0.85, smallTalk: 0.85, person: 0.8, complaint: 0.5, angry: 0.25, faqUnhappy: 0.35, fallbackPerson: 0.5 };
const CHANNELS = { webchat: 40, msteams: 20, telegram: 15, sms: 15, facebook: 10 };

/** Arrival instants: more on weekdays, a daytime curve peaking in the afternoon (UTC), none at or after `until`. */
function arrivals(rand: Random, count: number, firstDay: string, days: number, until: number): number[] {
  const dayStarts = Array.from({ length: days }, (_, i) => Date.parse(`${shiftDay(firstDay, i)}T00:00:00Z`));
  const weights = dayStarts.map((d) => ([0, 6].includes(new Date(d).getUTCDay()) ? 0.7 : 1) * (0.8 + rand.next() * 0.4));
  const out: number[] = [];
  for (let guard = 0; out.length < count && guard < count * 50; guard += 1) {
    let r = rand.next() * weights.reduce((a, b) => a + b, 0);
    let i = 0;
    while ((r -= weights[i]!) > 0 && i < days - 1) i += 1;
    // Two uniform draws make a triangle between 07:00 and 22:00 UTC.
    const hour = 7 + ((rand.next() + rand.next()) / 2) * 15;
    const at = dayStarts[i]! + Math.round(hour * 3_600_000);
    if (at < until) out.push(at);
  }
  return out.sort((a, b) => a - b);
}

async function loadOrders(file: string): Promise<Array<{ number: string; email: string }>> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as { orders?: Array<{ number: string; email: string }> };
  const orders = (doc.orders ?? []).filter((o) => typeof o.number === 'string' && typeof o.email === 'string');
  if (!orders.length) throw new Error(`No orders in ${file}: the demo customers need some to ask about.`);
  return orders;
}

/** Runs the simulation to its end. */
export async function runSeed(o: SeedOptions): Promise<SeedSummary> {
  const { app, clock } = o;
  const rand = new Random(o.seed);
  const sim = new Simulation(clock);
  const config = app.core.config;
  const firstDay = shiftDay(o.until.toISOString().slice(0, 10), 1 - o.days);
  const tag = randomBytes(3).toString('hex');

  // Agents work through the real API with bearer tokens; sessions last the whole simulated span.
  const agents: Agent[] = [];
  const { users, sessions } = app.agentApi;
  for (const name of o.agents ?? ['demo-alex', 'demo-blair', 'demo-casey']) {
    if (!(await users.get(name))) await users.add(name, randomBytes(18).toString('base64url'), 'agent', clock.now().toISOString());
    const { token } = await sessions.create(name, clock.now(), (o.days + 2) * DAY);
    agents.push({ name, token, freeAt: 0 });
  }
  const connector = await startConnector();
  const team = new SupportTeam(sim, rand, o.url, agents);
  team.workTickets(Date.parse(`${firstDay}T00:00:00Z`), o.until.getTime(), new Random(o.seed + 1), `demo-${tag}-`);
  const world: World = {
    sim,
    rand,
    url: o.url,
    connector,
    team,
    orders: await loadOrders(config.ORDERS_FILE),
    brand: config.BRAND_NAME,
    stats: { conversations: 0, turns: 0, handoffs: 0, surveys: 0, errors: 0 },
  };

  const langs = app.core.nlu.languages.filter((l) => PHRASES[l]);
  const langWeights = Object.fromEntries(langs.map((l) => [l, l === 'en' ? 70 : 15])) as Record<string, number>;
  const times = arrivals(rand, o.conversations, firstDay, o.days, o.until.getTime());
  const roughFrom = o.until.getTime() - Math.max(1, Math.round(o.days * 0.3)) * DAY;
  const recent: Array<{ at: number; plan: Plan }> = [];
  times.forEach((at, i) => {
    const rough = at >= roughFrom;
    const back = rand.chance(0.08) ? recent.find((x) => at - x.at < DAY && x.plan.scenario === 'orderOk') : undefined;
    const scenario = back ? 'orderOk' : rand.weighted(rough ? ROUGH : BASE);
    const plan: Plan = {
      conversationId: `demo-${tag}-${i + 1}`,
      // A returning customer comes back on the same channel about the same order topic (a "reopen").
      userId: back?.plan.userId ?? `demo-${tag}-u${i + 1}`,
      channel: back?.plan.channel ?? rand.weighted(CHANNELS),
      lang: back?.plan.lang ?? rand.weighted(langWeights),
      scenario,
      mood: Math.min(1, Math.max(0, (MOOD[scenario] ?? 0.75) - (rough ? 0.2 : 0) + (rand.next() - 0.5) * 0.2)),
    };
    recent.unshift({ at, plan });
    if (recent.length > 50) recent.pop();
    sim.spawn(at, () => new Customer(world, plan).run());
  });

  let started = 0;
  try {
    await sim.run(() => {
      if (world.stats.conversations !== started) {
        started = world.stats.conversations;
        o.onProgress?.(started, times.length);
      }
    });
  } finally {
    await connector.close();
    for (const a of agents) await sessions.revoke(a.token);
  }
  return {
    from: firstDay,
    to: o.until.toISOString().slice(0, 10),
    conversations: world.stats.conversations,
    turns: world.stats.turns,
    handoffs: world.stats.handoffs,
    surveys: world.stats.surveys,
    accepted: team.stats.accepted,
    resolved: team.stats.resolved,
    agentMessages: team.stats.agentMessages,
    ticketsClosed: team.stats.ticketsClosed,
    errors: sim.errors.map((e) => e.message),
  };
}
