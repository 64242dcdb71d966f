/**
 * While a person has (or is about to have) the conversation, the customer's messages go to them instead of the
 * dialogs. Runs after the NLU middleware: a relayed message is logged with its intent, score and sentiment (the
 * sentiment of escalated conversations is what the sentiment report most needs). Also honours the customer's
 * "cancel" / "back to bot", a customer leaving, and handoff.status events from an external agent hub.
 */
import { type Activity, ActivityTypes, HandoffEventNames, type Middleware, type TurnContext } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { isPhraseRun } from '../../dialogs/supportDialog.js';
import { joinSentences, type Translate, translator } from '../../i18n/index.js';
import { forceIntent } from '../../nlu/recognizer.js';
import type { Handoff } from '../../storage/handoffStore.js';
import type { Logger } from '../logger.js';
import { markTurn, turnInfo } from '../turnInfo.js';
import type { HandoffService } from './handoffService.js';
import { HANDOFF_INTENT, requestHandoff } from './triggers.js';

/** The agent name recorded when an external hub (not our console) takes a handoff. */
export const HUB_AGENT = '(external hub)';

/** The value of a handoff.status event (Bot Framework handoff protocol). */
export const HandoffStatusSchema = z.object({
  state: z.enum(['accepted', 'failed', 'completed']),
  message: z.string().max(2000).optional(),
});

/** Whether the activity says the customer left the conversation. */
function customerLeft(a: Activity): boolean {
  if (a.type === ActivityTypes.EndOfConversation) return true;
  return a.type === ActivityTypes.ConversationUpdate && (a.membersRemoved ?? []).some((m) => m.id !== a.recipient?.id);
}

/**
 * Whether a message is made only of requests to go back to the bot (and, in the queue, to stop waiting). A "no" before
 * them is how people take a request back: "nah, back to bot", "mejor no, volver al bot". So is a "never mind" once a
 * person has joined: alone it may answer them, but "actually never mind, back to bot please" was relayed to the agent
 * and the customer heard nothing.
 */
export function asksToLeave(t: Translate, text: string, queued: boolean): boolean {
  if (queued) return isPhraseRun(t, ['handoff.leaveWords', 'handoff.cancelWords'], text, ['common.noWords']);
  return isPhraseRun(t, ['handoff.leaveWords'], text, ['common.noWords', 'handoff.cancelWords']);
}

/** Routes customer turns to the agent while a handoff is open. */
export class RelayMiddleware implements Middleware {
  /** Queued handoffs whose customer has heard the full queue message (in memory: after a restart, once more). */
  private readonly toldInFull = new LRUCache<string, true>({ max: 10_000 });

  constructor(
    private readonly handoffs: HandoffService,
    private readonly logger: Logger,
    /** The shop's name, for the goodbye of a customer who leaves the queue (BRAND_NAME). */
    private readonly brand: string,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (a.type === ActivityTypes.Event && a.name === HandoffEventNames.HandoffStatus) return this.hubStatus(context);
    const open = await this.handoffs.openFor(a.conversation.id, a.channelId);
    if (!open) return next();
    turnInfo(context).handoffId = open.id;
    if (customerLeft(a)) {
      await this.handoffs.close(open.id, { status: 'abandoned', by: 'customer' });
      await this.handoffs.release(context, open.id);
      return next();
    }
    // A channel re-announcing the customer (Web Chat reconnecting) must not get the bot's welcome mid-handoff.
    if (a.type === ActivityTypes.ConversationUpdate) return;
    if (a.type !== ActivityTypes.Message) return next();
    return this.relay(context, open, next);
  }

