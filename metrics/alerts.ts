/**
 * Alerts: configured thresholds checked against a period's metrics and the period before it (same length). An alert
 * needs enough data behind it (ALERT_MIN_SAMPLE) so one bad conversation on a quiet day does not page anyone.
 */
import type { Metrics } from './compute.js';
import type { ExtendedReport, Period } from './query.js';

/** Thresholds from configuration (rates and shares are fractions 0–1). */
export interface AlertThresholds {
  minSample: number;
  escalationRateMax: number;
  abandonmentRateMax: number;
  fallbackRateMax: number;
  csatMin: number;
  /** Rise of the negative-sentiment share against the previous period that alerts (0.1 = 10 points). */
  negativeShareRise: number;
}

/** Metrics an alert can be about; the names are the dashboard tiles' `data-metric`. */
export type AlertMetric = 'escalationRate' | 'abandonmentRate' | 'fallbackRate' | 'csat' | 'negativeShare';

/** One threshold crossed. */
export interface Alert {
  metric: AlertMetric;
  label: string;
  /** The value in the period (for `rise`, the share itself; the rise is value − previous). */
  value: number;
  threshold: number;
  comparison: 'above' | 'below' | 'rise';
  previous: number | null;
  /** How many conversations (or survey answers, for CSAT) the value rests on. */
  sample: number;
  window: Period;
  previousWindow: Period;
  message: string;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

interface Rule {
  metric: AlertMetric;
  label: string;
  value: (m: Metrics) => number | null;
  sample: (m: Metrics) => number;
  comparison: Alert['comparison'];
  threshold: (t: AlertThresholds) => number;
}

const RULES: Rule[] = [
  { metric: 'escalationRate', label: 'Escalation rate', value: (m) => m.escalationRate, sample: (m) => m.engaged, comparison: 'above', threshold: (t) => t.escalationRateMax },
  { metric: 'abandonmentRate', label: 'Abandonment rate', value: (m) => m.abandonmentRate, sample: (m) => m.engaged, comparison: 'above', threshold: (t) => t.abandonmentRateMax },
  { metric: 'fallbackRate', label: 'Fallback rate', value: (m) => m.fallbackRate, sample: (m) => m.engaged, comparison: 'above', threshold: (t) => t.fallbackRateMax },
  { metric: 'csat', label: 'CSAT', value: (m) => m.csat.score, sample: (m) => m.csat.count, comparison: 'below', threshold: (t) => t.csatMin },
  { metric: 'negativeShare', label: 'Negative sentiment share', value: (m) => m.sentiment.negativeShare, sample: (m) => m.conversations, comparison: 'rise', threshold: (t) => t.negativeShareRise },
];

/** The alerts of a report computed with `compare` (its `previous` period is needed for rises). */
export function evaluateAlerts(r: ExtendedReport, t: AlertThresholds): Alert[] {
  const window = { from: r.from, to: r.to };
  const prev = r.previous;
  const previousWindow = prev ? { from: prev.from, to: prev.to } : window;
  const alerts: Alert[] = [];
  for (const rule of RULES) {
    const value = rule.value(r.overall);
    const sample = rule.sample(r.overall);
    if (value === null || sample < t.minSample) continue;
    const threshold = rule.threshold(t);
    const previous = prev && rule.sample(prev.overall) >= t.minSample ? rule.value(prev.overall) : null;
    const span = `${window.from} to ${window.to}`;
    let message: string | undefined;
    if (rule.comparison === 'above' && value > threshold) message = `${rule.label} ${pct(value)} is above ${pct(threshold)} (${span}).`;
    if (rule.comparison === 'below' && value < threshold) message = `${rule.label} ${pct(value)} is below ${pct(threshold)} (${span}).`;
    if (rule.comparison === 'rise' && previous !== null && value - previous >= threshold - 1e-9) {
      message = `${rule.label} rose from ${pct(previous)} to ${pct(value)}, by ${((value - previous) * 100).toFixed(1)} points (${span} against ${previousWindow.from} to ${previousWindow.to}).`;
    }
    if (message) alerts.push({ metric: rule.metric, label: rule.label, value, threshold, comparison: rule.comparison, previous, sample, window, previousWindow, message });
  }
  return alerts;
}
