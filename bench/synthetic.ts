/** Synthetic but realistic turn-log records for benchmarks: whole conversations with intents, outcomes and surveys. */
import type { TurnRecord } from '../storage/turnLog.js';

const TOPICS = ['order.status', 'faq.returns', 'faq.shipping', 'faq.payment', 'complaint', 'faq.account', 'None'];
const CHANNELS = ['webchat', 'webchat', 'webchat', 'msteams', 'telegram', 'sms'];
const LOCALES = ['en', 'en', 'en', 'es', 'zh', 'fa'];

/** Deterministic pseudo-random numbers (so runs are comparable). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Yields about `turns` records, conversations spread evenly over `days` days ending on `lastDay`. */
export function* syntheticRecords(turns: number, days: number, lastDay: string, seed = 1): Generator<TurnRecord> {
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const end = Date.parse(`${lastDay}T23:00:00Z`);
  const span = days * 86_400_000;
  let produced = 0;
  let conv = 0;
  // Conversations are written in time order, as the bot writes them.
  const perConversation = 6;
  const conversations = Math.ceil(turns / perConversation);
  while (produced < turns) {
    conv += 1;
    let t = end - span + Math.floor((conv / conversations) * span);
    const conversationId = `bench-${seed}-${conv}`;
    const customerId = `c_${(conv % 50_000).toString(16).padStart(16, '0')}`;
    const channel = pick(CHANNELS);
    const locale = pick(LOCALES);
    const topic = pick(TOPICS);
    const base = { conversationId, customerId, channel, locale, entities: {}, score: 0.9 };
    const steps: Array<Partial<TurnRecord>> = [
      { direction: 'in', actor: 'customer', text: 'hello there', intent: 'greeting', dialog: 'smallTalk', outcome: 'answered', sentiment: { score: 0.2, label: 'positive' } },
      { direction: 'out', actor: 'bot', text: 'Hello! What can I help you with today?', intent: 'greeting', dialog: 'smallTalk', outcome: 'answered' },
      {
        direction: 'in',
        actor: 'customer',
        text: 'a question about my order',
        intent: topic,
        dialog: topic === 'None' ? 'fallback' : 'faq',
        outcome: topic === 'None' ? 'fallback' : 'answered',
        sentiment: { score: topic === 'complaint' ? -0.7 : 0, label: topic === 'complaint' ? 'negative' : 'neutral' },
      },
      { direction: 'out', actor: 'bot', text: 'Here is the answer to that question.', intent: topic, dialog: 'faq', outcome: topic === 'None' ? 'fallback' : 'answered' },
      { direction: 'in', actor: 'customer', text: 'bye', intent: 'goodbye', dialog: 'smallTalk', outcome: 'answered', data: { conversationEnded: true } },
      { direction: 'out', actor: 'bot', text: 'Before you go: how would you rate this chat?', dialog: 'survey', outcome: 'survey' },
      { direction: 'in', actor: 'customer', text: String(1 + Math.floor(rand() * 5)), dialog: 'survey', outcome: 'survey', data: { csat: 1 + Math.floor(rand() * 5) } },
    ];
    for (const step of steps) {
      if (produced >= turns) break;
      t += 1000 + Math.floor(rand() * 20_000);
      produced += 1;
      yield {
        id: `${conversationId}-${produced}`,
        ts: new Date(t).toISOString(),
        latencyMs: step.direction === 'out' ? 4 : null,
        sentiment: null,
        intent: null,
        dialog: null,
        outcome: null,
        ...base,
        ...step,
      } as TurnRecord;
    }
  }
}
