/**
 * The one way every trigger asks for a person: the agent.handoff intent, repeated fallbacks, a streak of strongly
 * negative turns, a high-priority complaint, and "no" twice to "Did that answer your question?". Each trigger is
 * switched on or off by HANDOFF_TRIGGERS; the reason travels on the turn to the escalation dialog.
 */
import type { TurnContext } from 'botbuilder';
import { HANDOFF_INTENT } from '../../nlu/corpus.js';
import type { HandoffPriority, HandoffReason } from '../../storage/handoffStore.js';

/** The intent that routes to the escalation dialog (defined with the intent inventory). */
export { HANDOFF_INTENT };

/** What a trigger knows when it fires. */
export interface HandoffTrigger {
  reason: HandoffReason;
  /** Overrides the priority the reason implies. */
  priority?: HandoffPriority;
  /** The ticket behind a complaint trigger. */
  ticketId?: string;
  /**
   * What the triggering dialog would have said (the ticket confirmation): said first in the escalation's message,
   * so the turn's first reply already carries the "escalated" outcome and the handoff id in the turn log.
   */
  preface?: string;
  /** The customer gave up waiting in the queue and asked to leave a message: go straight to taking it. */
  leaveMessage?: boolean;
}

const KEY = Symbol('handoffTrigger');

/**
 * Records that this turn should go to a person, when `trigger.reason` is enabled; returns whether it is.
 * Callers then route the turn to the escalation dialog: a dialog ends with a reroute to `agent.handoff`,
 * middleware forces that intent on the turn's recognition.
 */
export function requestHandoff(context: TurnContext, enabled: readonly HandoffReason[], trigger: HandoffTrigger): boolean {
  if (!enabled.includes(trigger.reason)) return false;
  context.turnState.set(KEY, trigger);
  return true;
}

/** The trigger recorded on this turn, if any. */
export function pendingHandoff(context: TurnContext): HandoffTrigger | undefined {
  return context.turnState.get(KEY) as HandoffTrigger | undefined;
}

/** Priority a reason implies: an angry customer or an urgent complaint goes to the front of the queue. */
export function priorityFor(trigger: HandoffTrigger, sentimentScore: number, negativeThreshold: number): HandoffPriority {
  if (trigger.priority) return trigger.priority;
  if (trigger.reason === 'complaint' || trigger.reason === 'negative_sentiment') return 'high';
  return sentimentScore <= negativeThreshold ? 'high' : 'normal';
}
