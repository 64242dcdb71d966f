// Support-lead dashboard: log in, pick a period and filters (kept in the URL so a view can be shared), and see what
// the API returns: KPI tiles against the previous period, daily charts, breakdowns, alerts, the escalation review and
// the misunderstood-utterance inbox. Every number on the page comes from the metrics engine; the page only formats it.
import { renderCharts } from './charts.js';
import { loadInbox } from './inbox.js';
import { initDrawer, loadEscalations } from './review.js';
import { $, api, count, duration, el, intentLabel, nps, onChoice, rate, score, session, whenZoned } from './util.js';

const FILTERS = ['channel', 'locale', 'intent'];

/** The KPI tiles: what each shows, how it is formatted, and which direction is good. */
const TILES = [
  { metric: 'engaged', label: 'Engaged conversations', value: (m) => m.engaged, fmt: count, kind: 'count', sub: (m) => `${count(m.conversations)} in all, ${count(m.open)} still open` },
  { metric: 'containmentRate', label: 'Containment', value: (m) => m.containmentRate, fmt: rate, kind: 'rate', better: 'up', sub: (m) => `${count(m.contained)} contained · ${rate(m.confirmedShare)} confirmed` },
  { metric: 'escalationRate', label: 'Escalation', value: (m) => m.escalationRate, fmt: rate, kind: 'rate', better: 'down', sub: (m) => `${count(m.escalated)} escalated · ${count(m.resolvedByAgent)} resolved by agents` },
  { metric: 'abandonmentRate', label: 'Abandonment', value: (m) => m.abandonmentRate, fmt: rate, kind: 'rate', better: 'down', sub: (m) => `${count(m.abandoned)} left without a resolution` },
  { metric: 'fallbackRate', label: 'Fallback rate', value: (m) => m.fallbackRate, fmt: rate, kind: 'rate', better: 'down', sub: () => 'of customer messages not understood' },
  { metric: 'csat', label: 'CSAT', value: (m) => m.csat.score, fmt: rate, kind: 'rate', better: 'up', sub: (m) => `${count(m.csat.count)} responses · mean ${score(m.csat.mean)} · ${rate(m.csat.responseRate)} answered` },
  { metric: 'nps', label: 'NPS', value: (m) => m.nps.score, fmt: nps, kind: 'points', better: 'up', sub: (m) => `${count(m.nps.count)} responses` },
  { metric: 'frt', label: 'First response (median)', value: (m) => m.frt.median, fmt: duration, kind: 'ms', better: 'down', sub: (m) => `p90 ${duration(m.frt.p90)}` },
  { metric: 'agentFrt', label: 'Agent first response (median)', value: (m) => m.agentFrt.median, fmt: duration, kind: 'ms', better: 'down', sub: (m) => `p90 ${duration(m.agentFrt.p90)}` },
  { metric: 'queueWait', label: 'Queue wait (median)', value: (m) => m.queueWait.median, fmt: duration, kind: 'ms', better: 'down', sub: (m) => `p90 ${duration(m.queueWait.p90)}` },
  { metric: 'timeToResolution', label: 'Time to resolution (median)', value: (m) => m.timeToResolution.median, fmt: duration, kind: 'ms', better: 'down', sub: (m) => `p90 ${duration(m.timeToResolution.p90)}` },
  { metric: 'negativeShare', label: 'Negative sentiment', value: (m) => m.sentiment.negativeShare, fmt: rate, kind: 'rate', better: 'down', sub: (m) => `of conversations · mean sentiment ${score(m.sentiment.mean)}` },
];

/**
 * Ticket tiles, from GET /api/tickets/summary: the period's tickets and, on the last tile, the backlog right now
 * (`current`: nothing to compare with).
 */
