/**
 * Simulated customers. Each one has a plan (what they want, how patient and how pleased they are) and talks to the
 * real bot over /api/messages with `expectReplies`, reading its replies like a person would: it recognises the bot's
 * questions from the bot's own message catalogue ("Did that answer your question?", the survey, "which order?") and
 * answers, changes the subject, or leaves. Nothing tells the bot what to conclude; the log and metrics are its own.
 */
import { catalogue, LOCALE_TAGS } from '../../i18n/index.js';
import { type Kind, questionPatterns } from './questions.js';
import type { SupportTeam } from './agents.js';
import type { Connector } from './connector.js';
import { type PhraseBank, PHRASES } from './phrases.js';
import type { Random, Simulation } from './simulation.js';

/** What a conversation is about; the run picks them with weights. */
export type Scenario =
  | 'faqHappy' | 'faqLeave' | 'faqUnhappy' | 'orderOk' | 'orderLeave' | 'misunderstood' | 'fallbackPerson' | 'person' | 'complaint' | 'angry' | 'greetingOnly' | 'smallTalk';

/** Everything the customers share. */
export interface World {
  sim: Simulation;
  rand: Random;
  url: string;
  connector: Connector;
  team: SupportTeam;
  orders: Array<{ number: string; email: string }>;
  brand: string;
  stats: { conversations: number; turns: number; handoffs: number; surveys: number; errors: number };
}

/** One conversation to simulate. */
export interface Plan {
  conversationId: string;
  userId: string;
  channel: string;
  lang: string;
  scenario: Scenario;
  /** 0 (furious) … 1 (delighted): drives survey scores. */
  mood: number;
}

