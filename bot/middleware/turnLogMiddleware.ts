/**
 * The CX turn log: every activity in and out becomes one redacted record (DESIGN §3).
 * The incoming record is written together with the first reply, before that reply is sent, so an acknowledged
 * turn is on disk even if the process dies right after; it is written in `finally` when the turn sends nothing
 * or throws, so a failing handler never loses its turn. A proactive turn (an agent's message, a notice) logs what it
 * sent once the channel took it, before the agent's API call is answered.
 */
import { randomUUID } from 'node:crypto';
import { type Activity, ActivityEventNames, ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';
import { keptEntities, redact, redactDeep } from '../redaction.js';
import type { TurnLog, TurnRecord } from '../../storage/turnLog.js';
import type { CustomerIds } from '../customerIds.js';
import { customerIntent, markTurn, turnInfo } from '../turnInfo.js';
import type { Clock } from '../../storage/clock.js';

/** Activity types that are noise in a CX log (typing indicators, debugging traces). */
const SKIPPED_TYPES = new Set<string>([ActivityTypes.Typing, ActivityTypes.Trace, 'delay']);

/** Writes the turn log; a logging failure is reported, never allowed to break the conversation. */
export class TurnLogMiddleware implements Middleware {
  constructor(
    private readonly log: TurnLog,
    private readonly customerIds: CustomerIds,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const info = turnInfo(context);
    info.receivedAt = this.clock.now().getTime();
    info.customerId = this.customerIds.of(context.activity.channelId, context.activity.from?.id ?? 'unknown');
    // A proactive turn (an agent's message relayed to the customer) has no customer activity to log.
    const proactive = context.activity.type === ActivityTypes.Event && context.activity.name === ActivityEventNames.ContinueConversation;
    const logIncoming = !proactive && !SKIPPED_TYPES.has(context.activity.type);
    let incomingWritten = !logIncoming;
    // The write bound holds for the turn, not for each reply: on a full disk a turn of two replies waited twice the
    // bound, and of four, four times. Once the log is failing or slow, later replies of the turn queue their records
    // without waiting for them.
    let waitForLog = true;
    const write = async (records: TurnRecord[]) => {
      if (!waitForLog) return void this.write(records);
      await this.write(records);
      if (!this.log.health().ok) waitForLog = false;
    };

    context.onSendActivities(async (ctx, activities, sendNext) => {
      const records = activities.filter((a) => !SKIPPED_TYPES.has(a.type ?? '')).map((a) => this.outgoing(ctx, a));
      if (proactive) {
        // Nothing here acknowledges a customer's turn; the API call that asked for the send answers once this returns.
        // So the record follows the delivery: a channel that refuses the message leaves no line the customer never saw.
        const responses = await sendNext();
        await this.write(records);
        return responses;
      }
      if (!incomingWritten && records.length) {
        records.unshift(this.incoming(ctx, records[0]?.latencyMs ?? null));
        incomingWritten = true;
      }
      await write(records);
      return sendNext();
    });

    try {
      await next();
    } catch (error) {
      markTurn(context, info.dialog ?? 'error', 'error');
      throw error;
    } finally {
      if (!incomingWritten) {
        incomingWritten = true;
        await write([this.incoming(context, null)]);
      }
    }
  }

  private async write(records: TurnRecord[]): Promise<void> {
    try {
      await this.log.append(records);
    } catch (error) {
      this.logger.error({ err: error, records: records.length }, 'Turn log append failed');
    }
  }

  private base(context: TurnContext, ts: Date): Omit<TurnRecord, 'direction' | 'actor' | 'text' | 'outcome' | 'latencyMs'> {
    const info = turnInfo(context);
    const asked = customerIntent(info);
    return {
      id: randomUUID(),
      ts: ts.toISOString(),
      conversationId: context.activity.conversation?.id ?? 'unknown',
      channel: context.activity.channelId ?? 'unknown',
      locale: info.locale,
      customerId: info.customerId,
      intent: asked?.intent ?? null,
      score: asked ? Math.round(asked.score * 1000) / 1000 : null,
      // What the customer's stored text still says: a number inside a redacted phone is no order number to keep.
      entities: info.recognition ? keptEntities(info.recognition.entities, info.redactAs ?? redact(info.text)) : {},
      sentiment: null,
      dialog: info.dialog ?? null,
      ...(info.handoffId ? { handoffId: info.handoffId } : {}),
    };
  }

  /** The customer's activity, with the turn's recognition and outcome. */
  private incoming(context: TurnContext, latencyMs: number | null): TurnRecord {
    const info = turnInfo(context);
    const a = context.activity;
    const text = info.redactAs ?? redact(a.type === ActivityTypes.Message ? info.text : '');
    const data = {
      ...(info.feedback ? { feedback: info.feedback } : {}),
      ...(info.recognition && info.recognition.intent === 'None' ? { candidate: info.recognition.candidate } : {}),
      ...(info.answer ? { answer: true } : {}),
      ...(info.also ? { also: info.also } : {}),
      ...(info.data ? redactDeep(info.data) : {}),
    };
    return {
      ...this.base(context, new Date(info.receivedAt)),
      direction: 'in',
      actor: 'customer',
      ...(a.type !== ActivityTypes.Message ? { type: a.type } : {}),
      text,
      sentiment: info.recognition?.sentiment ?? null,
      outcome: a.type === ActivityTypes.Message ? (info.messageOutcome ?? info.outcome ?? null) : null,
      latencyMs,
      ...(Object.keys(data).length ? { data } : {}),
    };
  }

  /** One bot (or agent) activity on its way out. */
  private outgoing(context: TurnContext, activity: Partial<Activity>): TurnRecord {
    const info = turnInfo(context);
    const now = this.clock.now();
    const agent = info.outcome === 'agent' || info.dialog === 'agent';
    // A message that waits for an answer is a prompt; anything else carries the turn's outcome.
    const outcome = activity.inputHint === 'expectingInput' && info.outcome !== 'survey' ? 'prompted' : (info.outcome ?? 'answered');
    const proactive = context.activity.name === ActivityEventNames.ContinueConversation;
    return {
      ...this.base(context, now),
      direction: 'out',
      actor: agent ? 'agent' : 'bot',
      ...(activity.type && activity.type !== ActivityTypes.Message ? { type: activity.type } : {}),
      text: redact(activity.text ?? ''),
      entities: {},
      // Which person wrote it: a chat handed to a colleague has two, and the handoff names only the last. A proactive
      // turn has no customer record to carry its data (an agent's resolve ends the conversation), so its replies do.
      ...((agent || proactive) && info.data ? { data: redactDeep(info.data) } : {}),
      outcome: activity.type === ActivityTypes.Message || activity.type === undefined ? outcome : null,
      latencyMs: proactive ? null : Math.max(0, now.getTime() - info.receivedAt),
    };
  }
}
