/**
 * The sentiment trigger: strongly negative customer turns in a row (HANDOFF_NEGATIVE_TURNS at or below
 * HANDOFF_NEGATIVE_SENTIMENT) send the conversation to a person. Runs after the NLU middleware.
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { forceIntent } from '../../nlu/recognizer.js';
import type { Config } from '../config.js';
import { type ConversationDataAccessor, getConversationData } from '../conversationData.js';
import { turnInfo } from '../turnInfo.js';
import { HANDOFF_INTENT, pendingHandoff, requestHandoff } from './triggers.js';

/** Counts the streak in conversation state and, when it is long enough, routes the turn to the escalation dialog. */
export class NegativeStreakMiddleware implements Middleware {
  constructor(
    private readonly conversationData: ConversationDataAccessor,
    private readonly config: Pick<Config, 'HANDOFF_TRIGGERS' | 'HANDOFF_NEGATIVE_SENTIMENT' | 'HANDOFF_NEGATIVE_TURNS'>,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const info = turnInfo(context);
    const r = info.recognition;
    if (context.activity.type === ActivityTypes.Message && r) {
      const data = await getConversationData(this.conversationData, context);
      data.negativeStreak = r.sentiment.score <= this.config.HANDOFF_NEGATIVE_SENTIMENT ? (data.negativeStreak ?? 0) + 1 : 0;
      // A trigger already on the turn (a message left from the queue) says what the customer asked for.
      if (data.negativeStreak >= this.config.HANDOFF_NEGATIVE_TURNS && !pendingHandoff(context) && requestHandoff(context, this.config.HANDOFF_TRIGGERS, { reason: 'negative_sentiment' })) {
        // The log and the handoff's summary keep what the customer asked for; the forced intent only steers the router.
        info.heard = { intent: r.intent, score: r.score };
        info.recognition = forceIntent(r, HANDOFF_INTENT);
        data.negativeStreak = 0;
      }
    }
    return next();
  }
}
