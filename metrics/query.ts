/**
 * What the dashboard asks the metrics engine: a period (explicit days or a preset relative to the server's clock),
 * a session-level filter (channel, locale, intent), the previous period for comparison and extra breakdowns.
 * One mechanism for the JSON API, the CSV export, alerts and the escalation review, so the page, the export and the
 * tests all see the same numbers.
 */
import { z } from 'zod';
import { type ClassifiedSession, computeMetrics, type GroupBy, groupKey, type Metrics, report } from './compute.js';

const DAY_MS = 86_400_000;
const day = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
const GROUPS = ['day', 'channel', 'locale', 'intent'] as const;

/** Shifts a YYYY-MM-DD date by whole days. */
export function shiftDay(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Number of days in [from, to], both included. */
export function spanDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Date-range presets, each ending today (UTC, by the server's clock): length in days. */
export const RANGE_PRESETS = { today: 1, '7d': 7, '30d': 30, '90d': 90 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

/** Longest period a query may cover (reports over more are possible from the CLI). */
export const MAX_SPAN_DAYS = 366;

/** Query parameters naming a period: `range=7d`, or `from` and `to` (YYYY-MM-DD, UTC, both included). */
export const periodShape = {
  range: z.enum(Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]], { error: `must be one of ${Object.keys(RANGE_PRESETS).join(', ')}` }).optional(),
  from: day.optional(),
  to: day.optional(),
};

const filterValue = z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' });
/** The session-level filter: a conversation's channel, its locale, and its topic (first task intent, or "(none)"). */
export const SessionFilterSchema = z.object({
  channel: filterValue.optional(),
  // The log keeps the language ("es"); a lead typing the browser's tag ("es-ES", "EN") got zeros, as for no such locale.
  locale: filterValue.transform((tag) => tag.split(/[-_]/)[0]!.toLowerCase()).optional(),
  intent: filterValue.optional(),
});
export type SessionFilter = z.infer<typeof SessionFilterSchema>;
/** The filter's query parameters. */
export const filterShape = SessionFilterSchema.shape;

/** Checks the period parameters of a parsed query: `range` or both dates, in order, not too long. */
export function refinePeriod(q: { range?: string; from?: string; to?: string }, ctx: z.RefinementCtx, required: boolean): void {
  if (q.range && (q.from || q.to)) ctx.addIssue({ code: 'custom', message: 'give either range or from and to, not both', path: ['range'] });
  else if (Boolean(q.from) !== Boolean(q.to)) ctx.addIssue({ code: 'custom', message: 'from and to go together', path: [q.from ? 'to' : 'from'] });
  else if (required && !q.range && !q.from) ctx.addIssue({ code: 'custom', message: 'give from and to (YYYY-MM-DD), or range', path: ['from'] });
  // A date that is no date has its own message; "must not be after to" on top of it was wrong.
  if (q.from && q.to && day.safeParse(q.from).success && day.safeParse(q.to).success) {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', message: 'must not be after to', path: ['from'] });
    else if (spanDays(q.from, q.to) > MAX_SPAN_DAYS) ctx.addIssue({ code: 'custom', message: `the period may cover at most ${MAX_SPAN_DAYS} days`, path: ['to'] });
  }
}

/** A closed range of UTC days. */
export interface Period {
  from: string;
  to: string;
}

/** The `days` days that end today (UTC), today included. */
export function lastDays(now: Date, days: number): Period {
  const today = now.toISOString().slice(0, 10);
  return { from: shiftDay(today, 1 - days), to: today };
}

/** The period a query names; `fallback` when it names none. */
export function resolvePeriod(q: { range?: RangePreset; from?: string; to?: string }, now: Date, fallback?: Period): Period {
  if (q.from && q.to) return { from: q.from, to: q.to };
  if (q.range) return lastDays(now, RANGE_PRESETS[q.range]);
  if (fallback) return fallback;
  throw new Error('No period given');
}

/** The period of the same length that ends the day before `p` starts. */
export function previousPeriod(p: Period): Period {
  const to = shiftDay(p.from, -1);
  return { from: shiftDay(to, 1 - spanDays(p.from, p.to)), to };
}

/** Whether a filter restricts anything. */
export function isFiltered(f: SessionFilter | undefined): f is SessionFilter {
  return Boolean(f && (f.channel || f.locale || f.intent));
}

/** Whether a classified session passes the filter. */
export function matches(c: ClassifiedSession, f: SessionFilter): boolean {
  return (!f.channel || c.s.channel === f.channel) && (!f.locale || c.s.locale === f.locale) && (!f.intent || groupKey(c, 'intent') === f.intent);
}

/** The sessions that pass the filter (all of them without one). */
export function applyFilter(sessions: ClassifiedSession[], f: SessionFilter | undefined): ClassifiedSession[] {
  return isFiltered(f) ? sessions.filter((c) => matches(c, f)) : sessions;
}

/** The values each filter can take in a period (unfiltered), for the dashboard's selects. */
export interface Facets {
  channel: string[];
  locale: string[];
  intent: string[];
}

/** Distinct channels, locales and intents of the sessions that started in `p`. */
export function facetsOf(sessions: ClassifiedSession[], p: Period): Facets {
  const sets = { channel: new Set<string>(), locale: new Set<string>(), intent: new Set<string>() };
  for (const c of sessions) {
    if (c.day < p.from || c.day > p.to) continue;
    sets.channel.add(c.s.channel);
    sets.locale.add(c.s.locale);
    sets.intent.add(groupKey(c, 'intent'));
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { channel: sorted(sets.channel), locale: sorted(sets.locale), intent: sorted(sets.intent) };
}

/** Options of a report beyond its period and grouping. */
export interface ReportOptions {
  filter?: SessionFilter;
  /** Also compute the overall metrics of the previous period of the same length. */
  compare?: boolean;
  /** More groupings to return under `breakdowns` (the dashboard's channel/locale/intent tables). */
  breakdowns?: GroupBy[];
}

/** A group's metrics. */
export type Group = { key: string } & Metrics;

/** A report plus what the dashboard needs around it. */
export interface ExtendedReport {
  from: string;
  to: string;
  overall: Metrics;
  groups: Group[];
  filter: SessionFilter;
  facets: Facets;
  previous?: { from: string; to: string; overall: Metrics };
  breakdowns?: Partial<Record<GroupBy, Group[]>>;
}

/** Builds the report of `p` from classified sessions (which must cover the previous period when comparing). */
export function buildReport(all: ClassifiedSession[], p: Period & ReportOptions & { groupBy?: GroupBy }): ExtendedReport {
  const sessions = applyFilter(all, p.filter);
  const main = report(sessions, p, p.groupBy);
  const out: ExtendedReport = { ...main, filter: p.filter ?? {}, facets: facetsOf(all, p) };
  if (p.compare) {
    const prev = previousPeriod(p);
    out.previous = { ...prev, overall: computeMetrics(sessions.filter((c) => c.day >= prev.from && c.day <= prev.to)) };
  }
  if (p.breakdowns?.length) {
    out.breakdowns = Object.fromEntries([...new Set(p.breakdowns)].map((by) => [by, by === p.groupBy ? main.groups : report(sessions, p, by).groups]));
  }
  return out;
}

/** Grouping names as a zod enum (for query strings). */
export const GroupBySchema = z.enum(GROUPS, { error: 'must be day, channel, locale or intent' });

/** A comma-separated list of groupings: "channel,locale,intent". */
export const GroupListSchema = z
  .string()
  .transform((s, ctx) => {
    const list = s.split(',').map((x) => x.trim()).filter(Boolean);
    const unknown = list.filter((x) => !(GROUPS as readonly string[]).includes(x));
    if (unknown.length) ctx.addIssue({ code: 'custom', message: `"${unknown[0]}" is not one of ${GROUPS.join(', ')} (a comma-separated list)` });
    return list as GroupBy[];
  });
