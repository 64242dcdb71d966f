/**
 * The customer side of a handoff: create it with its context, place in the queue and expected wait, business hours,
 * the Bot Framework handoff.initiate event, state changes (published to consoles) and the hand-back to the bot.
 */
import { type Activity, EventFactory, InputHints, MessageFactory, type Transcript, TurnContext } from 'botbuilder';
import { supportsSuggestedActions } from 'botbuilder-dialogs';
import { formatDay, formatWeekdayTime, zoneName } from '../../i18n/dates.js';
import { t } from '../../i18n/index.js';
import type { Clock } from '../../storage/clock.js';
import type { Change, Closing, Handoff, HandoffReason, HandoffStore } from '../../storage/handoffStore.js';
import type { TicketPriority } from '../../storage/ticketStore.js';
import type { TurnLog, TurnRecord } from '../../storage/turnLog.js';
import type { Config } from '../config.js';
import { type ConversationDataAccessor, getConversationData } from '../conversationData.js';
import type { Logger } from '../logger.js';
import { redact } from '../redaction.js';
import { customerIntent, markTurn, turnInfo } from '../turnInfo.js';
import { addOpenHours, type Closures, closedDaysAhead, describeSchedule, isClosedDay, isOpenAt, nextOpening, parseClosures, parseSchedule, type Schedule } from './businessHours.js';
import type { HandoffEvents } from './events.js';
import { referenceOf } from './proactive.js';
import { type ConversationKey, conversationRecords, sessionWindow, summarize, toActivities } from './transcript.js';
import { type HandoffTrigger, priorityFor } from './triggers.js';

/** Dependencies of the service. */
export interface HandoffServiceDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  store: HandoffStore;
  turnLog: TurnLog;
  events: HandoffEvents;
  conversationData: ConversationDataAccessor;
  /** Offers the satisfaction survey after a hand-back (SupportBot.beginSurvey). */
  beginSurvey: (context: TurnContext) => Promise<void>;
}

/** A freshly created handoff, its place in the queue and the expected wait (null: not enough history). */
export interface Escalation {
  handoff: Handoff;
  position: number;
  expectedWaitMs: number | null;
  transcript: Transcript;
}

/** Accepted handoffs of the last week the wait estimate learns from. */
const HISTORY_MS = 7 * 86_400_000;
/** Fewer accepted handoffs than this and the bot does not guess a wait. */
const MIN_HISTORY = 3;
/** Most records attached to the handoff.initiate event. */
const TRANSCRIPT_LIMIT = 50;

/** Median of a non-empty list. */
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Creates, tracks and ends handoffs; the escalation dialog, the relay and the agent desk all go through it. */
/** Least time between two "you've moved up" messages to one queued customer, unless they are next. */
export const MOVED_UP_EVERY_MS = 2 * 60_000;

export class HandoffService {
  /** When people are there to take a handoff (BUSINESS_HOURS; null = always). */
  readonly schedule: Schedule;
  /** Days the team is closed whatever the schedule says (BUSINESS_CLOSED). */
  readonly closed: Closures;
  /** When each open handoff's customer last wrote (ms), for the queue's idle check; kept in memory only. */
  private readonly heard = new Map<string, number>();
  /** Queued handoffs whose customer was asked whether they are still there, and has not written since. */
  private readonly nudged = new Set<string>();
  /** Handoffs created before this process started count their silence from the start, not from their creation. */
  private readonly startedAt: number;
  /** The place in the queue each queued customer was last told, and when (ms); kept in memory only. */
  private readonly toldPlace = new Map<string, { position: number; at: number }>();

  constructor(private readonly deps: HandoffServiceDeps) {
    this.schedule = parseSchedule(deps.config.BUSINESS_HOURS);
    this.closed = parseClosures(deps.config.BUSINESS_CLOSED);
    this.startedAt = deps.clock.now().getTime();
  }

  get store(): HandoffStore {
    return this.deps.store;
  }

  /** The hub consoles listen to. */
  get events(): HandoffEvents {
    return this.deps.events;
  }