const TICKET_TILES = [
  { metric: 'ticketSla', label: 'Tickets closed in time', value: (s) => s.slaMet, fmt: rate, kind: 'rate', better: 'up', sub: (s) => `${count(s.closedOnTime)} of ${count(s.closed)} closed by their due time` },
  { metric: 'ticketsOpened', label: 'Tickets opened', value: (s) => s.opened, fmt: count, kind: 'count', sub: (s) => `${count(s.closed)} closed in the period` },
  { metric: 'ticketTimeToClose', label: 'Time to close a ticket (median)', value: (s) => s.timeToClose.median, fmt: duration, kind: 'ms', better: 'down', sub: (s) => `p90 ${duration(s.timeToClose.p90)}` },
  { metric: 'ticketBacklog', label: 'Open tickets now', value: (s) => s.backlog.open, fmt: count, kind: 'count', current: true, sub: (s) => `${count(s.backlog.overdue)} overdue · ${count(s.backlog.byPriority.high)} high priority` },
];

// ---- the view's state lives in the URL -------------------------------------------------------------------------

/** The filter as the URL holds it: range preset or from/to, plus channel, locale, intent. */
function readUrl() {
  const p = new URLSearchParams(location.search);
  const view = { range: p.get('range') ?? '', from: p.get('from') ?? '', to: p.get('to') ?? '' };
  if (!view.range && !(view.from && view.to)) view.range = '7d';
  for (const f of FILTERS) view[f] = p.get(f) ?? '';
  return view;
}

/** Query string of a view, for the URL and the API alike. */
function queryOf(view) {
  const p = new URLSearchParams();
  if (view.range && view.range !== 'custom') p.set('range', view.range);
  else {
    p.set('from', view.from);
    p.set('to', view.to);
  }
  for (const f of FILTERS) if (view[f]) p.set(f, view[f]);
  return p;
}

function formView() {
  const range = $('range').value;
  const view = { range: range === 'custom' ? '' : range, from: $('from').value, to: $('to').value };
  for (const f of FILTERS) view[f] = $(f).value;
  return view;
}

function showCustom(on) {
  for (const node of document.querySelectorAll('.custom')) node.hidden = !on;
  $('from').required = $('to').required = on;
}

/** Fills a filter select from the period's values, keeping the current choice even if it has no data now. */
function fillSelect(id, values, current, label = (v) => v) {
  const select = $(id);
  const first = select.options[0];
  const all = [...new Set([...values, ...(current ? [current] : [])])];
  select.replaceChildren(first, ...all.map((v) => el('option', { value: v, text: label(v) })));
  select.value = current;
}

// ---- rendering -------------------------------------------------------------------------------------------------

/** "▲ 2.1 pts": the change against the previous period, coloured by whether it is good news. */
function delta(tile, now, before) {
  if (before === null || before === undefined) return { text: 'no earlier data', tone: 'flat' };
  // Nothing to measure now, where the previous period had a figure: "no earlier data" said the opposite.
  if (now === null || now === undefined) return { text: 'none this period', tone: 'flat' };
  // NPS is shown in whole points: the change is that of the figures shown ("-24 against +45" is 69, not 70).
  const d = tile.kind === 'points' ? Math.round(now) - Math.round(before) : now - before;
  if (Math.abs(d) < 1e-12) return { text: 'no change', tone: 'flat' };
  const arrow = d > 0 ? '▲' : '▼';
  const size =
    tile.kind === 'rate' ? `${(Math.abs(d) * 100).toFixed(1)} pts`
    : tile.kind === 'ms' ? duration(Math.abs(d))
    : tile.kind === 'points' ? `${Math.round(Math.abs(d))} pts`
    : count(Math.abs(d));
  const tone = !tile.better ? 'flat' : (d > 0) === (tile.better === 'up') ? 'good' : 'bad';
  return { text: `${arrow} ${size}`, tone };
}

