/**
 * A scripted set of conversations, written as turn-log records with exact timestamps. tests/cx/metrics.test.ts
 * computes the expected metrics by hand from the comments here.
 */
import type { HandoffFacts } from '../../metrics/compute.js';
import type { TurnRecord } from '../../storage/turnLog.js';

type Step = [direction: 'in' | 'out', time: string, fields?: Partial<TurnRecord>];

let seq = 0;
/** Records of one conversation; `time` is "YYYY-MM-DD HH:MM:SS" (UTC). */
function conversation(conversationId: string, customerId: string, steps: Step[], channel = 'webchat', locale = 'en'): TurnRecord[] {
  return steps.map(([direction, time, fields = {}]) => {
    seq += 1;
    return {
      id: `f${seq}`,
      ts: `${time.replace(' ', 'T')}.000Z`,
      conversationId,
      channel,
      locale,
      direction,
      customerId,
      actor: direction === 'in' ? 'customer' : 'bot',
      text: direction === 'in' ? 'customer text' : 'bot text',
      intent: null,
      score: null,
      entities: {},
      sentiment: direction === 'in' ? { score: 0, label: 'neutral' } : null,
      dialog: null,
      outcome: direction === 'in' ? 'answered' : 'answered',
      latencyMs: direction === 'out' ? 5 : null,
      ...fields,
    } satisfies TurnRecord;
  });
}

const neg = (score: number) => ({ sentiment: { score, label: 'negative' as const } });
const survey = { dialog: 'survey', outcome: 'survey' as const };

const D1 = '2026-11-20';
const D2 = '2026-11-21';

