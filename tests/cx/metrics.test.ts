import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySessions, computeMetrics, percentiles, report } from '../../metrics/compute.js';
import { MetricsService } from '../../metrics/service.js';
import { addToPieces, type Piece, sessionsFromRecords } from '../../metrics/sessions.js';
import { FixedClock } from '../../storage/clock.js';
import { JsonlTurnLog, type TurnRecord } from '../../storage/turnLog.js';
import { FIXTURE_HANDOFFS, FIXTURE_NOW, FIXTURE_RECORDS } from './fixtures.js';

let dir: string;
let service: MetricsService;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-metrics-'));
  const log = new JsonlTurnLog(path.join(dir, 'turns'));
  await log.append(FIXTURE_RECORDS);
  await log.close();
  service = MetricsService.forDataDir(dir, 30, new FixedClock(FIXTURE_NOW), async () => FIXTURE_HANDOFFS);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const range = { from: '2026-11-20', to: '2026-11-21' };

describe('metrics engine on the scripted fixture (expected values worked out by hand in fixtures.ts)', () => {
  it('counts conversations and their outcomes', async () => {
    const { overall: m } = await service.report(range);
    // 13 channel conversations, c10 split in two by a 60-minute gap → 14; c13 still open; c7 only said hello.
    expect(m.conversations).toBe(14);
    expect(m.open).toBe(1);
    expect(m.engaged).toBe(12);
    expect([m.contained, m.escalated, m.resolvedByAgent, m.abandoned]).toEqual([8, 2, 1, 2]);
    expect(m.containmentRate).toBeCloseTo(8 / 12, 12);
    expect(m.escalationRate).toBeCloseTo(2 / 12, 12);
    expect(m.abandonmentRate).toBeCloseTo(2 / 12, 12);
  });

  it('fallback rate, confirmed/assumed containment and reopens', async () => {
    const { overall: m } = await service.report(range);
    // 2 fallback turns in the 25 customer messages of engaged, ended conversations (c7's hello and open c13 left out)
    expect(m.fallbackRate).toBeCloseTo(2 / 25, 12);
    expect(m.confirmedShare).toBe(2 / 8); // c1 said yes, c8 rated
    expect(m.assumedShare).toBe(6 / 8);
    expect(m.reopenRate).toBe(1 / 8); // bob came back about his order (c2 → c9)
  });

  it('CSAT and NPS', async () => {
    const { overall: m } = await service.report(range);
    expect(m.csat).toEqual({
      score: 0.5,
      mean: 3.5,
      count: 2,
      responseRate: 2 / 3, // offered in c5, c8, c12; answered in c5, c8
      bot: { score: 0, mean: 2, count: 1 },
      agent: { score: 1, mean: 5, count: 1 },
    });
    expect(m.nps).toEqual({ score: 0, count: 2 }); // one promoter (10), one detractor (6)
  });

  it('response and resolution times (median, nearest-rank p90)', async () => {
    const { overall: m } = await service.report(range);
    expect(m.frt).toEqual({ median: 1000, p90: 4000 });
    expect(m.agentFrt).toEqual({ median: 150_000, p90: 150_000 });
    expect(m.queueWait).toEqual({ median: 120_000, p90: 120_000 });
    expect(m.timeToResolution).toEqual({ median: 21_000, p90: 600_000 });
  });

  it('sentiment: mean of conversation means, share of negative conversations', async () => {
    const { overall: m } = await service.report(range);
    // 13: C7, a greeting only, is not engaged and so in no rate.
    expect(m.sentiment.mean).toBeCloseTo((-0.5 - 0.5 - 0.28) / 13, 12);
    expect(m.sentiment.negativeShare).toBeCloseTo(3 / 13, 12);
  });

  it('groups by day, channel, locale and intent', async () => {
    const byDay = await service.report({ ...range, groupBy: 'day' });
    expect(byDay.groups.map((g) => [g.key, g.conversations, g.engaged, g.contained])).toEqual([
      ['2026-11-20', 11, 10, 6],
      ['2026-11-21', 3, 2, 2],
    ]);
    const byChannel = await service.report({ ...range, groupBy: 'channel' });
    expect(byChannel.groups.find((g) => g.key === 'telegram')).toMatchObject({ conversations: 1, contained: 1, containmentRate: 1 });
    const byLocale = await service.report({ ...range, groupBy: 'locale' });
    expect(byLocale.groups.map((g) => g.key)).toEqual(['en', 'es']);
    const byIntent = await service.report({ ...range, groupBy: 'intent' });
    expect(byIntent.groups.find((g) => g.key === 'order.status')).toMatchObject({ conversations: 3, contained: 2, abandoned: 1 });
  });

  it('a range with no data gives nulls, never zeros', async () => {
    const { overall: m } = await service.report({ from: '2026-10-01', to: '2026-10-02' });
    expect(m.conversations).toBe(0);
    expect(m.containmentRate).toBeNull();
    expect(m.csat.score).toBeNull();
    expect(m.frt).toEqual({ median: null, p90: null });
    expect(m.sentiment.mean).toBeNull();
  });

  it('a range cuts by the day a conversation started', async () => {
    const { overall: m } = await service.report({ from: '2026-11-21', to: '2026-11-21' });
    expect(m.conversations).toBe(3);
  });

  it('picks up new log lines incrementally and ignores a torn tail', async () => {
    const before = (await service.report(range)).overall.conversations;
    const extra = { ...FIXTURE_RECORDS[0]!, id: 'late', conversationId: 'c14', customerId: 'mia', ts: '2026-11-21T12:00:00.000Z' };
    await appendFile(path.join(dir, 'turns', '2026-11-21.jsonl'), `${JSON.stringify(extra)}\n{"id":"torn","ts":"2026-11-21T12:0`);
    expect((await service.report(range)).overall.conversations).toBe(before + 1);
  });
});

