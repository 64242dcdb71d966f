/**
 * The simulated support team: agents who take escalations through the real agent API (/api/handoffs accept,
 * messages, resolve) with bearer tokens, as the console or a script would. The earliest free agent takes each new
 * handoff after a reaction delay, so busy hours make real queue waits.
 */
import { PHRASES } from './phrases.js';
import type { Random, Simulation } from './simulation.js';

/** An agent: username, bearer token, and when they are free again (simulated ms). */
export interface Agent {
  name: string;
  token: string;
  freeAt: number;
}

/** Counters the run summary prints. */
export interface TeamStats {
  accepted: number;
  resolved: number;
  missed: number;
  agentMessages: number;
  ticketsClosed: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** How often someone works through the open tickets. */
const TICKET_ROUND = 3 * HOUR;

/** Calls the agent API; returns the status (a refusal such as 409 is an answer, not an error). */
async function call(url: string, token: string, method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.text();
  if (res.status >= 500) throw new Error(`${method} ${path}: ${res.status}`);
  return res.status;
}

/** The team working the queue. */
export class SupportTeam {
  readonly stats: TeamStats = { accepted: 0, resolved: 0, missed: 0, agentMessages: 0, ticketsClosed: 0 };
  /** When each ticket gets its answer, hours after it was opened (drawn when the team first sees it). */
  private readonly ticketHours = new Map<string, number>();
  private rounds = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly rand: Random,
    private readonly url: string,
    private readonly agents: Agent[],
  ) {}

  /** A new handoff in the queue: the first agent free takes it after a short reaction time. */
  request(handoffId: string, lang: string): void {
    const agent = this.agents.reduce((a, b) => (b.freeAt < a.freeAt ? b : a));
    const start = Math.max(this.sim.now() + this.rand.int(20, 360) * SECOND, agent.freeAt + this.rand.int(10, 60) * SECOND);
    // Booked until the expected end; `handle` frees the agent when it really ends.
    agent.freeAt = start + 6 * MINUTE;
    this.sim.spawn(start, () => this.handle(agent, handoffId, lang));
  }

  /**
   * Works the tickets from `from` to `until`: every few hours an agent answers, through the API, the open tickets whose
   * time has come. Each takes 1 to 48 hours, so some are answered by their due time, some late, and the last stay open.
   * `rand` is the tickets' own, so the rest of the simulation draws what it drew before the team worked tickets. Only
   * this run's tickets (conversation ids starting with `runPrefix`) are touched: the data directory may hold others.
   */
  workTickets(from: number, until: number, rand: Random, runPrefix: string): void {
    for (let at = from + TICKET_ROUND; at < until; at += TICKET_ROUND) this.sim.spawn(at, () => this.ticketRound(rand, runPrefix));
  }

  private async ticketRound(rand: Random, runPrefix: string): Promise<void> {
    const agent = this.agents[this.rounds++ % this.agents.length] as Agent;
    const res = await fetch(`${this.url}/api/tickets?status=open`, { headers: { authorization: `Bearer ${agent.token}` } });
    if (!res.ok) throw new Error(`GET /api/tickets: ${res.status}`);
    const { items } = (await res.json()) as { items: Array<{ id: string; createdAt: string; locale: string; conversationId: string }> };
    for (const ticket of items.filter((t) => t.conversationId.startsWith(runPrefix))) {
      let hours = this.ticketHours.get(ticket.id);
      if (hours === undefined) this.ticketHours.set(ticket.id, (hours = rand.int(1, 48)));
      if (this.sim.now() - Date.parse(ticket.createdAt) < hours * HOUR) continue;
      const phrases = PHRASES[ticket.locale] ?? PHRASES.en!;
      const body = { reply: rand.pick(phrases.ticketReply), note: rand.pick(phrases.agentNotes) };
      if ((await call(this.url, agent.token, 'POST', `/api/tickets/${encodeURIComponent(ticket.id)}/close`, body)) === 200) this.stats.ticketsClosed += 1;
    }
  }

  private async handle(agent: Agent, id: string, lang: string): Promise<void> {
    const phrases = PHRASES[lang] ?? PHRASES.en!;
    const path = `/api/handoffs/${encodeURIComponent(id)}`;
    try {
      if ((await call(this.url, agent.token, 'POST', `${path}/accept`)) !== 200) {
        this.stats.missed += 1; // the customer gave up (abandoned) before anyone came
        return;
      }
      this.stats.accepted += 1;
      await this.sim.sleep(this.rand.int(15, 60) * SECOND);
      for (const text of [this.rand.pick(phrases.agentHello), null, this.rand.pick(phrases.agentFix)]) {
        if (text === null) {
          await this.sim.sleep(this.rand.int(60, 150) * SECOND);
          continue;
        }
        // 409: the customer went back to the bot meanwhile.
        if ((await call(this.url, agent.token, 'POST', `${path}/messages`, { text })) !== 201) return;
        this.stats.agentMessages += 1;
      }
      await this.sim.sleep(this.rand.int(40, 120) * SECOND);
      if ((await call(this.url, agent.token, 'POST', `${path}/resolve`, { note: this.rand.pick(phrases.agentNotes) })) === 200) this.stats.resolved += 1;
    } finally {
      agent.freeAt = this.sim.now();
    }
  }
}
