/** CSV as spreadsheets read it (RFC 4180): quoted when needed, quotes doubled, CRLF line ends. */
import type { Response } from 'restify';

/** A value as one CSV field. Text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  // A mean's float noise ("-0.7987500000000001") is no figure anyone measured.
  let s = typeof value === 'number' && !Number.isInteger(value) ? String(Number(value.toPrecision(12))) : String(value);
  // Also after leading spaces: some spreadsheets trim a cell before reading it (" =1+1", "\u00a0=HYPERLINK(…)").
  if (typeof value === 'string' && /^[\s\u00a0\u3000]*[=+\-@]|^[\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header line and one line per row, in `columns` order. */
export function toCsv<K extends string>(columns: readonly K[], rows: Array<Record<K, string | number | null | undefined>>): string {
  const lines = [columns.map(csvField).join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** Sends CSV as a download named `name`. */
export function sendCsv(res: Response, name: string, body: string): void {
  res.header('Content-Type', 'text/csv; charset=utf-8');
  res.header('Content-Disposition', `attachment; filename="${name}"`);
  res.sendRaw(200, body);
}