describe('percentiles', () => {
  it('median averages the middle pair; p90 is nearest-rank', () => {
    expect(percentiles([4, 1, 3, 2])).toEqual({ median: 2.5, p90: 4 });
    expect(percentiles([5])).toEqual({ median: 5, p90: 5 });
    expect(percentiles(Array.from({ length: 10 }, (_, i) => i + 1))).toEqual({ median: 5.5, p90: 9 });
    expect(percentiles([])).toEqual({ median: null, p90: null });
  });
});

describe('customer messages relayed to a person (outcome agent)', () => {
  const record = (n: number, fields: Partial<TurnRecord>): TurnRecord => ({
    id: `relay-${n}`,
    ts: `2026-11-20T10:0${n}:00.000Z`,
    conversationId: 'relay-conv',
    channel: 'webchat',
    locale: 'en',
    direction: 'in',
    customerId: 'c_relay',
    actor: 'customer',
    text: 'customer text',
    intent: null,
    score: null,
    entities: {},
    sentiment: null,
    dialog: 'handoff',
    outcome: 'agent',
    latencyMs: null,
    handoffId: 'H-000001',
    ...fields,
  });

  it('count for sentiment, not for engagement or the topic', () => {
    const pieces: Piece[] = [];
    addToPieces(pieces, record(1, { intent: 'agent.handoff', score: 0.9, dialog: 'escalation', outcome: 'escalated', sentiment: { score: 0, label: 'neutral' } }), 1_800_000);
    addToPieces(pieces, record(2, { intent: 'order.status', score: 0.8, sentiment: { score: -0.8, label: 'negative' } }), 1_800_000);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toMatchObject({ customerMessages: 2, engagedMessages: 1, topic: 'agent.handoff', fallbackTurns: 0, sentimentCount: 2, sentimentSum: -0.8 });
  });

  it('a lone goodbye or thank-you makes no engaged conversation', () => {
    // A "bye" after the chat had ended opened a session counted as contained, with a resolution time of 16 ms.
    for (const intent of ['goodbye', 'thanks', 'greeting']) {
      const pieces: Piece[] = [];
      addToPieces(pieces, record(1, { intent, score: 1, dialog: 'smallTalk', outcome: 'answered', handoffId: undefined }), 60_000);
      expect(pieces[0], intent).toMatchObject({ engagedMessages: 0, topic: null });
    }
  });

  it('of a handoff a lead closed before anyone took it are no resolution by an agent', () => {
    // Closing the queue's dead chats counted each as resolved by an agent, with the hours it sat there as its
    // resolution time.
    const pieces: Piece[] = [];
    addToPieces(pieces, record(1, { intent: 'agent.handoff', score: 0.9, dialog: 'escalation', outcome: 'escalated', sentiment: { score: 0, label: 'neutral' } }), 1_800_000);
    const handoff = { id: 'H-000001', conversationId: 'relay-conv', status: 'resolved', createdAt: '2026-11-20T10:01:00.000Z', resolvedAt: '2026-11-20T10:09:00.000Z' };
    const now = Date.parse('2026-11-20T10:10:00.000Z');
    const untaken = computeMetrics(classifySessions(pieces, [{ ...handoff, acceptedAt: null }], now, 1_800_000));
    expect([untaken.escalated, untaken.resolvedByAgent, untaken.open]).toEqual([1, 0, 0]);
    expect(untaken.timeToResolution).toEqual({ median: null, p90: null });
    const taken = computeMetrics(classifySessions(pieces, [{ ...handoff, acceptedAt: '2026-11-20T10:02:00.000Z' }], now, 1_800_000));
    expect([taken.escalated, taken.resolvedByAgent]).toEqual([1, 1]);
    expect(taken.timeToResolution.median).toBe(480_000);
    // Taken and resolved, then a second request closed by a lead before anyone took it: the agent's resolution
    // counts, not the lead's closing (it gave the later time).
    const twice = computeMetrics(
      classifySessions(pieces, [{ ...handoff, acceptedAt: '2026-11-20T10:02:00.000Z', resolvedAt: '2026-11-20T10:05:00.000Z' }, { ...handoff, id: 'H-000002', createdAt: '2026-11-20T10:06:00.000Z', acceptedAt: null }], now, 1_800_000),
    );
    expect(twice.timeToResolution.median).toBe(240_000);
    // A handoff the store no longer holds (the log alone knows it was resolved) still gives its time.
    const logOnly = computeMetrics(classifySessions(pieces.map((p) => ({ ...p, handoffResolvedAt: Date.parse('2026-11-20T10:09:00.000Z') })), [], now, 1_800_000));
    expect(logOnly.timeToResolution.median).toBe(480_000);
  });

  it('of a conversation whose handoff nobody took rate the bot in the CSAT split, not an agent', () => {
    // A customer asked for a person, cancelled in the queue, was helped by the bot and rated 5: it counted as agent-handled.
    const rated = (conversationId: string): Piece => {
      const pieces: Piece[] = [];
      addToPieces(pieces, record(1, { conversationId, intent: 'agent.handoff', score: 0.9, dialog: 'escalation', outcome: 'escalated' }), 1_800_000);
      addToPieces(pieces, record(2, { conversationId, intent: 'order.status', score: 0.9, dialog: 'orderStatus', outcome: 'answered', handoffId: undefined }), 1_800_000);
      addToPieces(pieces, record(3, { conversationId, dialog: 'survey', outcome: 'survey', handoffId: undefined, data: { csat: 5, surveyComplete: true } }), 1_800_000);
      return { ...(pieces[0] as Piece), handoffIds: [`H-${conversationId}`] };
    };
    const handoff = (conversationId: string, acceptedAt: string | null) => ({
      id: `H-${conversationId}`, conversationId, status: acceptedAt ? 'resolved' : 'abandoned', createdAt: '2026-11-20T10:01:00.000Z', acceptedAt, agent: acceptedAt ? 'alex' : null,
    });
    const now = Date.parse('2026-11-20T12:00:00.000Z');
    const sessions = classifySessions([rated('cancelled'), rated('taken')], [handoff('cancelled', null), handoff('taken', '2026-11-20T10:02:00.000Z')], now, 1_800_000);
    const m = computeMetrics(sessions);
    expect(m.csat.bot).toEqual({ score: 1, mean: 5, count: 1 });
    expect(m.csat.agent).toEqual({ score: 1, mean: 5, count: 1 });
    expect(computeMetrics(sessions.filter((c) => c.s.conversationId === 'cancelled')).csat.agent.count).toBe(0);
  });

  it('of a conversation that never engaged are left out of the negative share, as of every rate', () => {
    const pieces: Piece[] = [];
    addToPieces(pieces, record(1, { intent: 'greeting', score: 1, dialog: 'smallTalk', outcome: 'answered', handoffId: undefined, sentiment: { score: -0.6, label: 'negative' } }), 60_000);
    const m = computeMetrics(classifySessions(pieces, [], Date.parse('2026-11-20T12:00:00.000Z'), 60_000));
    expect(m.engaged).toBe(0);
    expect(m.sentiment).toEqual({ mean: null, negativeShare: null });
  });

  // A Telegram customer was silent for longer than the idle gap in an agent's chat, then wrote: their message, the
  // hand-back and the survey answer became a second escalated conversation, with H-000001 counted twice.
  it('after an idle gap in the chat still belong to its conversation, up to the hand-back and the survey', () => {
    const pieces: Piece[] = [];
    const at = (n: number, fields: Partial<TurnRecord>) => addToPieces(pieces, record(n, fields), 60_000);
    at(1, { intent: 'agent.handoff', score: 1, dialog: 'escalation', outcome: 'escalated' });
    at(1, { direction: 'out', actor: 'agent', dialog: 'agent', text: 'hi, alex here' });
    at(4, { intent: 'None', score: 0.3 });
    at(4, { ts: '2026-11-20T10:04:20.000Z', direction: 'out', actor: 'bot', outcome: 'answered', data: { handoffResolved: true } });
    at(4, { ts: '2026-11-20T10:04:21.000Z', direction: 'out', actor: 'bot', dialog: 'survey', outcome: 'survey' });
    at(5, { ts: '2026-11-20T10:04:40.000Z', intent: 'None', dialog: 'survey', outcome: 'survey', handoffId: undefined, data: { csat: 3 } });
    expect(pieces).toHaveLength(1);
    const facts = { id: 'H-000001', conversationId: 'relay-conv', status: 'resolved' as const, createdAt: '2026-11-20T10:01:00.000Z', acceptedAt: '2026-11-20T10:01:00.000Z', resolvedAt: '2026-11-20T10:05:00.000Z' };
    const m = computeMetrics(classifySessions(pieces, [facts], Date.parse('2026-11-20T12:00:00.000Z'), 60_000));
    expect([m.escalated, m.resolvedByAgent, m.csat.count]).toEqual([1, 1, 1]);
    // A customer message after the hand-back, survey aside, is a new conversation.
    at(7, { intent: 'faq.cancel', score: 1, dialog: 'faq', outcome: 'answered', handoffId: undefined });
    expect(pieces.map((p) => p.topic)).toEqual(['agent.handoff', 'faq.cancel']);
  });

  it('alone after an idle gap make no engaged conversation (no second escalation)', () => {
    const pieces: Piece[] = [];
    addToPieces(pieces, record(1, { intent: 'None', score: 0.2, sentiment: { score: -0.5, label: 'negative' } }), 60_000);
    expect(pieces[0]).toMatchObject({ engagedMessages: 0, topic: null, sentimentCount: 1 });
  });
});