/** One grid of tiles: each value of `current`, and its change against `previous` (null: nothing to compare). */
function renderTileSet(id, tiles, current, previous, against, flagged = new Set()) {
  $(id).replaceChildren(
    ...tiles.map((tile) => {
      const value = tile.value(current);
      const before = previous && !tile.current ? tile.value(previous) : null;
      const d = tile.current ? { text: 'right now', tone: 'flat' } : delta(tile, value, before);
      const change = d.text === 'no earlier data' ? d.text : d.text === 'no change' || d.text === 'none this period' ? `${d.text} (${tile.fmt(before)} before)` : `${d.text} from ${tile.fmt(before)}`;
      // Good or bad news is coloured, and said in words too: colour alone tells nobody who cannot see it.
      const tone = d.tone === 'good' ? ', better' : d.tone === 'bad' ? ', worse' : '';
      const label = tile.current ? d.text : `${change} against ${against}${tone}`;
      return el(
        'article',
        { class: `tile${flagged.has(tile.metric) ? ' alerting' : ''}`, 'data-metric': tile.metric },
        el('h3', { text: tile.label }),
        el('p', { class: 'value', text: tile.fmt(value) }),
        el('p', { class: `delta ${d.tone}`, title: label }, el('span', { 'aria-hidden': 'true', text: d.text }), el('span', { class: 'visually-hidden', text: label })),
        el('p', { class: 'sub', text: tile.sub(current) }),
        flagged.has(tile.metric) ? el('p', { class: 'flag', text: 'Alert' }) : null,
      );
    }),
  );
}

function renderTiles(report, alerts) {
  // A previous period without conversations has nothing to compare with (not "up from 0").
  const prev = report.previous?.overall.conversations ? report.previous.overall : null;
  const against = `${report.previous?.from ?? ''} to ${report.previous?.to ?? ''}`;
  renderTileSet('tiles', TILES, report.overall, prev, against, new Set(alerts.map((a) => a.metric)));
}

function renderTicketTiles(summary, view) {
  const prev = summary.previous.opened || summary.previous.closed ? summary.previous : null;
  renderTileSet('ticket-tiles', TICKET_TILES, summary, prev, `${summary.previous.from} to ${summary.previous.to}`);
  // Tickets have no topic: the intent filter does not narrow them, and the page says so rather than implying it does.
  $('tickets-scope').textContent = view.intent ? 'not filtered by topic: tickets have none' : 'complaints and messages the bot promised a reply to';
}

function renderAlerts(alerts) {
  $('alerts').hidden = alerts.length === 0;
  $('alert-list').replaceChildren(...alerts.map((a) => el('li', { 'data-metric': a.metric, text: a.message })));
}

/** A breakdown table: one row per channel, language or intent. */
function renderBreakdown(id, groups, label = (k) => k) {
  const table = $(id);
  const caption = table.querySelector('caption');
  const head = el('tr', {}, ...['', 'Engaged', 'Containment', 'Escalation', 'Abandonment', 'CSAT (n)'].map((h, i) => el('th', { scope: 'col', text: h, class: i ? 'num' : '' })));
  const max = Math.max(1, ...groups.map((g) => g.engaged));
  const rows = groups.map((g) =>
    el(
      'tr',
      { 'data-key': g.key },
      el('th', { scope: 'row', text: label(g.key) }),
      el('td', { class: 'num bar-cell' }, el('span', { class: 'bar', 'data-width': String(Math.round((100 * g.engaged) / max)) }), el('span', { text: count(g.engaged) })),
      el('td', { class: 'num', text: rate(g.containmentRate) }),
      el('td', { class: 'num', text: rate(g.escalationRate) }),
      el('td', { class: 'num', text: rate(g.abandonmentRate) }),
      el('td', { class: 'num', text: `${rate(g.csat.score)} (${g.csat.count})` }),
    ),
  );
  table.replaceChildren(caption, el('thead', {}, head), el('tbody', {}, ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '6', class: 'muted', text: 'No conversations.' }))])));
  // Bar widths through the CSSOM: the page's CSP allows no inline style attributes.
  for (const bar of table.querySelectorAll('.bar')) bar.style.width = `${bar.dataset.width}%`;
}

// ---- loading ---------------------------------------------------------------------------------------------------

let loading = 0;
/** The days the page shows now (the API's `from` and `to`), which "Custom…" starts from. */
let shown = null;
/** When the figures on screen were counted (the server's clock), and whether their period is still going on. */
let asOf = null;
/** How often the figures of a period that includes today are counted again, while the page is in view. */
const UPDATE_MS = 60_000;
const AUTO_KEY = 'dashboard.autoRefresh';

