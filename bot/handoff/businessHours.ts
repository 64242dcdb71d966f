/**
 * When people are there to take a handoff: "mon-fri 08:00-20:00, sat 09:00-17:00" in the shop's time zone, except
 * on the days the team is closed ("12-25, 2026-12-24"). Outside these hours the bot offers to take a message instead
 * of queueing the customer.
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

/** Days the team does not work whatever the weekly schedule says (public holidays, a stocktake). */
export interface Closures {
  /** Whether the local calendar day `YYYY-MM-DD` is closed. */
  has(day: string): boolean;
}

/** No closed days. */
export const NO_CLOSURES: Closures = { has: () => false };

/** How far the searches for open time look past closed days: a list could close every day of the year. */
const SEARCH_DAYS = 10 * 366;

/** `YYYY-MM-DD` of a wall-clock midnight (milliseconds since the epoch, read as UTC). */
const dayKey = (midnight: number): string => new Date(midnight).toISOString().slice(0, 10);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEARLY = /^(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` of a real calendar day, else undefined (2027-02-29 is not one). */
function calendarDay(text: string): string | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text ? text : undefined;
}

/**
 * Parses "12-25, 01-01, 2026-12-24, 2027-04-02..2027-04-05": a month and day closes every year, a date closes once,
 * and `..` joins the first and last day of a closure. Empty means no closed days. Throws an Error naming the bad part.
 */
export function parseClosures(text: string): Closures {
  const dates = new Set<string>();
  const yearly = new Set<string>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const yearlyMatch = YEARLY.exec(part);
    if (yearlyMatch) {
      // 2028 is a leap year: every month-and-day that exists in some year exists in it.
      if (!calendarDay(`2028-${part}`)) throw new Error(`"${part}" is not a day of the year`);
      yearly.add(part);
      continue;
    }
    const [first = '', last = first, extra] = part.split('..').map((d) => d.trim());
    if (extra !== undefined || !DATE.test(first) || !DATE.test(last)) {
      throw new Error(`cannot read "${part}" (expected MM-DD, YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)`);
    }
    const from = calendarDay(first);
    const to = calendarDay(last);
    if (!from || !to) throw new Error(`"${part}" is not a calendar date`);
    if (to < from) throw new Error(`"${part}" ends before it starts`);
    if (Date.parse(to) - Date.parse(from) >= 366 * DAY_MS) throw new Error(`"${part}" is longer than a year`);
    for (let day = Date.parse(from); day <= Date.parse(to); day += DAY_MS) dates.add(dayKey(day));
  }
  if (!dates.size && !yearly.size) return NO_CLOSURES;
  return { has: (day) => dates.has(day) || yearly.has(day.slice(5)) };
}

/** Round the clock, every day: what "always" means once some days are closed. */
const ALL_DAY: Opening[] = [{ days: [0, 1, 2, 3, 4, 5, 6], open: 0, close: 24 * 60 }];

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** 0–6 for a day's name or its three-letter form; anything else (not "month", not "satan") is refused by name. */
function dayIndex(name: string): number {
  const word = name.toLowerCase();
  const i = word.length === 3 ? DAYS.indexOf(word as (typeof DAYS)[number]) : DAY_NAMES.indexOf(word as (typeof DAY_NAMES)[number]);
  if (i < 0) throw new Error(`has an unknown day "${name}" (use mon, tue, wed, thu, fri, sat, sun or the whole name)`);
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

/** Whether `now` falls on one of the closed days in `tz`. */
export function isClosedDay(closed: Closures, now: Date, tz: string): boolean {
  return closed !== NO_CLOSURES && closed.has(dayKey(wallClock(now, tz)));
}

/** Noon, as an instant, of each closed day among the `days` local calendar days from `now`'s on. */
export function closedDaysAhead(closed: Closures, now: Date, tz: string, days: number): Date[] {
  if (closed === NO_CLOSURES) return [];
  const today = Math.floor(wallClock(now, tz) / DAY_MS) * DAY_MS;
  const out: Date[] = [];
  for (let day = today; day < today + days * DAY_MS; day += DAY_MS) {
    if (closed.has(dayKey(day))) out.push(fromWallClock(day + 12 * 60 * MINUTE_MS, tz));
  }
  return out;
}

/** Whether the schedule is open at `now` in `tz`, and the day is not closed. */
export function isOpenAt(schedule: Schedule, now: Date, tz: string, closed: Closures = NO_CLOSURES): boolean {
  if (schedule === null && closed === NO_CLOSURES) return true;
  if (isClosedDay(closed, now, tz)) return false;
  // Checked on every escalation: the cached zone formatter is ten times cheaper than dayjs's tz().
  const local = new Date(wallClock(now, tz));
  if (schedule === null) return true;
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return schedule.some((o) => o.days.includes(local.getUTCDay()) && minute >= o.open && minute < o.close);
}

/**
 * The next moment the schedule opens after `now` (within a week of the closed days that come first), or undefined
 * when it never does. Open now means now.
 */
export function nextOpening(schedule: Schedule, now: Date, tz: string, closed: Closures = NO_CLOSURES): Date | undefined {
  if (schedule === null && closed === NO_CLOSURES) return now;
  // Day arithmetic on the wall clock, through the cached zone formatter: dayjs's tz() built a formatter per call and
  // cost about 0.5 ms on every out-of-hours escalation.
  const local = wallClock(now, tz) + (now.getTime() % 1000);
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  if (schedule === null && !closed.has(dayKey(midnight))) return now;
  const windows = schedule ?? ALL_DAY;
  // A week of days the list leaves open holds every weekday once.
  for (let ahead = 0, openDays = 0; openDays <= 7 && ahead <= SEARCH_DAYS; ahead += 1) {
    const day = midnight + ahead * DAY_MS;
    if (closed.has(dayKey(day))) continue;
    openDays += 1;
    const weekday = new Date(day).getUTCDay();
    let best: number | undefined;
    for (const o of windows) {
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
export function addOpenHours(schedule: Schedule, start: Date, hours: number, tz: string, closed: Closures = NO_CLOSURES): Date {
  if (schedule === null && closed === NO_CLOSURES) return new Date(start.getTime() + hours * 60 * MINUTE_MS);
  const windows = schedule ?? ALL_DAY;
  let remaining = hours * 60 * MINUTE_MS;
  const local = wallClock(start, tz) + (start.getTime() % 1000);
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  // Every week holds the same opening time, so the walk ends within this many days the list leaves open.
  const weekly = DAYS.reduce((sum, _, d) => sum + windowsOn(windows, d).reduce((m, [o, c]) => m + (c - o), 0), 0) * MINUTE_MS;
  const days = 7 * (Math.ceil(remaining / weekly) + 1);
  for (let day = midnight, openDays = 0; openDays <= days && day <= midnight + (days + SEARCH_DAYS) * DAY_MS; day += DAY_MS) {
    if (closed.has(dayKey(day))) continue;
    openDays += 1;
    for (const [open, close] of windowsOn(windows, new Date(day).getUTCDay())) {
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