describe('the fallback rate', () => {
  let n = 0;
  const say = (conversationId: string, ts: string, direction: 'in' | 'out', fields: Partial<TurnRecord> = {}): TurnRecord => ({
    id: `fb-${(n += 1)}`,
    ts: `2026-11-20T${ts}.000Z`,
    conversationId,
    channel: 'webchat',
    locale: 'en',
    direction,
    customerId: `c_${conversationId}`,
    actor: direction === 'in' ? 'customer' : 'bot',
    text: 'text',
    intent: null,
    score: null,
    entities: {},
    sentiment: null,
    dialog: 'faq',
    outcome: 'answered',
    latencyMs: null,
    ...fields,
  });
  const records = [
    // Engaged and ended: one fallback in two customer messages.
    say('asked', '09:00:00', 'in', { intent: 'None', dialog: 'fallback', outcome: 'fallback' }),
    say('asked', '09:00:01', 'out', { dialog: 'fallback', outcome: 'fallback' }),
    say('asked', '09:00:10', 'in', { intent: 'faq.returns' }),
    say('asked', '09:00:11', 'out'),
    // Only said hello: not engaged.
    say('hello', '10:00:00', 'in', { intent: 'greeting', dialog: 'smallTalk' }),
    say('hello', '10:00:01', 'out', { dialog: 'smallTalk' }),
    // A rated chat, then "thanks!" after the survey: that makes a second, not engaged, session.
    say('thanked', '11:00:00', 'in', { intent: 'faq.shipping' }),
    say('thanked', '11:00:01', 'out'),
    say('thanked', '11:00:10', 'in', { intent: 'goodbye', dialog: 'smallTalk', data: { conversationEnded: true } }),
    say('thanked', '11:00:11', 'out', { dialog: 'survey', outcome: 'survey' }),
    say('thanked', '11:00:20', 'in', { dialog: 'survey', outcome: 'survey', data: { csat: 5, surveyComplete: true } }),
    say('thanked', '11:00:30', 'in', { intent: 'thanks', dialog: 'smallTalk' }),
    say('thanked', '11:00:31', 'out', { dialog: 'smallTalk' }),
    // Still open at report time, with a message the bot did not understand (no topic: it groups under "(none)").
    say('open', '11:50:00', 'in', { intent: 'None', dialog: 'fallback', outcome: 'fallback' }),
    say('open', '11:50:01', 'out', { dialog: 'fallback', outcome: 'fallback' }),
  ];
  const sessions = classifySessions(sessionsFromRecords(records, 1_800_000), [], Date.parse('2026-11-20T12:00:00.000Z'), 1_800_000);

  it('counts the messages of the conversations the other rates count: engaged and ended', () => {
    // Counted over every conversation it was 2 fallbacks in 8 messages; "excluded from every rate" leaves 1 in 5.
    const m = computeMetrics(sessions);
    expect([m.conversations, m.engaged, m.open]).toEqual([5, 2, 1]);
    expect(m.fallbackRate).toBeCloseTo(1 / 5, 12);
  });

  it('is null, not a rate, for a group with no engaged conversation', () => {
    // The dashboard filtered to intent "(none)" showed "Engaged conversations 0" next to "Fallback rate 50.0%".
    const none = report(sessions, { from: '2026-11-20', to: '2026-11-20' }, 'intent').groups.find((g) => g.key === '(none)');
    expect(none).toMatchObject({ engaged: 0, fallbackRate: null });
  });
});
