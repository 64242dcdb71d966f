/** Dates as customers read them: "Thursday, 3 December (in 2 days)", in their language and the shop's time zone. */
import dayjs from 'dayjs';
import 'dayjs/locale/es.js';
import 'dayjs/locale/fa.js';
import 'dayjs/locale/zh-cn.js';
import utc from 'dayjs/plugin/utc.js';
import { t } from './index.js';

dayjs.extend(utc);

const DAYJS_LOCALE: Record<string, string> = { en: 'en', es: 'es', zh: 'zh-cn', fa: 'fa' };
const DAY_MS = 86_400_000;

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A memoised `Intl.DateTimeFormat`: building one costs 50–150 µs (measured), more than formatting with it, and
 * dayjs's timezone plugin builds one on every call.
 */
export function dateFormatter(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = dateFormatters.get(key);
  if (!f) dateFormatters.set(key, (f = new Intl.DateTimeFormat(lang, options)));
  return f;
}

/** Whether `value` names a time zone this runtime knows ("Australia/Sydney"); a client's word for it is checked. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64 || !/^[A-Za-z][\w+\-/]*$/.test(value)) return false;
  try {
    zoneFormatter(value);
    return true;
  } catch {
    return false;
  }
}

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  return dateFormatter('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
}

/** The wall-clock time of `date` in `tz`, as a UTC instant with the same fields (for formatting and day arithmetic). */
export function wallClock(date: Date, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of zoneFormatter(tz).formatToParts(date)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year as number, (parts.month as number) - 1, parts.day as number, parts.hour as number, parts.minute as number, parts.second as number);
}

/**
 * The instant whose wall-clock time in `tz` is `wall` (the inverse of `wallClock`). A wall time a clock change skips
 * comes out an hour early; one it repeats, as its first occurrence.
 */
export function fromWallClock(wall: number, tz: string): Date {
  // The zone's offset at an instant; seconds-precise like wallClock.
  const offset = (at: number) => wallClock(new Date(at), tz) - Math.floor(at / 1000) * 1000;
  // The offset at the wall time read as UTC is right unless a clock change lies between the two; a second pass with
  // the offset at the first guess settles it.
  const guess = wall - offset(wall);
  return new Date(wall - offset(guess));
}

/** Calendar days from `now` to `date` in `tz` (0 = today, 1 = tomorrow, -1 = yesterday). */
export function calendarDaysBetween(now: Date, date: Date, tz: string): number {
  const day = (d: Date) => Math.floor(wallClock(d, tz) / DAY_MS);
  return day(date) - day(now);
}

/** Formats the wall-clock time of `date` in `tz` with a dayjs pattern in `lang`. */
function formatIn(date: Date, lang: string, tz: string, pattern: string): string {
  return dayjs.utc(wallClock(date, tz)).locale(DAYJS_LOCALE[lang] ?? 'en').format(pattern);
}

/** "Thursday, 3 December" in `lang`. */
export function formatDay(date: Date, lang: string, tz: string): string {
  return formatIn(date, lang, tz, t(lang, 'date.format'));
}

/** "today", "tomorrow", "in 3 days", "yesterday", "5 days ago" in `lang`. */
export function relativeDay(now: Date, date: Date, lang: string, tz: string): string {
  const days = calendarDaysBetween(now, date, tz);
  if (days === 0) return t(lang, 'date.today');
  if (days === 1) return t(lang, 'date.tomorrow');
  if (days === -1) return t(lang, 'date.yesterday');
  return days > 0 ? t(lang, 'date.inDays', { n: days }) : t(lang, 'date.daysAgo', { n: -days });
}

/** "Thursday, 3 December (in 2 days)". */
export function formatDayWithRelative(now: Date, date: Date, lang: string, tz: string): string {
  return t(lang, 'date.withRelative', { date: formatDay(date, lang, tz), relative: relativeDay(now, date, lang, tz) });
}

/** The name of `tz` in `lang` at `date`, without daylight-saving detail: "Eastern Time", "hora del este". */
export function zoneName(date: Date, lang: string, tz: string): string {
  const part = dateFormatter(lang, { timeZone: tz, timeZoneName: 'longGeneric' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
  return part?.value ?? tz;
}

const listFormats = new Map<string, Intl.ListFormat>();

/** "a, b and c" in `lang`. */
export function formatList(items: string[], lang: string): string {
  let f = listFormats.get(lang);
  if (!f) listFormats.set(lang, (f = new Intl.ListFormat(lang, { type: 'conjunction' })));
  return f.format(items);
}

/** "Monday 08:00": a weekday and a time of day in `lang`, on the wall clock of `tz`. */
export function formatWeekdayTime(date: Date, lang: string, tz: string): string {
  return dateFormatter(lang, { weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(date);
}

/**
 * "Thursday, 3 December at 14:00 Eastern Time": a time the customer is promised, with the zone it is on. Without it a
 * customer elsewhere read "by 12:57" at 13:57 their time as already past.
 */
export function formatDateTime(date: Date, lang: string, tz: string): string {
  return t(lang, 'date.withZone', { time: formatIn(date, lang, tz, t(lang, 'date.formatWithTime')), zone: zoneName(date, lang, tz) });
}

const moneyFormatters = new Map<string, Intl.NumberFormat>();

/** An amount with its currency, in the language's number style. */
export function formatMoney(amount: number, currency: string, lang: string): string {
  const key = `${lang}:${currency}`;
  let f = moneyFormatters.get(key);
  if (!f) moneyFormatters.set(key, (f = new Intl.NumberFormat(lang, { style: 'currency', currency })));
  return f.format(amount);
}
