import { describe, expect, it } from 'vitest';
import { addOpenHours, describeSchedule, isOpenAt, nextOpening, parseClosures, parseSchedule } from '../../bot/handoff/businessHours.js';
import { sessionWindow, summarize } from '../../bot/handoff/transcript.js';
import { loadConfig } from '../../bot/config.js';
import type { TurnRecord } from '../../storage/turnLog.js';

const NY = 'America/New_York';

describe('business hours', () => {
  const schedule = parseSchedule('mon-fri 08:00-20:00, sat 09:00-17:00');

  it('parses day ranges and times, and describes them', () => {
    expect(schedule).toEqual([
      { days: [1, 2, 3, 4, 5], open: 480, close: 1200 },
      { days: [6], open: 540, close: 1020 },
    ]);
    expect(describeSchedule(schedule)).toBe('Mon–Fri 08:00–20:00, Sat 09:00–17:00');
    expect(describeSchedule(schedule, 'es')).toBe('lun–vie 08:00–20:00, sáb 09:00–17:00');
    expect(parseSchedule('fri-mon 10:00-24:00')).toEqual([{ days: [5, 6, 0, 1], open: 600, close: 1440 }]);
    expect(parseSchedule('always')).toBeNull();
  });

  it.each([
    ['mon-fri 8:00-20:00, sunday', /cannot read "sunday"/],
    ['mon-fri 20:00-08:00', /closes before it opens/],
    ['mon-fry 08:00-20:00', /unknown day "fry"/],
    ['month 09:00-17:00', /^has an unknown day "month" \(use mon, tue, wed, thu, fri, sat, sun or the whole name\)$/],
    ['satan-fri 09:00-17:00', /unknown day "satan"/],
    ['mon-fridays 09:00-17:00', /unknown day "fridays"/],
    ['mon 08:00-25:00', /invalid time/],
    ['', /is empty/],
  ])('refuses %j', (text, message) => {
    expect(() => parseSchedule(text)).toThrow(message);
  });

  it('takes whole day names in any case as well as their three-letter forms', () => {
    expect(parseSchedule('Monday-FRIDAY 09:00-17:00, sun 10:00-12:00')).toEqual([
      { days: [1, 2, 3, 4, 5], open: 540, close: 1020 },
      { days: [0], open: 600, close: 720 },
    ]);
  });

  it('a bad BUSINESS_HOURS stops start-up with one line naming it, quoting the value once', () => {
    expect(() => loadConfig({ BUSINESS_HOURS: 'weekdays' })).toThrow(/^Invalid configuration: BUSINESS_HOURS cannot read "weekdays" \(expected e\.g\. "mon-fri 08:00-20:00"\)$/);
    expect(() => loadConfig({ BUSINESS_HOURS: 'month 09:00-17:00' })).toThrow(
      /^Invalid configuration: BUSINESS_HOURS has an unknown day "month" \(use mon, tue, wed, thu, fri, sat, sun or the whole name\) \(got "month 09:00-17:00"\)$/,
    );
    expect(() => loadConfig({ HANDOFF_TRIGGERS: 'requested,bored' })).toThrow(/^Invalid configuration: HANDOFF_TRIGGERS must be "none" or a comma-separated list/);
    expect(loadConfig({ HANDOFF_TRIGGERS: ' requested , complaint ' }).HANDOFF_TRIGGERS).toEqual(['requested', 'complaint']);
  });

  it('is open inside the windows, in the shop\'s time zone', () => {
    expect(isOpenAt(schedule, new Date('2026-11-25T13:00:00Z'), NY)).toBe(true); // Wed 08:00 in New York
    expect(isOpenAt(schedule, new Date('2026-11-25T12:59:00Z'), NY)).toBe(false); // Wed 07:59
    expect(isOpenAt(schedule, new Date('2026-11-26T01:00:00Z'), NY)).toBe(false); // Wed 20:00 (closing time)
    expect(isOpenAt(schedule, new Date('2026-11-29T15:00:00Z'), NY)).toBe(false); // Sunday
    expect(isOpenAt(null, new Date('2026-11-29T15:00:00Z'), NY)).toBe(true);
  });

  it('knows when it opens next', () => {
    // Saturday 18:00 in New York → Monday 08:00.
    expect(nextOpening(schedule, new Date('2026-11-28T23:00:00Z'), NY)?.toISOString()).toBe('2026-11-30T13:00:00.000Z');
    // Wednesday 06:00 → the same day, 08:00.
    expect(nextOpening(schedule, new Date('2026-11-25T11:00:00Z'), NY)?.toISOString()).toBe('2026-11-25T13:00:00.000Z');
  });

  it('opens at the local time across a clock change and in half-hour zones', () => {
    // Saturday 18:00 EDT, the night the clocks go back → Monday 08:00 EST.
    expect(nextOpening(schedule, new Date('2026-10-31T22:00:00Z'), NY)?.toISOString()).toBe('2026-11-02T13:00:00.000Z');
    // Saturday 18:00 EST, the night the clocks go forward → Monday 08:00 EDT.
    expect(nextOpening(schedule, new Date('2026-03-07T23:00:00Z'), NY)?.toISOString()).toBe('2026-03-09T12:00:00.000Z');
    // Thursday 04:37 in Tehran (UTC+3:30) → 08:00 the same day.
    expect(nextOpening(schedule, new Date('2026-11-26T01:07:00Z'), 'Asia/Tehran')?.toISOString()).toBe('2026-11-26T04:30:00.000Z');
    // Half a second before opening is still before it.
    expect(nextOpening(schedule, new Date('2026-11-26T07:59:59.500Z'), 'UTC')?.toISOString()).toBe('2026-11-26T08:00:00.000Z');
  });

  it('counts a ticket\'s reply time in opening hours only', () => {
    const due = (start: string, hours: number, tz = NY, on = schedule) => addOpenHours(on, new Date(start), hours, tz).toISOString();
    // Wednesday 22:43 EST, closed → four hours from Thursday 08:00.
    expect(due('2026-11-26T03:43:00Z', 4)).toBe('2026-11-26T17:00:00.000Z');
    // Thursday 10:00 EST, open → 14:00.
    expect(due('2026-11-26T15:00:00Z', 4)).toBe('2026-11-26T19:00:00.000Z');
    // Friday 18:00: two hours on Friday, two from Saturday 09:00.
    expect(due('2026-11-27T23:00:00Z', 4)).toBe('2026-11-28T16:00:00.000Z');
    // Monday 08:00 + 24 hours of 12-hour days → Tuesday's closing time.
    expect(due('2026-11-23T13:00:00Z', 24)).toBe('2026-11-25T01:00:00.000Z');
    // Saturday 16:00 EDT, the night the clocks go back: one hour on Saturday, three from Monday 08:00 EST.
    expect(due('2026-10-31T20:00:00Z', 4)).toBe('2026-11-02T16:00:00.000Z');
    // Overlapping windows count once; one hour a week still ends.
    expect(due('2026-11-23T08:00:00Z', 5, 'UTC', parseSchedule('mon 08:00-12:00, mon 10:00-14:00'))).toBe('2026-11-23T13:00:00.000Z');
    expect(due('2026-11-23T09:30:00Z', 3, 'UTC', parseSchedule('mon 09:00-10:00'))).toBe('2026-12-14T09:30:00.000Z');
    // Always open: plain hours.
    expect(due('2026-11-26T03:43:00Z', 4, NY, null)).toBe('2026-11-26T07:43:00.000Z');
  });
});

