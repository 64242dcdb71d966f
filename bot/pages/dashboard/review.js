// Escalation review: the handoffs of the period with reason, wait, agent, outcome and CSAT, and a transcript drawer
// (a modal <dialog>: focus moves in, Escape closes, focus returns) marking the sentiment of each customer message.
import { $, api, duration, el, intentLabel, REASONS, timeEl, whenZoned, zoneName } from './util.js';

const OUTCOMES = { resolved_by_agent: 'Resolved by agent', escalated: 'Escalated, not resolved', open: 'Still open' };
const STATUS = { queued: 'waiting', active: 'with agent', resolved: 'resolved', abandoned: 'abandoned' };
let rows = [];
/** Rows shown before "Show all": the newest escalations matter most, and a long table buries the sections below. */
const PAGE = 25;
let showAll = false;

/** Loads and shows the escalations of a query (period + filter). */
export async function loadEscalations(q) {
  const data = await api('GET', `/api/escalations?${q}`);
  rows = data.items;
  showAll = false;
  renderRows();
}

function renderRows() {
  const shown = showAll ? rows : rows.slice(0, PAGE);
  const head = ['Handoff', `Started (${zoneName()})`, 'Reason', 'Channel · language', 'Topic', 'Queue wait', 'Agent', 'Handoff · conversation', 'CSAT', ''];
  $('escalation-table').replaceChildren(
    el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { scope: 'col', text: h, class: [5, 8].includes(i) ? 'num' : '' })))),
    el(
      'tbody',
      {},
      ...shown.map((r) =>
        el(
          'tr',
          { 'data-id': r.id },
          el('th', { scope: 'row', text: r.id }),
          el('td', {}, timeEl(r.createdAt)),
          el('td', { text: REASONS[r.reason] ?? r.reason ?? '–' }),
          el('td', { text: `${r.channel} · ${r.locale.toUpperCase()}` }),
          el('td', { text: intentLabel(r.intent) }),
          el('td', { class: 'num', text: r.queueWaitMs === null ? (r.status === 'queued' ? 'waiting' : 'not taken') : duration(r.queueWaitMs) }),
          el('td', { text: r.agent ?? '–' }),
          el('td', {}, el('span', { class: `badge ${r.status}`, text: STATUS[r.status] ?? r.status }), ' ', OUTCOMES[r.outcome] ?? ''),
          el('td', { class: 'num', text: r.csat === null ? '–' : `${r.csat}/5` }),
          el('td', {}, el('button', { type: 'button', class: 'secondary small', 'data-open': r.id, 'aria-label': `Open the transcript of ${r.id}`, text: 'Transcript' })),
        ),
      ),
    ),
  );
  $('escalations-empty').hidden = rows.length > 0;
  $('escalation-table').hidden = rows.length === 0;
  $('escalations-more').hidden = shown.length === rows.length;
  $('escalations-more').textContent = `Show all ${rows.length} escalations`;
  $('escalations-count').textContent = rows.length ? `${rows.length} escalation${rows.length === 1 ? '' : 's'}${shown.length < rows.length ? `, the newest ${shown.length} shown` : ''}.` : '';
}

/** One turn in the drawer; customer messages carry their sentiment and what the bot understood. */
function turnItem(t) {
  const who = t.actor === 'customer' ? 'Customer' : t.actor === 'agent' ? 'Agent' : 'Bot';
  const marks = [];
  if (t.actor === 'customer' && t.sentiment) {
    marks.push(el('span', { class: `sentiment ${t.sentiment.label}`, text: `${t.sentiment.label} ${t.sentiment.score.toFixed(2)}` }));
  }
  if (t.actor === 'customer' && t.intent) marks.push(el('span', { class: 'chip', text: `${t.intent}${t.score === null ? '' : ` ${t.score.toFixed(2)}`}` }));
  if (t.outcome === 'fallback' && t.actor === 'customer') marks.push(el('span', { class: 'chip warn', text: 'not understood' }));
  return el(
    'li',
    { class: `turn ${t.actor}`, 'data-sentiment': t.sentiment?.label ?? '' },
    el('span', { class: 'who' }, `${who} · `, timeEl(t.ts)),
    el('span', { class: 'text', dir: 'auto', lang: t.locale, text: t.text }),
    marks.length ? el('span', { class: 'marks' }, ...marks) : null,
  );
}

let opener = null;

/**
 * Opens the drawer with a title, facts and turns (message records only); closing it gives the focus back to `from`,
 * the control that opened it. (Taken when the request starts: a button disabled while it loads has lost the focus by
 * the time the answer comes, and the focus would then go back to the top of the page.)
 */
export function openDrawer(title, facts, turns, from = document.activeElement) {
  opener = from;
  $('drawer-title').textContent = title;
  // The turns' times are the lead's local ones: say which zone that is.
  const all = [...facts, ['Times', `${zoneName()} (your time zone)`]];
  $('drawer-facts').replaceChildren(...all.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  $('drawer-turns').replaceChildren(...turns.filter((t) => !t.type && t.text).map(turnItem));
  if (!$('drawer').open) $('drawer').showModal();
  $('drawer-close').focus();
}

async function openHandoff(id, button) {
  button.disabled = true;
  try {
    const { handoff, turns } = await api('GET', `/api/handoffs/${encodeURIComponent(id)}/transcript`);
    const r = rows.find((x) => x.id === id);
    openDrawer(`${id} · ${REASONS[handoff.reason] ?? handoff.reason}`, [
      ['Status', handoff.status],
      ['Agent', handoff.agent ?? '–'],
      ['Queue wait', r ? duration(r.queueWaitMs) : '–'],
      ['CSAT', r?.csat === null || !r ? '–' : `${r.csat}/5`],
      ['Channel', `${handoff.channel} · ${handoff.locale.toUpperCase()}`],
      ['Note', handoff.note ?? '–'],
    ], turns, button);
  } finally {
    button.disabled = false;
  }
}

/** Opens a conversation's turns (GET /api/conversations/{id}). */
export async function openConversation(id) {
  const from = document.activeElement;
  const { turns } = await api('GET', `/api/conversations/${encodeURIComponent(id)}`);
  const first = turns[0];
  openDrawer(`Conversation ${id}`, [['Channel', `${first.channel} · ${first.locale.toUpperCase()}`], ['Started', whenZoned(first.ts)], ['Turns', String(turns.length)]], turns, from);
}

/** Shows an error in the page's alert banner. */
export function showError(error) {
  $('error').textContent = error.message;
  $('error').hidden = false;
}

/** Wires the table's buttons and the drawer's closing. */
export function initDrawer() {
  $('escalation-table').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-open]');
    if (button) openHandoff(button.dataset.open, button).catch(showError);
  });
  $('escalations-more').addEventListener('click', () => {
    showAll = true;
    renderRows();
    $('escalation-table').querySelector(`tbody tr:nth-child(${PAGE + 1}) button`)?.focus();
  });
  $('drawer-close').addEventListener('click', () => $('drawer').close());
  $('drawer').addEventListener('close', () => opener?.focus?.());
  // A click on the backdrop (outside the panel) closes the drawer.
  $('drawer').addEventListener('click', (event) => {
    if (event.target === $('drawer')) $('drawer').close();
  });
}