/** The live regions that read a new view out; a minute's update keeps them quiet (twelve tiles read every minute). */
function announce(on) {
  for (const node of document.querySelectorAll('#main [aria-live]')) node.setAttribute('aria-live', on ? 'polite' : 'off');
}

/**
 * Loads a view: its figures, alerts, ticket tiles and charts, and unless `update` (the minute's refresh) also the
 * escalation list and the inbox, which the lead works through and whose rows should not move under the cursor.
 */
async function load(view, { update = false } = {}) {
  const ticket = ++loading;
  const q = queryOf(view);
  announce(!update);
  if (!update) {
    $('error').hidden = true;
    $('main').classList.remove('failed');
    $('main').setAttribute('aria-busy', 'true');
  }
  const metricsQuery = `${q}&groupBy=day&breakdowns=channel,locale,intent&compare=previous`;
  $('export').href = `/api/metrics?${metricsQuery}&format=csv`;
  $('escalations-export').href = `/api/escalations?${q}&format=csv`;
  try {
    const ticketQuery = new URLSearchParams(q);
    ticketQuery.delete('intent');
    const [report, alerts, tickets] = await Promise.all([
      api('GET', `/api/metrics?${metricsQuery}`),
      api('GET', `/api/alerts?${q}`),
      api('GET', `/api/tickets/summary?${ticketQuery}`),
    ]);
    if (ticket !== loading) return;
    shown = { from: report.from, to: report.to };
    fillSelect('channel', report.facets.channel, view.channel);
    fillSelect('locale', report.facets.locale, view.locale, (v) => v.toUpperCase());
    fillSelect('intent', report.facets.intent, view.intent, intentLabel);
    const filtered = FILTERS.filter((f) => view[f]).map((f) => `${f} ${f === 'intent' ? intentLabel(view[f]) : view[f]}`);
    // Today is not over: its figures are a part of a day, compared with whole ones. A custom period may lie ahead.
    // Today is the server's, as the periods are: a laptop's clock or zone may be a day off.
    const today = report.generatedAt.slice(0, 10);
    const partial = report.from > today ? ' (not begun yet)' : report.to >= today ? ` (${today} so far)` : '';
    $('period').textContent = `${report.from} to ${report.to} (UTC)${partial}${filtered.length ? ` · ${filtered.join(' · ')}` : ''} · compared with ${report.previous.from} to ${report.previous.to}`;
    renderAlerts(alerts.alerts);
    renderTiles(report, alerts.alerts);
    renderTicketTiles(tickets, view);
    renderCharts(report);
    renderBreakdown('by-channel', report.breakdowns.channel);
    renderBreakdown('by-locale', report.breakdowns.locale, (k) => k.toUpperCase());
    renderBreakdown('by-intent', report.breakdowns.intent, intentLabel);
    asOf = { at: report.generatedAt, going: report.from <= today && report.to >= today, loadedAt: Date.now() };
    showAsOf();
    if (!update) await Promise.all([loadEscalations(q), loadInbox(q, view)]);
  } catch (error) {
    if (ticket !== loading) return;
    if (update && asOf) {
      // The figures on screen are still those of this view: they stay, said to be older than they should be.
      showAsOf(`Could not update at ${whenZoned(new Date().toISOString())} (${error.message}).`);
      return;
    }
    // The figures of the view before are no answer to this one: a refused period left them under the new address.
    asOf = null;
    $('main').classList.add('failed');
    $('period').textContent = 'Nothing to show for this view.';
    $('error').textContent = error.message;
    $('error').hidden = false;
  } finally {
    if (ticket === loading) $('main').removeAttribute('aria-busy');
  }
}

/** The line under the period: when its figures were counted, and whether they follow the day as it goes. */
function showAsOf(problem = '') {
  if (!asOf) return;
  const auto = $('auto-refresh').checked;
  const follows = asOf.going ? (auto ? ', updated every minute' : '') : '; the period is over';
  $('as-of').textContent = `${problem ? `${problem} ` : ''}Figures as of ${whenZoned(asOf.at)}${follows}.`;
  $('as-of').parentElement.classList.toggle('stale', Boolean(problem));
  $('auto-refresh').parentElement.hidden = !asOf.going;
}

