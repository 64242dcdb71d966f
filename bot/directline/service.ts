/**
 * The built-in Direct Line as a small in-process channel service: it completes what clients post, runs it through
 * its own CloudAdapter (same middleware and dialogs as /api/messages), and collects the bot's replies, which come
 * back through the Bot Connector routes (connectorRoutes.ts) to the conversation's log and open WebSockets.
 */
import {
  type Activity,
  ActivityTypes,
  type ChannelAccount,
  type CloudAdapter,
  type TurnContext,
} from 'botbuilder';
import { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import { createDirectLineAdapter, TypingIndicatorMiddleware } from './adapter.js';
import { type Conversation, ConversationStore, type DlActivity, type StoreLimits } from './conversationStore.js';
import type { ClientActivity } from './schemas.js';
import { randomId, TokenService } from './tokens.js';

/** Channel id the bot sees for built-in Direct Line conversations (what the Bot Framework stack expects). */
export const DIRECTLINE_CHANNEL = 'directline';

/** Fields of a posted activity that only the service may set. */
const SERVER_FIELDS = ['id', 'timestamp', 'serviceUrl', 'channelId', 'conversation', 'recipient', 'from', 'callerId', 'deliveryMode'] as const;

/** What the service needs from the rest of the product. */
export interface DirectLineDeps {
  secret: string;
  tokenTtlSeconds: number;
  limits: StoreLimits;
  bot: { id: string; name: string };
  logger: Logger;
  /** Runs one turn of the bot. */
  logic: (context: TurnContext) => Promise<void>;
  /** Installs the product's middleware pipeline on an adapter (`BotCore.attach`). */
  attach: (adapter: CloudAdapter) => void;
  /** This server's own base URL as the bot reaches it (the conversations' serviceUrl). */
  serviceUrl: () => string;
  /** Whether a person from the team has the conversation (the bot is quiet, and shows no typing). */
  withPerson?: (conversationId: string) => Promise<boolean>;
  now?: () => number;
}

/** Thrown while the service is shutting down. */
export class ClosingError extends Error {}

/** The Direct Line service: conversations, tokens, the adapter and the turn bookkeeping. */
export class DirectLineService {
  readonly adapter: CloudAdapter;
  readonly store: ConversationStore;
  readonly tokens: TokenService;
  /** Proves a connector call comes from this process's adapter. */
  readonly internalKey = randomId(32);
  readonly botAccount: ChannelAccount;
  private readonly turns = new InFlight();
  private closing = false;

  constructor(private readonly deps: DirectLineDeps) {
    const now = deps.now ?? Date.now;
    this.tokens = new TokenService(deps.secret, deps.tokenTtlSeconds, now);
    this.store = new ConversationStore(deps.limits, now, Math.max(deps.tokenTtlSeconds * 1000, deps.limits.idleMs));
    this.store.startSweeper(Math.min(60_000, Math.max(1000, deps.limits.idleMs / 4)));
    this.botAccount = { id: deps.bot.id, name: deps.bot.name, role: 'bot' };
    this.adapter = createDirectLineAdapter(this.internalKey, deps.serviceUrl);
    // Typing first, so "typing…" shows before language detection and NLU run.
    this.adapter.use(new TypingIndicatorMiddleware(deps.withPerson));
    deps.attach(this.adapter);
  }

  /** The base URL replies are addressed to. */
  get serviceUrl(): string {
    return this.deps.serviceUrl();
  }

  /** Whether a conversation reference belongs to this service (use `adapter` for proactive messages to it). */
  owns(reference: { channelId?: string; conversation?: { id?: string } }): boolean {
    return reference.channelId === DIRECTLINE_CHANNEL && Boolean(reference.conversation?.id && this.store.get(reference.conversation.id));
  }

  /**
   * Ends the open conversations whose user `matches` (an erased customer's): their messages stayed in this service's
   * memory, and on their page, until the conversation idled out. Returns the ids ended.
   */
  endWhere(matches: (userId: string) => boolean, reason: string): string[] {
    const ids = this.openWhere(matches);
    for (const id of ids) this.store.end(id, reason);
    return ids;
  }

  /** The ids of the open conversations whose user `matches`. */
  openWhere(matches: (userId: string) => boolean): string[] {
    return this.store.ids().filter((id) => matches(this.store.get(id)!.userId));
  }

  /** Opens a conversation and lets the bot greet first (a conversation update, as the real service sends). */
  async start(id: string, userId: string, locale: string | undefined): Promise<Conversation> {
    this.assertOpen();
    const conversation = this.store.create(id, userId, locale);
    const user: ChannelAccount = { id: userId, name: '', role: 'user' };
    await this.runTurn({
      type: ActivityTypes.ConversationUpdate,
      id: randomId(),
      membersAdded: [this.botAccount, user],
      from: user,
      ...(locale ? { locale } : {}),
      ...this.envelope(conversation),
    });
    return conversation;
  }

  /**
   * A fresh token for the open conversation a page's previous token names, so that a reload or a second tab carries on
   * with the same conversation (history, handoff, survey) instead of starting over. Only for a token this service
   * signed for a user, whose conversation is still open, and which expired no longer ago than the idle limit: a page
   * left asleep past its token's life can come back, a long-stale token cannot.
   */
  resume(previousToken: string | undefined): { conversation: Conversation; token: string; expiresIn: number; userId: string } | undefined {
    const claims = this.tokens.genuine(previousToken);
    if (!claims?.user) return undefined;
    const conversation = this.store.get(claims.conv);
    if (!conversation || conversation.userId !== claims.user) return undefined;
    if (this.now() - claims.exp * 1000 > this.deps.limits.idleMs) return undefined;
    const issued = this.tokens.issue(conversation.id, claims.user);
    return { conversation, token: issued.token, expiresIn: issued.expiresIn, userId: claims.user };
  }

  /**
   * Takes a client's activity: echoes it into the log (clients match it by clientActivityID), then runs the turn.
   * The sender is `boundUser` when the caller's token names one, else whoever the client says (as with the real service).
   */
  async receive(conversation: Conversation, posted: ClientActivity, boundUser?: string): Promise<string> {
    this.assertOpen();
    const fields: Record<string, unknown> = { ...posted };
    for (const f of SERVER_FIELDS) delete fields[f];
    const from: ChannelAccount = { id: boundUser ?? posted.from?.id ?? conversation.userId, name: posted.from?.name ?? '', role: 'user' };
    // A client posts again with the same clientActivityID when it missed the answer to the first post: the message
    // was taken, and handled again it got a second answer (three posts gave three messages and three answers).
    const clientActivityId = (posted.channelData as { clientActivityID?: unknown } | undefined)?.clientActivityID;
    const sent = typeof clientActivityId === 'string' && clientActivityId ? conversation.sentBy(from.id, clientActivityId) : undefined;
    if (sent) return sent.id;
    const locale = posted.locale ?? conversation.locale;
    const echoed = this.store.append(conversation, {
      ...fields,
      type: posted.type,
      timestamp: new Date(this.now()).toISOString(),
      channelId: DIRECTLINE_CHANNEL,
      from,
      conversation: { id: conversation.id },
      recipient: this.botAccount,
      ...(locale ? { locale } : {}),
    });
    await this.runTurn({ ...echoed, ...this.envelope(conversation), from, ...(locale ? { locale } : {}) } as unknown as Partial<Activity>);
    return echoed.id;
  }

  /** Records an activity the bot sent (through the connector routes) and pushes it to listeners. */
  deliver(conversation: Conversation, activity: Record<string, unknown>, replyToId?: string): DlActivity {
    const { id: _id, serviceUrl: _s, ...rest } = activity;
    const typing = activity.type === ActivityTypes.Typing;
    return this.store.append(
      conversation,
      {
        ...rest,
        type: String(activity.type),
        timestamp: new Date(this.now()).toISOString(),
        channelId: DIRECTLINE_CHANNEL,
        conversation: { id: conversation.id },
        from: { ...this.botAccount, ...(activity.from as object | undefined), role: 'bot' },
        ...(replyToId ? { replyToId } : {}),
      },
      // Typing is live-only: replayed history should not show the bot typing.
      !typing,
    );
  }

  /** Stops taking new turns and waits (up to `timeoutMs`) for turns in flight, whose replies need the server up. */
  async drain(timeoutMs: number): Promise<void> {
    this.closing = true;
    await this.turns.drained(timeoutMs);
  }

  /** Ends every conversation and closes their sockets. */
  close(): void {
    this.closing = true;
    this.store.close();
  }

  private assertOpen(): void {
    if (this.closing) throw new ClosingError('The chat service is restarting');
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Fields every bot-facing activity of a conversation carries. */
  private envelope(conversation: Conversation) {
    return {
      channelId: DIRECTLINE_CHANNEL,
      serviceUrl: this.serviceUrl,
      conversation: { id: conversation.id, name: '', isGroup: false, conversationType: 'personal' },
      recipient: this.botAccount,
      timestamp: new Date(this.now()),
    };
  }

  private async runTurn(activity: Partial<Activity>): Promise<void> {
    this.turns.enter();
    try {
      await this.adapter.processActivityDirect('', activity as Activity, this.deps.logic);
    } finally {
      this.turns.leave();
    }
  }
}