/** The scripted log. Comments give each conversation's outcome, FRT and time to resolution. */
export const FIXTURE_RECORDS: TurnRecord[] = [
  // C1 contained, confirmed (FAQ "yes"). FRT 1 s. Resolved 10:00:21 → TTR 21 s.
  ...conversation('c1', 'alice', [
    ['in', `${D1} 10:00:00`, { intent: 'faq.returns', dialog: 'faq' }],
    ['out', `${D1} 10:00:01`, { intent: 'faq.returns', dialog: 'faq' }],
    ['out', `${D1} 10:00:01`, { intent: 'faq.returns', dialog: 'faq' }],
    ['in', `${D1} 10:00:20`, { intent: 'None', dialog: 'faq', data: { feedback: 'yes' } }],
    ['out', `${D1} 10:00:21`, { dialog: 'faq' }],
    ['out', `${D1} 10:00:21`, { dialog: 'faq' }],
  ]),
  // C2 contained, assumed (status told, customer left). FRT 2 s, TTR 31 s. Reopened by C9 (same customer, same topic).
  ...conversation('c2', 'bob', [
    ['in', `${D1} 11:00:00`, { intent: 'order.status', dialog: 'orderStatus', outcome: 'prompted' }],
    ['out', `${D1} 11:00:02`, { dialog: 'orderStatus', outcome: 'prompted' }],
    ['in', `${D1} 11:00:30`, { intent: 'None', dialog: 'orderStatus', text: '[verification]' }],
    ['out', `${D1} 11:00:31`, { dialog: 'orderStatus' }],
  ]),
  // C3 abandoned (left at a prompt). FRT 3 s. Sentiment -0.5.
  ...conversation('c3', 'carol', [
    ['in', `${D1} 12:00:00`, { intent: 'order.status', dialog: 'orderStatus', outcome: 'prompted', ...neg(-0.5) }],
    ['out', `${D1} 12:00:03`, { dialog: 'orderStatus', outcome: 'prompted' }],
  ]),
  // C4 abandoned after two fallbacks. FRT 1 s. Sentiment mean -0.5.
  ...conversation('c4', 'dan', [
    ['in', `${D1} 13:00:00`, { intent: 'None', dialog: 'fallback', outcome: 'fallback', ...neg(-0.4) }],
    ['out', `${D1} 13:00:01`, { dialog: 'fallback', outcome: 'fallback' }],
    ['in', `${D1} 13:00:10`, { intent: 'None', dialog: 'fallback', outcome: 'fallback', ...neg(-0.6) }],
    ['out', `${D1} 13:00:11`, { dialog: 'fallback', outcome: 'fallback' }],
  ]),
  // C5 escalated and resolved by an agent (handoff h1), then surveyed: CSAT 5, NPS 10. FRT 4 s; TTR 14:10:00 → 600 s.
  ...conversation('c5', 'erin', [
    ['in', `${D1} 14:00:00`, { intent: 'complaint', dialog: 'complaint', outcome: 'prompted', ...neg(-0.8) }],
    ['out', `${D1} 14:00:04`, { dialog: 'complaint', outcome: 'prompted' }],
    ['in', `${D1} 14:00:30`, { intent: 'agent.handoff', dialog: 'escalation', outcome: 'escalated', handoffId: 'h1', ...neg(-0.6) }],
    ['out', `${D1} 14:00:31`, { dialog: 'escalation', outcome: 'escalated', handoffId: 'h1' }],
    ['out', `${D1} 14:03:01`, { actor: 'agent', dialog: 'agent', outcome: 'agent', handoffId: 'h1' }],
    ['out', `${D1} 14:10:00`, { dialog: 'handoff', handoffId: 'h1', data: { handoffResolved: true } }],
    ['out', `${D1} 14:10:01`, survey],
    ['in', `${D1} 14:10:10`, { ...survey, data: { csat: 5 } }],
    ['out', `${D1} 14:10:11`, survey],
    ['in', `${D1} 14:10:20`, { ...survey, data: { nps: 10 } }],
    ['out', `${D1} 14:10:21`, survey],
    ['in', `${D1} 14:10:30`, { ...survey, data: { surveyComplete: true } }],
    ['out', `${D1} 14:10:31`, survey],
  ]),
  // C6 escalated, still queued (h2). FRT 1 s.
  ...conversation('c6', 'frank', [
    ['in', `${D1} 15:00:00`, { intent: 'agent.handoff', dialog: 'escalation', outcome: 'escalated', handoffId: 'h2' }],
    ['out', `${D1} 15:00:01`, { dialog: 'escalation', outcome: 'escalated', handoffId: 'h2' }],
  ]),
  // C7 a greeting only: not engaged. FRT 1 s.
  ...conversation('c7', 'gina', [
    ['in', `${D1} 16:00:00`, { intent: 'greeting', dialog: 'smallTalk' }],
    ['out', `${D1} 16:00:01`, { dialog: 'smallTalk' }],
  ]),
  // C8 contained and confirmed by a rating: goodbye, then CSAT 2, NPS 6, a comment. FRT 2 s; TTR 17:01:01 → 61 s.
  ...conversation('c8', 'hank', [
    ['in', `${D1} 17:00:00`, { intent: 'faq.shipping', dialog: 'faq' }],
    ['out', `${D1} 17:00:02`, { dialog: 'faq' }],
    ['out', `${D1} 17:00:02`, { dialog: 'faq' }],
    ['in', `${D1} 17:01:00`, { intent: 'goodbye', dialog: 'smallTalk', data: { conversationEnded: true } }],
    ['out', `${D1} 17:01:01`, { dialog: 'smallTalk' }],
    ['out', `${D1} 17:01:01`, survey],
    ['in', `${D1} 17:01:10`, { ...survey, data: { csat: 2 } }],
    ['out', `${D1} 17:01:11`, survey],
    ['in', `${D1} 17:01:20`, { ...survey, data: { nps: 6 } }],
    ['out', `${D1} 17:01:21`, survey],
    ['in', `${D1} 17:01:30`, { ...survey, data: { comment: true, surveyComplete: true } }],
    ['out', `${D1} 17:01:31`, survey],
  ]),
  // C9 contained, assumed; bob again with the same topic 9 h after C2 (C2 is a reopen). FRT 1 s, TTR 1 s.
  ...conversation('c9', 'bob', [
    ['in', `${D1} 20:00:00`, { intent: 'order.status', dialog: 'orderStatus' }],
    ['out', `${D1} 20:00:01`, { dialog: 'orderStatus' }],
  ]),
  // C10: one channel conversation, two sessions (60 min idle > 30). Both contained, assumed. FRT 1 s and 5 s.
  ...conversation('c10', 'ivy', [
    ['in', `${D1} 21:00:00`, { intent: 'faq.payment', dialog: 'faq' }],
    ['out', `${D1} 21:00:01`, { dialog: 'faq' }],
    ['in', `${D1} 22:00:00`, { intent: 'faq.invoice', dialog: 'faq' }],
    ['out', `${D1} 22:00:05`, { dialog: 'faq' }],
  ]),
  // C11 contained, assumed, on Telegram in Spanish, the next day. FRT 2 s, TTR 2 s.
  ...conversation(
    'c11',
    'jon',
    [
      ['in', `${D2} 09:00:00`, { intent: 'faq.returns', dialog: 'faq' }],
      ['out', `${D2} 09:00:02`, { dialog: 'faq' }],
    ],
    'telegram',
    'es',
  ),
  // C12 contained, assumed; survey offered and skipped. FRT 1 s; TTR 10:00:31 → 31 s.
  ...conversation('c12', 'kim', [
    ['in', `${D2} 10:00:00`, { intent: 'faq.contact', dialog: 'faq' }],
    ['out', `${D2} 10:00:01`, { dialog: 'faq' }],
    ['in', `${D2} 10:00:30`, { intent: 'goodbye', dialog: 'smallTalk', data: { conversationEnded: true } }],
    ['out', `${D2} 10:00:31`, { dialog: 'smallTalk' }],
    ['out', `${D2} 10:00:31`, survey],
    ['in', `${D2} 10:00:40`, { ...survey, data: { surveySkipped: true } }],
    ['out', `${D2} 10:00:41`, survey],
  ]),
  // C13 still open at report time (last message 15 min before "now"). FRT 1 s.
  ...conversation('c13', 'lou', [
    ['in', `${D2} 23:50:00`, { intent: 'faq.returns', dialog: 'faq', outcome: 'prompted' }],
    ['out', `${D2} 23:50:01`, { dialog: 'faq', outcome: 'prompted' }],
  ]),
];

/** Report time for the fixture: 2026-11-22 00:05 UTC. */
export const FIXTURE_NOW = new Date('2026-11-22T00:05:00Z');

/** Handoffs of the fixture: h1 queued 120 s, first agent message after 150 s, resolved at 14:10. */
export const FIXTURE_HANDOFFS: HandoffFacts[] = [
  {
    id: 'h1',
    conversationId: 'c5',
    status: 'resolved',
    createdAt: `${D1}T14:00:31.000Z`,
    acceptedAt: `${D1}T14:02:31.000Z`,
    firstAgentMessageAt: `${D1}T14:03:01.000Z`,
    resolvedAt: `${D1}T14:10:00.000Z`,
  },
  { id: 'h2', conversationId: 'c6', status: 'queued', createdAt: `${D1}T15:00:01.000Z`, acceptedAt: null, firstAgentMessageAt: null, resolvedAt: null },
];