  /** Whether a trigger is switched on (HANDOFF_TRIGGERS). */
  enabled(reason: HandoffReason): boolean {
    return this.deps.config.HANDOFF_TRIGGERS.includes(reason);
  }

  /** Whether `channelId` carries an external agent hub's handoff.status events (HANDOFF_HUB_CHANNELS). */
  hubSpeaksOn(channelId: string): boolean {
    return this.deps.config.HANDOFF_HUB_CHANNELS.includes(channelId);
  }

  /** Whether agents are working now. */
  isOpenNow(): boolean {
    return isOpenAt(this.schedule, this.deps.clock.now(), this.deps.config.TIME_ZONE, this.closed);
  }

  /** When a ticket of `priority` opened at `from` is due: SLA_HOURS of the team's opening time (BUSINESS_HOURS, BUSINESS_CLOSED). */
  ticketDue(priority: TicketPriority, from: Date): Date {
    return addOpenHours(this.schedule, from, this.deps.config.SLA_HOURS[priority], this.deps.config.TIME_ZONE, this.closed);
  }

  /**
   * The team's hours for an answer about them, in `lang` and with the time zone ("Mon–Fri 08:00–20:00 (Eastern
   * Time)"), and the closed days (BUSINESS_CLOSED) among the next `days`, as dates in `lang`.
   */
  teamHours(lang: string, days = 14): { hours: string; closedDays: string[] } {
    const { TIME_ZONE } = this.deps.config;
    const now = this.deps.clock.now();
    const described = describeSchedule(this.schedule, lang);
    return {
      hours: this.schedule === null ? described : `${described} (${zoneName(now, lang, TIME_ZONE)})`,
      closedDays: closedDaysAhead(this.closed, now, TIME_ZONE, days).map((day) => formatDay(day, lang, TIME_ZONE)),
    };
  }

  /**
   * The opening hours and the next opening, in the customer's language, for the out-of-hours message; `closedToday`
   * when today is one of the closed days, whose message cannot say "outside our hours".
   */
  hours(lang: string): { hours: string; next: string; closedToday: boolean } {
    const { TIME_ZONE } = this.deps.config;
    const now = this.deps.clock.now();
    const next = nextOpening(this.schedule, now, TIME_ZONE, this.closed);
    return {
      hours: describeSchedule(this.schedule, lang),
      // The shop's wall clock, which the customer may not share: "back Saturday 09:00" named no zone.
      next: next ? `${formatWeekdayTime(next, lang, TIME_ZONE)} ${zoneName(next, lang, TIME_ZONE)}` : '',
      closedToday: isClosedDay(this.closed, now, TIME_ZONE),
    };
  }

  /**
   * Creates a queued handoff for the turn's conversation (or returns the open one), with the intents and sentiment
   * of the session so far. Sends nothing: the dialog marks the turn, tells the customer, then calls `initiate`.
   */
  async create(context: TurnContext, trigger: HandoffTrigger): Promise<Escalation> {
    const { clock, config, store } = this.deps;
    const info = turnInfo(context);
    const conversationId = context.activity.conversation.id;
    const now = clock.now();
    const records = sessionWindow(
      await conversationRecords(this.deps.turnLog, { conversationId, channel: context.activity.channelId }, now),
      now.toISOString(),
      now.toISOString(),
      config.SESSION_IDLE_MINUTES * 60_000,
    );
    const summary = summarize(records, { intent: customerIntent(info)?.intent, sentiment: info.recognition?.sentiment.score });
    const transcript = this.transcriptFor(context, records);
    const existing = await store.openFor(conversationId, context.activity.channelId);
    const handoff =
      existing ??
      (await store.create({
        reason: trigger.reason,
        priority: priorityFor(trigger, summary.sentiment?.last ?? 0, config.HANDOFF_NEGATIVE_SENTIMENT),
        channel: context.activity.channelId,
        locale: info.locale,
        customerId: info.customerId,
        conversationId,
        reference: referenceOf(context),
        intents: summary.intents,
        sentiment: summary.sentiment,
        createdAt: now.toISOString(),
        ...(trigger.ticketId ? { ticketId: trigger.ticketId } : {}),
      }));
    const data = await getConversationData(this.deps.conversationData, context);
    data.handoffId = handoff.id;
    // The counters that led here start again after the person hands back.
    data.consecutiveFallbacks = 0;
    data.faqNoCount = 0;
    data.negativeStreak = 0;
    if (!existing) {
      this.deps.events.changed(handoff);
      this.deps.logger.info({ handoffId: handoff.id, reason: handoff.reason, priority: handoff.priority }, 'Handoff queued');
    }
    const position = await this.position(handoff);
    return { handoff, position, expectedWaitMs: await this.expectedWaitMs(position), transcript };
  }

