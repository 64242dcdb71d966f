/**
 * When people are there to take a handoff: "mon-fri 08:00-20:00, sat 09:00-17:00" in the shop's time zone.
 * Outside these hours the bot offers to take a message instead of queueing the customer.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import { dateFormatter, fromWallClock, wallClock } from '../../i18n/dates.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);
// dayjs.tz.guess() builds an Intl formatter on every call (measured ≈0.7 ms), and botbuilder's EventFactory calls it
// for every handoff event; the process's zone is fixed while it runs, so it is guessed once.
const processZone = dayjs.tz.guess();
dayjs.tz.guess = () => processZone;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** One opening window: days of the week (0 = Sunday) and minutes since local midnight [open, close). */
export interface Opening {
  days: number[];
  open: number;
  close: number;
}

/** A weekly schedule; `null` means always open. */
export type Schedule = Opening[] | null;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function dayIndex(name: string): number {
  const i = DAYS.indexOf(name.slice(0, 3).toLowerCase() as (typeof DAYS)[number]);
  if (i < 0) throw new Error(`unknown day "${name}"`);
  return i;
}

/**
 * Parses "mon-fri 08:00-20:00, sat 09:00-17:00" (day ranges may wrap: "fri-mon"; 24:00 closes at midnight);
 * "always" or "24/7" means always open. Throws an Error naming the bad part.
 */
export function parseSchedule(text: string): Schedule {
  const spec = text.trim().toLowerCase();
  if (spec === 'always' || spec === '24/7') return null;
  const parts = spec.split(',').map((p) => p.trim()).filter(Boolean);
  if (!parts.length) throw new Error('is empty (use "always" for round-the-clock)');
  return parts.map((part) => {
    const m = /^([a-z]+)(?:\s*-\s*([a-z]+))?\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(part);
    if (!m) throw new Error(`cannot read "${part}" (expected e.g. "mon-fri 08:00-20:00")`);
    const [, fromDay, toDay, openText, closeText] = m as unknown as [string, string, string | undefined, string, string];
    const first = dayIndex(fromDay);
    const last = toDay ? dayIndex(toDay) : first;
    const days: number[] = [];
    for (let d = first; ; d = (d + 1) % 7) {
      days.push(d);
      if (d === last) break;
    }
    const open = minutes(openText);
    const close = minutes(closeText);
    if (open >= 24 * 60 || close > 24 * 60 || openText.split(':')[1]! >= '60' || closeText.split(':')[1]! >= '60') {
      throw new Error(`"${part}" has an invalid time`);
    }
    if (close <= open) throw new Error(`"${part}" closes before it opens (overnight windows are not supported)`);
    return { days, open, close };
  });
}

/** Whether the schedule is open at `now` in `tz`. */
export function isOpenAt(schedule: Schedule, now: Date, tz: string): boolean {
  if (schedule === null) return true;
  // Checked on every escalation: the cached zone formatter is ten times cheaper than dayjs's tz().
  const local = new Date(wallClock(now, tz));
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return schedule.some((o) => o.days.includes(local.getUTCDay()) && minute >= o.open && minute < o.close);
}

/** The next moment the schedule opens after `now` (within a week), or undefined when it never does. */
export function nextOpening(schedule: Schedule, now: Date, tz: string): Date | undefined {
  if (schedule === null) return now;
  // Day arithmetic on the wall clock, through the cached zone formatter: dayjs's tz() built a formatter per call and
  // cost about 0.5 ms on every out-of-hours escalation.
  const local = wallClock(now, tz) + (now.getTime() % 1000);
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  for (let ahead = 0; ahead <= 7; ahead += 1) {
    const day = midnight + ahead * DAY_MS;
    const weekday = new Date(day).getUTCDay();
    let best: number | undefined;
    for (const o of schedule) {
      const at = day + o.open * MINUTE_MS;
      if (o.days.includes(weekday) && at > local && (best === undefined || at < best)) best = at;
    }
    if (best !== undefined) return fromWallClock(best, tz);
  }
  return undefined;
}

/** The schedule's windows on one weekday as [open, close) minutes, sorted, overlapping windows merged. */
function windowsOn(schedule: Opening[], weekday: number): Array<[number, number]> {
  const windows = schedule.filter((o) => o.days.includes(weekday)).map((o): [number, number] => [o.open, o.close]);
  windows.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const w of windows) {
    const last = merged.at(-1);
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push(w);
  }
  return merged;
}

/**
 * The moment `hours` of opening time have passed after `start`. A ticket's reply deadline counts only the hours the
 * team works: a complaint filed on Friday night with a 4-hour target is due on Saturday morning, not at 2 am.
 */
export function addOpenHours(schedule: Schedule, start: Date, hours: number, tz: string): Date {
  if (schedule === null) return new Date(start.getTime() + hours * 60 * MINUTE_MS);
  let remaining = hours * 60 * MINUTE_MS;
  const local = wallClock(start, tz) + (start.getTime() % 1000);
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  // Every week holds the same opening time, so the walk ends within this many days.
  const weekly = DAYS.reduce((sum, _, d) => sum + windowsOn(schedule, d).reduce((m, [o, c]) => m + (c - o), 0), 0) * MINUTE_MS;
  const days = 7 * (Math.ceil(remaining / weekly) + 1);
  for (let day = midnight; day <= midnight + days * DAY_MS; day += DAY_MS) {
    for (const [open, close] of windowsOn(schedule, new Date(day).getUTCDay())) {
      const from = Math.max(day + open * MINUTE_MS, local);
      const until = day + close * MINUTE_MS;
      if (from >= until) continue;
      if (remaining <= until - from) return fromWallClock(from + remaining, tz);
      remaining -= until - from;
    }
  }
  throw new Error('the schedule has no opening time');
}

const pad = (n: number) => `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;

/** "Mon–Fri 08:00–20:00, Sat 09:00–17:00" with day names in `lang` (Intl knows every language's names). */
export function describeSchedule(schedule: Schedule, lang = 'en'): string {
  if (schedule === null) return '24/7';
  const format = dateFormatter(lang, { weekday: 'short', timeZone: 'UTC' });
  // 2026-11-01 was a Sunday: day d of the week is d days later.
  const name = (d: number) => format.format(new Date(Date.UTC(2026, 10, 1 + d)));
  return schedule
    .map((o) => {
      const first = o.days[0]!;
      const last = o.days.at(-1)!;
      const days = o.days.length === 1 ? name(first) : `${name(first)}–${name(last)}`;
      return `${days} ${pad(o.open)}–${pad(o.close)}`;
    })
    .join(', ');
}
