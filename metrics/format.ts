/** Metrics reports as a readable table or CSV (JSON is the report object itself). */
import type { Duration, Metrics } from './compute.js';
import type { MetricsReport } from './service.js';
import { toCsv as csvTable } from '../bot/api/csv.js';

/** One column: header and how to read it from a metrics object. */
interface Column {
  header: string;
  value: (m: Metrics) => number | null;
  kind: 'count' | 'rate' | 'ms' | 'score' | 'nps';
}

const d = (pick: (m: Metrics) => Duration, which: keyof Duration) => (m: Metrics) => pick(m)[which];

/** Every number of a report, flattened: the CSV has them all, the table a readable subset. */
export const COLUMNS: Column[] = [
  { header: 'conversations', value: (m) => m.conversations, kind: 'count' },
  { header: 'open', value: (m) => m.open, kind: 'count' },
  { header: 'engaged', value: (m) => m.engaged, kind: 'count' },
  { header: 'contained', value: (m) => m.contained, kind: 'count' },
  { header: 'escalated', value: (m) => m.escalated, kind: 'count' },
  { header: 'resolved_by_agent', value: (m) => m.resolvedByAgent, kind: 'count' },
  { header: 'abandoned', value: (m) => m.abandoned, kind: 'count' },
  { header: 'containment_rate', value: (m) => m.containmentRate, kind: 'rate' },
  { header: 'escalation_rate', value: (m) => m.escalationRate, kind: 'rate' },
  { header: 'abandonment_rate', value: (m) => m.abandonmentRate, kind: 'rate' },
  { header: 'fallback_rate', value: (m) => m.fallbackRate, kind: 'rate' },
  { header: 'confirmed_share', value: (m) => m.confirmedShare, kind: 'rate' },
  { header: 'assumed_share', value: (m) => m.assumedShare, kind: 'rate' },
  { header: 'reopen_rate', value: (m) => m.reopenRate, kind: 'rate' },
  { header: 'csat', value: (m) => m.csat.score, kind: 'rate' },
  { header: 'csat_mean', value: (m) => m.csat.mean, kind: 'score' },
  { header: 'csat_count', value: (m) => m.csat.count, kind: 'count' },
  { header: 'csat_response_rate', value: (m) => m.csat.responseRate, kind: 'rate' },
  { header: 'csat_bot', value: (m) => m.csat.bot.score, kind: 'rate' },
  { header: 'csat_agent', value: (m) => m.csat.agent.score, kind: 'rate' },
  { header: 'nps', value: (m) => m.nps.score, kind: 'nps' },
  { header: 'nps_count', value: (m) => m.nps.count, kind: 'count' },
  { header: 'frt_median_ms', value: d((m) => m.frt, 'median'), kind: 'ms' },
  { header: 'frt_p90_ms', value: d((m) => m.frt, 'p90'), kind: 'ms' },
  { header: 'agent_frt_median_ms', value: d((m) => m.agentFrt, 'median'), kind: 'ms' },
  { header: 'agent_frt_p90_ms', value: d((m) => m.agentFrt, 'p90'), kind: 'ms' },
  { header: 'queue_wait_median_ms', value: d((m) => m.queueWait, 'median'), kind: 'ms' },
  { header: 'queue_wait_p90_ms', value: d((m) => m.queueWait, 'p90'), kind: 'ms' },
  { header: 'resolution_median_ms', value: d((m) => m.timeToResolution, 'median'), kind: 'ms' },
  { header: 'resolution_p90_ms', value: d((m) => m.timeToResolution, 'p90'), kind: 'ms' },
  { header: 'sentiment_mean', value: (m) => m.sentiment.mean, kind: 'score' },
  { header: 'negative_share', value: (m) => m.sentiment.negativeShare, kind: 'rate' },
];

/** The subset shown in the terminal table, with short headers. */
const TABLE: Array<[string, string]> = [
  ['conversations', 'convs'],
  ['engaged', 'engaged'],
  ['containment_rate', 'contain'],
  ['escalation_rate', 'escal'],
  ['abandonment_rate', 'abandon'],
  ['fallback_rate', 'fallback'],
  ['csat', 'CSAT'],
  ['csat_count', 'n'],
  ['nps', 'NPS'],
  ['frt_median_ms', 'FRT p50'],
  ['frt_p90_ms', 'FRT p90'],
  ['resolution_median_ms', 'TTR p50'],
  ['sentiment_mean', 'sent'],
];

function human(value: number | null, kind: Column['kind']): string {
  if (value === null) return '–';
  if (kind === 'rate') return `${(value * 100).toFixed(1)}%`;
  if (kind === 'nps') return value.toFixed(0);
  if (kind === 'score') return value.toFixed(2);
  if (kind === 'ms') return value < 1000 ? `${Math.round(value)}ms` : value < 120_000 ? `${(value / 1000).toFixed(1)}s` : `${(value / 60_000).toFixed(1)}m`;
  return String(value);
}

/** A fixed-width table: one row for the whole range, one per group. */
export function toTable(r: MetricsReport, groupLabel = 'group'): string {
  const cols = TABLE.map(([name, header]) => ({ header, col: COLUMNS.find((c) => c.header === name)! }));
  const rows = [{ key: 'all', m: r.overall as Metrics }, ...r.groups.map((g) => ({ key: g.key, m: g as Metrics }))];
  const cells = rows.map((row) => [row.key, ...cols.map(({ col }) => human(col.value(row.m), col.kind))]);
  const header = [groupLabel, ...cols.map((c) => c.header)];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [`CX report ${r.from} → ${r.to}`, line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** CSV with every metric, one row for the whole range and one per group; empty cells where a value is null. */
export function toCsv(r: MetricsReport): string {
  const rows = [{ key: 'all', m: r.overall as Metrics }, ...r.groups.map((g) => ({ key: g.key, m: g as Metrics }))];
  // The API's CSV writer: CRLF line ends, and a group key that reads as a formula (a channel named "=…") defused.
  const header = ['group', ...COLUMNS.map((c) => c.header)];
  return csvTable(header, rows.map((row) => Object.fromEntries([['group', row.key], ...COLUMNS.map((c) => [c.header, c.value(row.m)])])));
}