  /** Emits the Bot Framework handoff.initiate event, transcript attached, so an external agent hub can take over. */
  async initiate(context: TurnContext, escalation: Escalation): Promise<void> {
    const h = escalation.handoff;
    const handoffContext = {
      handoffId: h.id,
      reason: h.reason,
      priority: h.priority,
      locale: h.locale,
      customerId: h.customerId,
      intents: h.intents,
      sentiment: h.sentiment,
      queuePosition: escalation.position,
      ...(h.ticketId ? { ticketId: h.ticketId } : {}),
    };
    await context.sendActivity(EventFactory.createHandoffInitiation(context, handoffContext, escalation.transcript));
  }

  /** The session's messages plus this turn's (not in the log yet), newest last, redacted. */
  private transcriptFor(context: TurnContext, records: TurnRecord[]): Transcript {
    const info = turnInfo(context);
    const activities = toActivities(records).slice(-TRANSCRIPT_LIMIT + 1);
    if (context.activity.type === 'message' && info.text) {
      activities.push({
        type: 'message',
        id: context.activity.id,
        timestamp: new Date(info.receivedAt),
        channelId: context.activity.channelId,
        conversation: context.activity.conversation,
        from: { id: info.customerId, name: 'customer', role: 'user' },
        text: redact(info.text),
        locale: info.locale,
      });
    }
    return { activities: activities as Activity[] };
  }

  /** 1-based place of a queued handoff in service order (0 when it is no longer queued). */
  async position(h: Handoff): Promise<number> {
    return this.deps.store.queuePosition(h.id);
  }

  /**
   * Expected wait for a place in the queue: the median wait per queue place of recently accepted handoffs, times
   * the place. Null with too little history to say.
   */
  async expectedWaitMs(position: number): Promise<number | null> {
    // With no console open nobody can take the chat, whatever the past says: "The expected wait is under a minute",
    // and two minutes later nobody had come.
    if (this.nobodyOnline()) return null;
    const now = this.deps.clock.now().getTime();
    const recent = await this.deps.store.list({ from: new Date(now - HISTORY_MS).toISOString(), accepted: true, limit: this.deps.config.HANDOFF_WAIT_SAMPLE });
    if (recent.length < MIN_HISTORY) return null;
    const perPlace = median(recent.map((h) => (Date.parse(h.acceptedAt!) - Date.parse(h.createdAt)) / h.position));
    return Math.round(perPlace * Math.max(1, position));
  }

  /** Whether no agent console is open, so nobody can take a queued chat until one is. */
  nobodyOnline(): boolean {
    return this.deps.events.size === 0;
  }

  /**
   * A message to a customer in the queue. With nobody online it carries a "Leave a message" button where the channel
   * shows buttons (SMS and email got one attached that nobody would see); its text says what to type everywhere.
   */
  queueActivity(lang: string, text: string, channelId: string): Partial<Activity> {
    const button = this.nobodyOnline() && supportsSuggestedActions(channelId, 1);
    const activity = button ? MessageFactory.suggestedActions([t(lang, 'handoff.leaveMessageButton')], text) : MessageFactory.text(text);
    activity.inputHint = InputHints.AcceptingInput;
    return activity;
  }

  /** "You're number 2 in the queue. The expected wait is about 4 minutes." in the customer's language. */
  queueText(lang: string, position: number, waitMs: number | null): string {
    return t(lang, 'handoff.queuePosition', { position, wait: this.waitText(lang, waitMs) });
  }

