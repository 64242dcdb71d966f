// Shared helpers of the dashboard: DOM building, the API call (cookie + CSRF), and number formatting.
// Every text from the server goes in through textContent, never as HTML.

export const $ = (id) => document.getElementById(id);

/** Session facts the API calls need. */
export const session = { csrf: '', user: null, onUnauthorized: () => undefined };

/** Creates an element: props (class, text, attributes) and children. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** Calls the API; throws with the server's message; a 401 sends the lead back to the login form. */
export async function api(method, path, body) {
  const headers = { 'X-CSRF-Token': session.csrf };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401 && path !== '/api/auth/login') session.onUnauthorized();
  if (!res.ok) throw new Error(data?.error?.message ?? `Request failed (${res.status})`);
  return data;
}

const DASH = '–';

/** 0.4567 → "45.7%". */
export const rate = (v) => (v === null || v === undefined ? DASH : `${(v * 100).toFixed(1)}%`);

/** Milliseconds as "850 ms", "4.2 s", "3.5 min", "2.1 h". */
export function duration(ms) {
  if (ms === null || ms === undefined) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** A count with thousands separators. */
export const count = (v) => (v === null || v === undefined ? DASH : Number(v).toLocaleString('en-US'));

/** NPS: a whole number with its sign. */
export const nps = (v) => (v === null || v === undefined ? DASH : `${v > 0 ? '+' : ''}${Math.round(v)}`);

/** A mean score with two decimals. */
export const score = (v) => (v === null || v === undefined ? DASH : v.toFixed(2));

// Times of day are the lead's own (the browser's time zone), and say so, as on the agent console; the period's days
// stay UTC days (the metrics' own), which the period line says.

/** The browser's short name for its time zone at `iso` (default now): "GMT+5:30", "CET". */
export function zoneName(iso) {
  const d = iso ? new Date(iso) : new Date();
  return new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** "2026-11-25T15:04:05Z" → "25 Nov, 20:34" in the browser's zone (which the column or the drawer names). */
export function when(iso) {
  if (!iso) return DASH;
  const d = new Date(iso);
  return `${d.getDate()} ${d.toLocaleString('en-US', { month: 'short' })}, ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** "25 Nov, 20:34 GMT+5:30": a time that stands alone, its zone named. */
export const whenZoned = (iso) => (iso ? `${when(iso)} ${zoneName(iso)}` : DASH);

const FULL = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });

/** A <time> showing `when`, the full date-time with its zone in its title. */
export function timeEl(iso) {
  if (!iso) return DASH;
  const d = new Date(iso);
  return el('time', { datetime: d.toISOString(), title: FULL.format(d) }, when(iso));
}

/** Labels of handoff reasons, as the agent console shows them. */
export const REASONS = {
  requested: 'Asked for a person',
  fallbacks: 'Bot did not understand',
  negative_sentiment: 'Upset customer',
  complaint: 'Urgent complaint',
  faq_unhelpful: 'FAQ did not help',
};

/** An intent key as shown: "(none)" is a conversation without a topic. */
export const intentLabel = (key) => (key === '(none)' ? '(no topic)' : key);

/**
 * Calls `apply` when a select's choice is made: at once with the mouse, but from the keyboard on Enter or on leaving
 * the select. Arrow keys on a closed select change it at every step: each reloaded the dashboard and read every tile out.
 */
export function onChoice(select, apply) {
  // The value before the keys started moving it; null while no key has.
  let from = null;
  const choose = () => {
    const moved = from !== null && select.value !== from;
    from = null;
    if (moved) apply();
  };
  select.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      choose();
    } else if (event.key !== 'Tab' && event.key !== 'Shift' && from === null) from = select.value;
  });
  select.addEventListener('change', () => from === null && apply());
  select.addEventListener('blur', choose);
}