describe('closed days', () => {
  const schedule = parseSchedule('mon-fri 08:00-20:00, sat 09:00-17:00');
  // Thanksgiving 2026 (Thursday 26 November) every year by month and day, the Friday after once, and a week of stocktake.
  const closed = parseClosures('11-26, 2026-11-27, 2026-12-07..2026-12-12');

  it('reads month-days, dates and ranges, and refuses what is not a day', () => {
    expect(closed.has('2026-11-26')).toBe(true);
    expect(closed.has('2031-11-26')).toBe(true);
    expect(closed.has('2026-11-27')).toBe(true);
    expect(closed.has('2027-11-27')).toBe(false);
    expect(['2026-12-07', '2026-12-10', '2026-12-12'].every((d) => closed.has(d))).toBe(true);
    expect(closed.has('2026-12-13')).toBe(false);
    expect(parseClosures(' ').has('2026-11-26')).toBe(false);
    expect(parseClosures('02-29').has('2028-02-29')).toBe(true);
    expect(() => parseClosures('12/25')).toThrow(/cannot read "12\/25"/);
    expect(() => parseClosures('2027-02-29')).toThrow(/"2027-02-29" is not a calendar date/);
    expect(() => parseClosures('02-30')).toThrow(/"02-30" is not a day of the year/);
    expect(() => parseClosures('2026-12-12..2026-12-07')).toThrow(/ends before it starts/);
    expect(() => parseClosures('2026-01-01..2027-06-01')).toThrow(/longer than a year/);
    expect(() => loadConfig({ BUSINESS_CLOSED: '12-25, xmas' })).toThrow(/^Invalid configuration: BUSINESS_CLOSED cannot read "xmas"/);
  });

  it('is shut all day on a closed day, in the shop\'s time zone', () => {
    // Thursday 10:00 in New York: a working hour any other Thursday.
    expect(isOpenAt(schedule, new Date('2026-11-26T15:00:00Z'), NY)).toBe(true);
    expect(isOpenAt(schedule, new Date('2026-11-26T15:00:00Z'), NY, closed)).toBe(false);
    // Wednesday 22:00 in New York is already Thursday in UTC: still Wednesday's business.
    expect(isOpenAt(parseSchedule('always'), new Date('2026-11-26T03:00:00Z'), NY, closed)).toBe(true);
    expect(isOpenAt(parseSchedule('always'), new Date('2026-11-26T05:00:00Z'), NY, closed)).toBe(false);
  });

  it('opens next after the closed days', () => {
    // Wednesday 21:00 → not Thursday or Friday, but Saturday 09:00.
    expect(nextOpening(schedule, new Date('2026-11-26T02:00:00Z'), NY, closed)?.toISOString()).toBe('2026-11-28T14:00:00.000Z');
    // Sunday before the stocktake week → the Monday after it.
    expect(nextOpening(schedule, new Date('2026-12-06T15:00:00Z'), NY, closed)?.toISOString()).toBe('2026-12-14T13:00:00.000Z');
    // Round the clock but for the closed days: the next midnight after them.
    expect(nextOpening(null, new Date('2026-11-26T15:00:00Z'), NY, closed)?.toISOString()).toBe('2026-11-28T05:00:00.000Z');
    expect(nextOpening(null, new Date('2026-11-25T15:00:00Z'), NY, closed)?.toISOString()).toBe('2026-11-25T15:00:00.000Z');
    // A list that closes every day of every year never opens.
    const everyDay = Array.from({ length: 366 }, (_, i) => new Date(Date.UTC(2028, 0, 1 + i)).toISOString().slice(5, 10)).join(',');
    expect(nextOpening(schedule, new Date('2026-11-26T15:00:00Z'), NY, parseClosures(everyDay))).toBeUndefined();
  });

  it('leaves closed days out of a ticket\'s reply time', () => {
    const due = (start: string, hours: number, on = schedule) => addOpenHours(on, new Date(start), hours, NY, closed).toISOString();
    // Wednesday 18:00 with four hours: two on Wednesday, then two from Saturday 09:00.
    expect(due('2026-11-25T23:00:00Z', 4)).toBe('2026-11-28T16:00:00.000Z');
    // Round the clock: Wednesday 23:00 + 4 hours is Saturday 03:00, after two closed days.
    expect(due('2026-11-26T04:00:00Z', 4, null)).toBe('2026-11-28T08:00:00.000Z');
  });
});