  /** "The expected wait is about 4 minutes." (or that nobody can say) in the customer's language. */
  waitText(lang: string, waitMs: number | null): string {
    return waitMs === null
      ? t(lang, this.nobodyOnline() ? 'handoff.wait.nobodyOnline' : 'handoff.wait.unknown')
      : waitMs < 60_000
        ? t(lang, 'handoff.wait.underMinute')
        : t(lang, 'handoff.wait.minutes', { minutes: Math.ceil(waitMs / 60_000) });
  }

  /** Notes the place a queued customer has just been told (a requeue's notice), so it is not told again as news. */
  toldPosition(id: string, position: number): void {
    this.toldPlace.set(id, { position, at: this.deps.clock.now().getTime() });
  }

  /**
   * Queued customers whose place has improved since they were last told, with their new place: those now next, and
   * the others once MOVED_UP_EVERY_MS has passed since they last heard (a long queue would otherwise message everyone
   * at every accept). Marked told here. Customers heard "you're number 4" once, and nothing more until someone came.
   * `queued` is the queue in service order (`HandoffStore.queue`).
   */
  movedUp(queued: Handoff[]): Array<{ handoff: Handoff; position: number }> {
    const now = this.deps.clock.now().getTime();
    const open = new Set(queued.map((h) => h.id));
    for (const id of this.toldPlace.keys()) if (!open.has(id)) this.toldPlace.delete(id);
    const moved: Array<{ handoff: Handoff; position: number }> = [];
    queued.forEach((h, i) => {
      const position = i + 1;
      const told = this.toldPlace.get(h.id) ?? { position: h.position, at: Math.max(Date.parse(h.createdAt), this.startedAt) };
      if (position < told.position && (position === 1 || now - told.at >= MOVED_UP_EVERY_MS)) {
        moved.push({ handoff: h, position });
        this.toldPlace.set(h.id, { position, at: now });
      } else if (!this.toldPlace.has(h.id)) {
        this.toldPlace.set(h.id, told);
      }
    });
    return moved;
  }

  async openFor(conversationId: string, channelId?: string): Promise<Handoff | undefined> {
    return this.deps.store.openFor(conversationId, channelId);
  }

  /** queued → active; published to consoles. */
  async accept(id: string, agent: string): Promise<Change> {
    const change = await this.deps.store.accept(id, agent, this.deps.clock.now().toISOString());
    if (change.ok) this.deps.events.changed(change.handoff);
    return change;
  }

  /** The chat goes to another agent; published to consoles. */
  async transfer(id: string, to: string): Promise<Change> {
    const change = await this.deps.store.transfer(id, to);
    if (change.ok) this.deps.events.changed(change.handoff);
    return change;
  }

  /** The customer writes in another language now: notices and the console follow it; published to consoles. */
  async relocale(id: string, locale: string): Promise<void> {
    const change = await this.deps.store.relocale(id, locale);
    if (change.ok) this.deps.events.changed(change.handoff);
  }

  /** Back to the queue from `agent`, who left; published to consoles. */
  async requeue(id: string, agent: string): Promise<Change> {
    const change = await this.deps.store.requeue(id, agent);
    if (change.ok) {
      // Its wait in the queue starts now: a customer quiet while the agent had the chat is not "gone quiet" in the queue.
      this.heard.set(id, this.deps.clock.now().getTime());
      this.nudged.delete(id);
      this.deps.events.changed(change.handoff);
      this.deps.logger.info({ handoffId: id, agent }, 'Handoff back in the queue: its agent left');
    }
    return change;
  }

  /** Ends a handoff (resolved or abandoned); published to consoles. */
  async close(id: string, closing: Omit<Closing, 'at'>): Promise<Change> {
    const change = await this.deps.store.close(id, { ...closing, at: this.deps.clock.now().toISOString() });
    if (change.ok) {
      this.deps.events.changed(change.handoff);
      this.deps.logger.info({ handoffId: id, status: closing.status, by: closing.by }, 'Handoff closed');
    }
    return change;
  }

  /** Stamps the first agent message; published to consoles when it changed. */
  async agentMessage(id: string): Promise<Change> {
    const before = await this.deps.store.get(id);
    const change = await this.deps.store.agentMessage(id, this.deps.clock.now().toISOString());
    if (change.ok && !before?.firstAgentMessageAt) this.deps.events.changed(change.handoff);
    return change;
  }