/** The minute's update: only for a period still going on, with the page in view and the lead not signed out. */
function update() {
  if (!asOf?.going || !$('auto-refresh').checked || document.hidden || $('main').hidden || $('main').classList.contains('failed')) return;
  load(readUrl(), { update: true });
}

function applyView(view, push) {
  $('range').value = view.range || 'custom';
  showCustom(!view.range);
  $('from').value = view.from;
  $('to').value = view.to;
  for (const f of FILTERS) fillSelect(f, [], view[f]);
  const search = `?${queryOf(view)}`;
  if (push && search !== location.search) history.pushState(null, '', search);
  return load(view);
}

onChoice($('range'), () => {
  const custom = $('range').value === 'custom';
  showCustom(custom);
  // A custom period starts as the one on screen: the lead moves a date or two rather than typing both.
  if (custom && shown) {
    $('from').value = shown.from;
    $('to').value = shown.to;
  }
  if (custom) $('from').focus();
  else $('filters').requestSubmit();
});
for (const f of FILTERS) onChoice($(f), () => $('filters').requestSubmit());
$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  const view = formView();
  const undated = !view.range && (!view.from || !view.to || view.from > view.to);
  for (const id of ['from', 'to']) $(id).setAttribute('aria-invalid', String(undated));
  if (undated) {
    $('error').textContent = 'Pick a start and an end date, the start first.';
    $('error').hidden = false;
    return;
  }
  applyView(view, true);
});
window.addEventListener('popstate', () => applyView(readUrl(), false));
$('refresh').addEventListener('click', () => applyView(readUrl(), false));
$('auto-refresh').checked = localStorage.getItem(AUTO_KEY) !== 'off';
$('auto-refresh').addEventListener('change', () => {
  localStorage.setItem(AUTO_KEY, $('auto-refresh').checked ? 'on' : 'off');
  showAsOf();
});
setInterval(update, UPDATE_MS);
// Back to a tab left in the background: its figures are brought up to date at once rather than within the minute.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && asOf && Date.now() - asOf.loadedAt >= UPDATE_MS) update();
});
// The sticky filter bar wraps to two rows on a tablet: focus and section links scroll to below its real height.
new ResizeObserver(([entry]) => document.documentElement.style.setProperty('--filters-height', `${Math.ceil(entry.target.getBoundingClientRect().height)}px`)).observe($('filters'));

// ---- session ---------------------------------------------------------------------------------------------------

function show(which) {
  for (const id of ['login-view', 'role-view', 'main']) $(id).hidden = id !== which;
  $('sections').hidden = which !== 'main';
  $('logout').hidden = which === 'login-view';
}

function showLogin(message = '') {
  session.user = null;
  show('login-view');
  $('whoami').textContent = '';
  $('login-error').textContent = message;
  $('username').focus();
}

function start(me) {
  session.user = me.user;
  session.csrf = me.csrfToken;
  $('whoami').textContent = `${me.user.username} (${me.user.role})`;
  if (me.user.role !== 'lead' && me.user.role !== 'admin') {
    $('role-message').textContent = `The dashboard is for leads and admins; you are signed in as ${me.user.username}, an ${me.user.role}.`;
    show('role-view');
    return;
  }
  show('main');
  applyView(readUrl(), false);
}

session.onUnauthorized = () => showLogin('Your session has ended. Log in again.');
initDrawer();

/** Marks the login fields as refused (or not) for assistive technology, beside the error said in words. */
function markInvalid(refused) {
  for (const id of ['username', 'password']) $(id).setAttribute('aria-invalid', String(refused));
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  markInvalid(false);
  try {
    start(await api('POST', '/api/auth/login', { username: $('username').value, password: $('password').value }));
    $('password').value = '';
  } catch (error) {
    $('login-error').textContent = error.message;
    markInvalid(true);
  }
});

$('logout').addEventListener('click', async () => {
  await api('POST', '/api/auth/logout').catch(() => undefined);
  showLogin();
});

fetch('/api/auth/me', { credentials: 'same-origin' })
  .then(async (res) => (res.ok ? start(await res.json()) : showLogin()))
  .catch(() => showLogin('The server cannot be reached.'));
