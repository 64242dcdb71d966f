/** Periods, previous periods and alert rules, without a server. */
import { describe, expect, it } from 'vitest';
import { type AlertThresholds, evaluateAlerts } from '../../metrics/alerts.js';
import { computeMetrics, type Metrics } from '../../metrics/compute.js';
import { toCsv } from '../../metrics/format.js';
import { type ExtendedReport, previousPeriod, resolvePeriod, spanDays } from '../../metrics/query.js';

describe('periods', () => {
  const now = new Date('2026-11-25T15:00:00Z');
  it('presets end today (UTC) and the previous period has the same length, just before', () => {
    expect(resolvePeriod({ range: 'today' }, now)).toEqual({ from: '2026-11-25', to: '2026-11-25' });
    expect(resolvePeriod({ range: '7d' }, now)).toEqual({ from: '2026-11-19', to: '2026-11-25' });
    expect(resolvePeriod({ range: '30d' }, now)).toEqual({ from: '2026-10-27', to: '2026-11-25' });
    expect(resolvePeriod({ from: '2026-02-27', to: '2026-03-02' }, now)).toEqual({ from: '2026-02-27', to: '2026-03-02' });
    expect(resolvePeriod({}, now, { from: 'a', to: 'b' })).toEqual({ from: 'a', to: 'b' });
    expect(previousPeriod({ from: '2026-11-19', to: '2026-11-25' })).toEqual({ from: '2026-11-12', to: '2026-11-18' });
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-01' })).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(spanDays('2026-02-27', '2026-03-02')).toBe(4);
  });
});

/** A metrics object with the given overrides on top of an empty one. */
function metrics(over: Partial<Metrics> & { csatScore?: number | null; csatCount?: number; negativeShare?: number | null }): Metrics {
  const m = computeMetrics([]);
  return {
    ...m,
    ...over,
    csat: { ...m.csat, score: over.csatScore ?? null, count: over.csatCount ?? 0 },
    sentiment: { mean: null, negativeShare: over.negativeShare ?? null },
  };
}

const T: AlertThresholds = { minSample: 20, escalationRateMax: 0.3, abandonmentRateMax: 0.25, fallbackRateMax: 0.2, csatMin: 0.7, negativeShareRise: 0.1 };
const report = (now: Metrics, before: Metrics): ExtendedReport => ({
  from: '2026-11-19', to: '2026-11-25', overall: now, groups: [], filter: {}, facets: { channel: [], locale: [], intent: [] },
  previous: { from: '2026-11-12', to: '2026-11-18', overall: before },
});

describe('alerts', () => {
  it('fire above a maximum, below a minimum and on a rise, each naming metric, value, threshold and window', () => {
    const now = metrics({ conversations: 50, engaged: 40, escalationRate: 0.35, abandonmentRate: 0.1, fallbackRate: 0.05, csatScore: 0.6, csatCount: 25, negativeShare: 0.3 });
    const before = metrics({ conversations: 50, engaged: 40, negativeShare: 0.2 });
    const alerts = evaluateAlerts(report(now, before), T);
    expect(alerts.map((a) => [a.metric, a.comparison, a.value, a.threshold, a.previous])).toEqual([
      ['escalationRate', 'above', 0.35, 0.3, null],
      ['csat', 'below', 0.6, 0.7, null],
      ['negativeShare', 'rise', 0.3, 0.1, 0.2],
    ]);
    expect(alerts[0]).toMatchObject({ sample: 40, window: { from: '2026-11-19', to: '2026-11-25' }, previousWindow: { from: '2026-11-12', to: '2026-11-18' } });
    expect(alerts.map((a) => a.message)).toEqual([
      'Escalation rate 35.0% is above 30.0% (2026-11-19 to 2026-11-25).',
      'CSAT 60.0% is below 70.0% (2026-11-19 to 2026-11-25).',
      'Negative sentiment share rose from 20.0% to 30.0%, by 10.0 points (2026-11-19 to 2026-11-25 against 2026-11-12 to 2026-11-18).',
    ]);
  });

  it('stay quiet at the threshold, on too small a sample, and without data', () => {
    const quiet = metrics({ conversations: 50, engaged: 40, escalationRate: 0.3, csatScore: 0.7, csatCount: 25, negativeShare: 0.25 });
    expect(evaluateAlerts(report(quiet, metrics({ conversations: 50, negativeShare: 0.2 })), T)).toEqual([]);
    const small = metrics({ conversations: 5, engaged: 5, escalationRate: 0.8, csatScore: 0, csatCount: 3, negativeShare: 1 });
    expect(evaluateAlerts(report(small, metrics({ conversations: 5, negativeShare: 0 })), T)).toEqual([]);
    expect(evaluateAlerts(report(computeMetrics([]), computeMetrics([])), { ...T, minSample: 0 })).toEqual([]);
  });
});

describe('npm run report --format csv', () => {
  it('writes the API CSV: CRLF line ends, empty cells for nulls, and a group key that reads as a formula defused', () => {
    const m = computeMetrics([]);
    const csv = toCsv({ from: '2026-11-19', to: '2026-11-25', overall: m, groups: [{ key: '=HYPERLINK("http://x")', ...m }], filter: {}, facets: { channel: [], locale: [], intent: [] } });
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[0]!.startsWith('group,')).toBe(true);
    expect(lines[1]!.startsWith('all,0,')).toBe(true);
    expect(lines[2]!.startsWith(`"'=HYPERLINK(""http://x"")",0,`)).toBe(true);
    expect(csv).not.toMatch(/[^\r]\n/);
  });
});