/** A bot message as the customer sees it. */
interface BotMessage {
  text: string;
  choices: string[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** One simulated customer in one conversation. */
export class Customer {
  private readonly p: PhraseBank;
  private readonly agenda: string[] = [];
  private seen = 0;
  private misunderstood: string[] = [];
  private saidBye = false;
  private handoffId: string | undefined;
  private readonly order: { number: string; email: string };

  constructor(
    private readonly w: World,
    private readonly plan: Plan,
  ) {
    this.p = PHRASES[plan.lang] ?? PHRASES.en!;
    this.order = w.rand.pick(w.orders);
  }

  private word(key: string): string {
    return catalogue(this.plan.lang)?.[key] ?? catalogue('en')?.[key] ?? key;
  }

  private fill(text: string): string {
    return text.replace('{order}', this.order.number);
  }

  /** Sends one message and returns the bot's messages (noting a handoff it started). */
  private async say(text: string): Promise<BotMessage[]> {
    const { w, plan } = this;
    w.stats.turns += 1;
    const res = await fetch(`${w.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        channelId: plan.channel,
        serviceUrl: w.connector.url,
        from: { id: plan.userId, name: 'Customer' },
        recipient: { id: 'bot', name: 'Bot' },
        conversation: { id: plan.conversationId },
        text,
        locale: LOCALE_TAGS[plan.lang] ?? plan.lang,
        timestamp: new Date(w.sim.now()).toISOString(),
        deliveryMode: 'expectReplies',
      }),
    });
    if (!res.ok) throw new Error(`POST /api/messages answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { activities?: Array<{ type: string; name?: string; text?: string; value?: { handoffId?: string }; suggestedActions?: { actions?: Array<{ value?: unknown }> } }> };
    const out: BotMessage[] = [];
    for (const a of body.activities ?? []) {
      if (a.type === 'event' && a.name === 'handoff.initiate' && a.value?.handoffId) this.handoffId = a.value.handoffId;
      if (a.type === 'message' && a.text) out.push({ text: a.text, choices: (a.suggestedActions?.actions ?? []).map((x) => String(x.value ?? '')) });
    }
    return out;
  }

  /** The last question among the bot's messages (the bot often answers, then asks). */
  private question(messages: BotMessage[]): { kind: Kind | null; message?: BotMessage } {
    for (const m of [...messages].reverse()) {
      for (const [kind, re] of questionPatterns(this.plan.lang)) if (re.test(m.text)) return { kind, message: m };
    }
    return { kind: null };
  }

  private think(min = 5, max = 40): Promise<void> {
    return this.w.sim.sleep(this.w.rand.int(min, max) * SECOND);
  }

  /** Survey scores follow the customer's mood (with some noise); `lift` is how generous the scale is read. */
  private score(min: number, max: number, lift = 0): string {
    const noisy = Math.min(1, Math.max(0, this.plan.mood + lift + (this.w.rand.next() - 0.5) * 0.3));
    return String(Math.round(min + noisy * (max - min)));
  }

  /** Plays the conversation to its end. */
  async run(): Promise<void> {
    const { plan, p, w } = this;
    w.stats.conversations += 1;
    const r = w.rand;
    const cluster = r.pick(p.misunderstood);
    this.misunderstood = [...cluster].sort(() => r.next() - 0.5);
    const plans: Record<Scenario, () => string[]> = {
      faqHappy: () => [r.pick(p.faq)],
      faqLeave: () => [r.pick(p.faq)],
      faqUnhappy: () => [r.pick(p.faq), r.pick(p.faq)],
      orderOk: () => [r.pick(p.order)],
      orderLeave: () => [r.pick(p.orderNoNumber)],
      misunderstood: () => [this.misunderstood.shift()!],
      fallbackPerson: () => [this.misunderstood.shift()!],
      person: () => (r.chance(0.4) ? [r.pick(p.order), r.pick(p.person)] : [r.pick(p.person)]),
      complaint: () => [r.pick(p.complaint)],
      angry: () => [r.pick(p.angry), r.pick(p.angry)],
      greetingOnly: () => [r.pick(p.greeting)],
      smallTalk: () => [r.pick(p.greeting), r.pick(p.faq)],
    };
    this.agenda.push(...plans[plan.scenario]().map((t) => this.fill(t)));
    let replies = await this.say(this.agenda.shift()!);
    for (let step = 0; step < 14; step += 1) {
      const q = this.question(replies);
      if (q.kind === 'queued' && this.handoffId) {
        replies = await this.withAgent(this.handoffId);
        this.handoffId = undefined;
        if (!replies.length) return;
        continue;
      }
      const move = this.decide(q.kind, q.message);
      if (move === null) return;
      await this.think();
      replies = await this.say(move);
    }
  }

  /** What to say to the bot's last question (or statement); null = leave. */
  private decide(kind: Kind | null, message?: BotMessage): string | null {
    const { plan, p, w, agenda } = this;
    const r = w.rand;
    const next = () => (agenda.length ? agenda.shift()! : null);
    // An angry customer does not answer questions; they say the next angry thing.
    if (plan.scenario === 'angry' && agenda.length) return next();
    switch (kind) {
      case 'faqHelp':
        if (plan.scenario === 'faqLeave') return null;
        return this.word(plan.scenario === 'faqUnhappy' ? 'common.no' : 'common.yes');
      case 'fallback':
        if (plan.scenario === 'misunderstood' && r.chance(0.5)) return null;
        return this.misunderstood.shift() ?? null;
      case 'offerHuman':
        return plan.scenario === 'fallbackPerson' ? this.word('common.yes') : r.chance(0.5) ? this.word('common.no') : null;
      case 'askNumber':
      case 'complaintOrder':
        return plan.scenario === 'orderLeave' && r.chance(0.7) ? null : this.order.number;
      case 'verify':
        return r.chance(0.9) ? this.order.email : 'nobody@example.com';
      case 'category':
        return message?.choices[0] || this.word('complaint.category.damaged');
      case 'description':
        return r.pick(p.complaintDetail);
      case 'which':
        return message?.choices[0] || null;
      case 'closed':
        return this.word('common.no');
      case 'askMessage':
        return r.pick(p.issue);
      case 'csat':
        // After the survey there is nothing left to say: the customer leaves (a "bye" would start a new session).
        this.saidBye = true;
        w.stats.surveys += 1;
        if (r.chance(0.25)) return r.chance(0.5) ? this.word('survey.skip') : null;
        return this.score(1, 5);
      case 'nps':
        return this.score(0, 10, 0.08);
      case 'comment':
        return r.chance(0.3) ? r.pick(p.thanks) : this.word('survey.skip');
      case 'anythingElse':
        if (agenda.length) return next();
        if (r.chance(0.35)) return null; // resolved, and gone
        this.saidBye = true;
        return this.word('common.no');
      default:
        if (agenda.length) return next();
        if (this.saidBye || plan.scenario === 'greetingOnly' || plan.scenario === 'orderLeave' || r.chance(0.4)) return null;
        this.saidBye = true;
        return r.pick(p.goodbye);
    }
  }

  /** New proactive messages (agents, hand-back, survey) since the last look. */
  private fresh(): BotMessage[] {
    const box = this.w.connector.inbox(this.plan.conversationId);
    const out = box.slice(this.seen).map((m) => ({ text: m.text, choices: [] }));
    this.seen = box.length;
    return out;
  }

  /** Waits in the queue, talks to the agent, and returns what the bot asks after the hand-back ([] = the customer left). */
  private async withAgent(handoffId: string): Promise<BotMessage[]> {
    const { w, p } = this;
    w.stats.handoffs += 1;
    w.team.request(handoffId, this.plan.lang);
    this.fresh();
    const patience = w.rand.int(1, 12) * MINUTE;
    const queuedAt = w.sim.now();
    const kinds = (list: BotMessage[]) => list.map((m) => this.question([m]).kind);
    let joined = false;
    let fixes = 0;
    for (let polls = 0; polls < 240; polls += 1) {
      await w.sim.sleep(20 * SECOND);
      const news = this.fresh();
      const k = kinds(news);
      if (k.includes('handBack')) {
        const after = news.slice(k.lastIndexOf('handBack') + 1);
        // A person sorted it out (pleasing), after a wait (less so). The survey follows the hand-back, if any.
        this.plan.mood = Math.min(1, Math.max(0, this.plan.mood + 0.3 - (w.sim.now() - queuedAt) / (60 * MINUTE)));
        return after.length ? after : [];
      }
      if (!joined && k.includes('accepted')) {
        joined = true;
        await this.think(10, 40);
        await this.say(w.rand.pick(p.issue));
        continue;
      }
      if (joined) {
        fixes += news.length;
        if (fixes >= 2) {
          fixes = -100; // thank once
          await this.say(w.rand.pick(p.thanks));
        }
        continue;
      }
      if (w.sim.now() - queuedAt > patience) {
        // Tired of waiting: half go back to the bot (the handoff is abandoned), half just leave.
        if (w.rand.chance(0.5)) await this.say(this.word('handoff.cancelWords').split('|')[1] ?? 'back to bot');
        return [];
      }
    }
    return [];
  }
}