  private async relay(context: TurnContext, open: Handoff, next: () => Promise<void>): Promise<void> {
    const info = turnInfo(context);
    const t = translator(info.locale);
    this.handoffs.line(open.id, 'customer', info.text);
    // A Spanish customer who went on in English while queued still showed as ES to the agent, and the queue's notices
    // and "an agent has joined" came in Spanish.
    if (info.locale !== open.locale) await this.handoffs.relocale(open.id, info.locale);
    // A message made of nothing but requests to go back to the bot ends the chat ("actually nevermind, back to bot
    // please", "forget it i dont want to wait"); only the exact phrases did. The cancel words do so in the queue only:
    // with a person, "cancel" may answer them ("cancel or exchange?"). A phrase inside a sentence of other words is
    // news for the person: "please dont end the chat", "i dont want to wait for a refund".
    const active = open.status === 'active';
    if (asksToLeave(t, info.text, !active)) return this.customerEnds(context, open, t(active ? 'handoff.left' : 'handoff.cancelled'));
    if (!active && isPhraseRun(t, ['handoff.leaveMessageWords'], info.text)) return this.leaveMessage(context, open, next);
    // A goodbye in the queue is the customer leaving: "nada, adiós" and "没有了，再见" kept them queued, for a person to
    // open a chat nobody was in. Only a message of nothing but goodbyes (`handoff.byeWords`, fillers, a no before them):
    // "ok bye, I'll wait", "thanks, I'll wait" and "talk soon" are customers staying. With a person, it is theirs.
    if (!active && isPhraseRun(t, ['handoff.byeWords'], info.text, ['common.noWords'])) {
      return this.customerEnds(context, open, joinSentences(t('handoff.cancelledBye'), t('goodbye.reply', { brand: this.brand })));
    }
    // Relayed to the person: the message's outcome is `agent` (a human takes it); the turn has no bot outcome.
    info.dialog = 'handoff';
    info.outcome = undefined;
    info.messageOutcome = 'agent';
    if (open.status === 'queued') {
      // Told in full once per handoff: the same fifty words after every message cost an SMS customer a message each.
      // "why is nobody here yet?" heard "a person will be with you shortly" while no console was open: nobody could
      // come. Then it says so, rather than promise, in the short form too.
      const again = this.toldInFull.has(open.id) ? 'Again' : '';
      const key = this.handoffs.nobodyOnline() ? `handoff.stillQueued${again}NobodyOnline` : `handoff.stillQueued${again}`;
      this.toldInFull.set(open.id, true);
      const text = t(key, { position: await this.handoffs.position(open) });
      await context.sendActivity(this.handoffs.queueActivity(info.locale, text, context.activity.channelId));
      this.handoffs.line(open.id, 'bot', text);
    }
  }

  /** The customer ends the handoff: it is abandoned, the bot has the conversation again and says `text`. */
  private async customerEnds(context: TurnContext, open: Handoff, text: string): Promise<void> {
    await this.handoffs.close(open.id, { status: 'abandoned', by: 'customer' });
    await this.handoffs.release(context, open.id);
    markTurn(context, 'handoff', 'answered', { handoffId: open.id, data: { handoffCancelled: true } });
    await context.sendActivity(text);
    this.handoffs.line(open.id, 'bot', text);
  }

  /**
   * "Leave a message" from the queue: nobody may be online to take the chat for hours. The queued request is given
   * up and the escalation dialog takes the message as a ticket, as it does out of hours.
   */
  private async leaveMessage(context: TurnContext, open: Handoff, next: () => Promise<void>): Promise<void> {
    const info = turnInfo(context);
    await this.handoffs.close(open.id, { status: 'abandoned', by: 'customer', note: 'left a message instead' });
    await this.handoffs.release(context, open.id);
    requestHandoff(context, [open.reason], { reason: open.reason, priority: open.priority, leaveMessage: true });
    if (info.recognition) {
      info.heard = { intent: info.recognition.intent, score: info.recognition.score };
      info.recognition = forceIntent(info.recognition, HANDOFF_INTENT);
    }
    return next();
  }

  /** accepted → active with the hub as agent; failed → abandoned, the bot carries on; completed → hand back. */
  private async hubStatus(context: TurnContext): Promise<void> {
    const a = context.activity;
    // Anywhere else the customer's own client may have sent it: a web chat page posted "completed" and closed the
    // chat an agent was having with that customer.
    if (!this.handoffs.hubSpeaksOn(a.channelId)) {
      this.logger.warn({ conversationId: a.conversation.id, channelId: a.channelId }, 'Ignoring a handoff.status event from a channel not in HANDOFF_HUB_CHANNELS');
      return;
    }
    const parsed = HandoffStatusSchema.safeParse(a.value);
    const open = await this.handoffs.openFor(a.conversation.id, a.channelId);
    if (!parsed.success || !open) {
      this.logger.warn({ conversationId: a.conversation.id, valid: parsed.success, open: Boolean(open) }, 'Ignoring a handoff.status event');
      return;
    }
    const { state, message } = parsed.data;
    const info = turnInfo(context);
    info.handoffId = open.id;
    info.data = { handoffStatus: state };
    if (state === 'accepted') {
      const change = await this.handoffs.accept(open.id, HUB_AGENT);
      if (!change.ok) this.logger.warn({ handoffId: open.id, refusal: change.refusal }, 'The agent hub accepted a handoff we could not give it');
      return;
    }
    if (state === 'failed') {
      await this.handoffs.close(open.id, { status: 'abandoned', by: 'hub', ...(message ? { note: message } : {}) });
      await this.handoffs.release(context, open.id);
      markTurn(context, 'handoff', 'answered', { handoffId: open.id, data: { handoffStatus: state } });
      await context.sendActivity(translator(info.locale)('handoff.failed'));
      return;
    }
    const change = await this.handoffs.close(open.id, { status: 'resolved', by: 'hub', agent: HUB_AGENT, ...(message ? { note: message } : {}) });
    if (change.ok) await this.handoffs.handBack(context, change.handoff);
  }
}