  /** Publishes one line of a handoff's chat to the consoles. */
  line(handoffId: string, from: 'customer' | 'agent' | 'bot', text: string, agent?: string): void {
    const now = this.deps.clock.now();
    if (from === 'customer') {
      this.heard.set(handoffId, now.getTime());
      this.nudged.delete(handoffId);
    }
    this.deps.events.line({ handoffId, from, text, ts: now.toISOString(), ...(agent ? { agent } : {}) });
  }

  /**
   * Queued handoffs whose customer has gone quiet: `nudge` those silent for half of SESSION_IDLE_MINUTES (to be asked
   * whether they are still there; they are marked asked here, so each is asked once), `drop` those asked who stayed
   * silent for all of it. A customer who closed the web
   * chat used to hold a place ahead of everyone for good, and every newcomer heard "you're number 4".
   */
  quietInQueue(queued: Handoff[]): { nudge: Handoff[]; drop: Handoff[] } {
    const now = this.deps.clock.now().getTime();
    const idleMs = this.deps.config.SESSION_IDLE_MINUTES * 60_000;
    const nudge: Handoff[] = [];
    const drop: Handoff[] = [];
    const open = new Set(queued.map((h) => h.id));
    for (const id of this.heard.keys()) if (!open.has(id)) this.heard.delete(id);
    for (const id of this.nudged) if (!open.has(id)) this.nudged.delete(id);
    for (const h of queued) {
      const quiet = now - (this.heard.get(h.id) ?? Math.max(Date.parse(h.createdAt), this.startedAt));
      if (this.nudged.has(h.id)) {
        if (quiet >= idleMs) drop.push(h);
      } else if (quiet >= idleMs / 2) {
        nudge.push(h);
        this.nudged.add(h.id);
      }
    }
    return { nudge, drop };
  }

  /** Whether a customer `quietInQueue` found due to leave has still not written since they were asked. */
  stillQuiet(id: string): boolean {
    return this.nudged.has(id);
  }

  /** Forgets the handoff in the conversation's state (it has ended). */
  async release(context: TurnContext, handoffId: string): Promise<void> {
    const data = await getConversationData(this.deps.conversationData, context);
    if (data.handoffId === handoffId) data.handoffId = undefined;
  }

  /**
   * The bot takes the conversation back after a person resolved it, and offers the survey. A handoff nobody took
   * (a lead closing the queue's dead chats) told the customer "lee has closed the chat" and asked them to rate a chat
   * with no person in it: it says the request was closed, and asks nothing.
   */
  async handBack(context: TurnContext, handoff: Handoff): Promise<void> {
    await this.release(context, handoff.id);
    const lang = turnInfo(context).locale;
    // The conversation ends here (DESIGN §4): what the customer asks next, survey answers aside, is a new one.
    markTurn(context, 'handoff', 'answered', { handoffId: handoff.id, data: { handoffResolved: true } });
    const bot = this.deps.config.BOT_NAME;
    const joined = handoff.acceptedAt !== null;
    const text = joined ? t(lang, 'handoff.handBack', { agent: handoff.agent ?? t(lang, 'handoff.someone'), bot }) : t(lang, 'handoff.closedUntaken', { bot });
    await context.sendActivity(text);
    this.line(handoff.id, 'bot', text);
    if (joined) await this.deps.beginSurvey(context);
  }

  /** The turn log records of a handoff's conversation, cut to the session around it. */
  async transcript(h: Handoff): Promise<TurnRecord[]> {
    return this.sessionTranscript(h, h.createdAt, h.resolvedAt ?? h.abandonedAt);
  }

  /** The session of a conversation around `start` (a handoff's or a ticket's creation), up to `end` or its last turn. */
  async sessionTranscript(of: ConversationKey, start: string, end: string | null): Promise<TurnRecord[]> {
    const records = await conversationRecords(this.deps.turnLog, of, new Date(start));
    return sessionWindow(records, start, end, this.deps.config.SESSION_IDLE_MINUTES * 60_000);
  }
}
