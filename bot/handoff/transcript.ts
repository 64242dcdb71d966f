/**
 * A conversation's recent turns from the turn log: the context an agent sees, the transcript attached to the
 * Bot Framework handoff.initiate event, and the intents and sentiment stored on the handoff.
 */
import type { Activity } from 'botbuilder';
import { dayOf, type TurnLog, type TurnRecord } from '../../storage/turnLog.js';

const DAY_MS = 86_400_000;

/**
 * The conversation's records from `start` (extended back to where the customer's session began: no gap longer than
 * `idleMs`) to `end` (null: open-ended), extended forward while the conversation continued without such a gap.
 * Channels like Teams keep one conversation id for ever, so the log of an id is cut to the session around the handoff.
 */
export function sessionWindow(records: TurnRecord[], start: string, end: string | null, idleMs: number): TurnRecord[] {
  const sorted = [...records].sort((a, b) => a.ts.localeCompare(b.ts));
  const gap = (i: number) => Date.parse(sorted[i]!.ts) - Date.parse(sorted[i - 1]!.ts);
  let first = sorted.findIndex((r) => r.ts >= start);
  if (first < 0) first = sorted.length;
  // Walk back over the session before `start`.
  if (first > 0 && Date.parse(start) - Date.parse(sorted[first - 1]!.ts) <= idleMs) {
    first -= 1;
    while (first > 0 && gap(first) <= idleMs) first -= 1;
  }
  let last = end === null ? sorted.length - 1 : sorted.findLastIndex((r) => r.ts <= end);
  if (end !== null) while (last + 1 < sorted.length && gap(last + 1) <= idleMs) last += 1;
  return sorted.slice(first, Math.max(first, last + 1));
}

/** The conversation a handoff or ticket belongs to: its id on its channel. */
export interface ConversationKey {
  conversationId: string;
  channel: string;
}

/**
 * Reads the log for one conversation, from the day before `start` on. Another channel's conversation of the same id
 * is another customer's: its turns showed in an agent's transcript as this customer's words.
 */
export async function conversationRecords(log: TurnLog, of: ConversationKey, start: Date): Promise<TurnRecord[]> {
  const records = await log.conversation(of.conversationId, { from: dayOf(new Date(start.getTime() - DAY_MS).toISOString()) });
  return records.filter((r) => r.channel === of.channel);
}

/** Intents of the customer's turns (first appearance order) and their sentiment. */
export function summarize(records: TurnRecord[], extra?: { intent?: string; sentiment?: number }) {
  const customer = records.filter((r) => r.direction === 'in' && r.actor === 'customer');
  const intents: string[] = [];
  const scores: number[] = [];
  for (const r of customer) {
    // A reply to the bot's own question (an email, a rating) reads as some intent the customer never asked about.
    if (r.intent && !r.data?.answer && !intents.includes(r.intent)) intents.push(r.intent);
    if (r.sentiment) scores.push(r.sentiment.score);
  }
  if (extra?.intent && !intents.includes(extra.intent)) intents.push(extra.intent);
  if (extra?.sentiment !== undefined) scores.push(extra.sentiment);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const sentiment = scores.length
    ? { mean: round(scores.reduce((a, b) => a + b, 0) / scores.length), last: scores.at(-1)!, min: Math.min(...scores), turns: scores.length }
    : null;
  return { intents, sentiment };
}

/** Message records as Bot Framework activities (redacted text, pseudonymous customer), for a Transcript. */
export function toActivities(records: TurnRecord[]): Partial<Activity>[] {
  return records
    .filter((r) => r.type === undefined && r.text)
    .map((r) => ({
      type: 'message',
      id: r.id,
      timestamp: new Date(r.ts),
      channelId: r.channel,
      conversation: { id: r.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: r.actor === 'customer' ? { id: r.customerId, name: 'customer', role: 'user' } : { id: r.actor, name: r.actor, role: 'bot' },
      text: r.text,
      locale: r.locale,
    }));
}