const rec = (ts: string, over: Partial<TurnRecord> = {}): TurnRecord => ({
  id: ts, ts, conversationId: 'c', channel: 'webchat', locale: 'en', direction: 'in', customerId: 'c_1', actor: 'customer',
  text: 'x', intent: null, score: null, entities: {}, sentiment: null, dialog: null, outcome: null, latencyMs: null, ...over,
});

describe('the session around a handoff', () => {
  const minute = 60_000;
  const log = [
    rec('2026-11-24T09:00:00.000Z', { text: 'yesterday' }),
    rec('2026-11-25T10:00:00.000Z', { text: 'start', intent: 'order.status', sentiment: { score: -0.2, label: 'negative' } }),
    rec('2026-11-25T10:10:00.000Z', { text: 'escalate', intent: 'agent.handoff', sentiment: { score: -0.8, label: 'negative' } }),
    rec('2026-11-25T11:00:00.000Z', { text: 'long wait, still the handoff' }),
    rec('2026-11-25T11:05:00.000Z', { text: 'resolved', actor: 'bot', direction: 'out' }),
    rec('2026-11-25T11:10:00.000Z', { text: 'survey' }),
    rec('2026-11-27T09:00:00.000Z', { text: 'another day' }),
  ];

  it('reaches back to the session start and forward to the end of the conversation, not to other days', () => {
    const window = sessionWindow(log, '2026-11-25T10:10:00.000Z', '2026-11-25T11:05:00.000Z', 30 * minute);
    expect(window.map((r) => r.text)).toEqual(['start', 'escalate', 'long wait, still the handoff', 'resolved', 'survey']);
    expect(sessionWindow(log, '2026-11-25T10:10:00.000Z', null, 30 * minute).at(-1)?.text).toBe('another day');
  });

  it('summarises intents and sentiment of the customer turns', () => {
    expect(summarize(log.slice(1, 3), { intent: 'complaint', sentiment: -0.5 })).toEqual({
      intents: ['order.status', 'agent.handoff', 'complaint'],
      sentiment: { mean: -0.5, last: -0.5, min: -0.8, turns: 3 },
    });
    expect(summarize([])).toEqual({ intents: [], sentiment: null });
  });
});
