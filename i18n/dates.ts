/** Dates as customers read them: "Thursday, 3 December (in 2 days)", in their language and the shop's time zone. */
import dayjs from 'dayjs';
import 'dayjs/locale/es.js';
import 'dayjs/locale/fa.js';
import 'dayjs/locale/zh-cn.js';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { t } from './index.js';

dayjs.extend(utc);
dayjs.extend(timezone);

const DAYJS_LOCALE: Record<string, string> = { en: 'en', es: 'es', zh: 'zh-cn', fa: 'fa' };

/** Calendar days from `now` to `date` in `tz` (0 = today, 1 = tomorrow, -1 = yesterday). */
export function calendarDaysBetween(now: Date, date: Date, tz: string): number {
  const a = dayjs(now).tz(tz).startOf('day');
  const b = dayjs(date).tz(tz).startOf('day');
  return Math.round(b.diff(a, 'hour') / 24);
}

/** "Thursday, 3 December" in `lang`. */
export function formatDay(date: Date, lang: string, tz: string): string {
  return dayjs(date).tz(tz).locale(DAYJS_LOCALE[lang] ?? 'en').format(t(lang, 'date.format'));
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

/** "14:00, Thursday 3 December" style date and time. */
export function formatDateTime(date: Date, lang: string, tz: string): string {
  return dayjs(date).tz(tz).locale(DAYJS_LOCALE[lang] ?? 'en').format(t(lang, 'date.formatWithTime'));
}

/** An amount with its currency, in the language's number style. */
export function formatMoney(amount: number, currency: string, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(amount);
}
