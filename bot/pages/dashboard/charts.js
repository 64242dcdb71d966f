// The dashboard's charts (Chart.js, served from the installed package as the `Chart` global) and the daily table.
// Charts plot the API's numbers as they are; each canvas gets a text summary for screen readers, and the daily
// numbers are also a plain table under the charts.
import { $, count, duration, el, intentLabel, rate } from './util.js';

const COLORS = { contained: '#1d7a46', escalated: '#c96a00', abandoned: '#b3261e', other: '#9aa5b1', blue: '#2457c5', purple: '#7b3fb3' };
const charts = new Map();

const pct = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
const minutes = (ms) => (ms === null || ms === undefined ? null : Math.round(ms / 6000) / 10);

/** Draws (or redraws) one chart; the canvas's aria-label says in words what it shows. */
function draw(id, config, summary) {
  charts.get(id)?.destroy();
  const canvas = $(id);
  canvas.setAttribute('aria-label', summary);
  const base = {
    responsive: true,
    maintainAspectRatio: false,
    // Numbers change on every filter: animations would only delay reading them.
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
  };
  charts.set(id, new window.Chart(canvas, { ...config, options: { ...base, ...config.options } }));
}

const line = (label, data, color, extra = {}) => ({ label, data, borderColor: color, backgroundColor: color, spanGaps: true, tension: 0.25, pointRadius: 2, ...extra });
const percentAxis = { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } };

/** Renders every chart of a report (groupBy=day, breakdowns, compare=previous). */
export function renderCharts(report) {
  if (!window.Chart) return;
  // Every day of the period gets a slot; a day without conversations has no data (a gap), not zeros.
  const byDay = new Map(report.groups.map((g) => [g.key, g]));
  const keys = [];
  for (let t = Date.parse(`${report.from}T00:00:00Z`); t <= Date.parse(`${report.to}T00:00:00Z`); t += 86_400_000) keys.push(new Date(t).toISOString().slice(0, 10));
  const days = keys.map((key) => byDay.get(key) ?? empty(key));
  const labels = keys.map((k) => k.slice(5));
  const withData = report.groups;
  const total = (f) => withData.reduce((n, g) => n + f(g), 0);
  const busiest = withData.reduce((a, g) => (!a || g.conversations > a.conversations ? g : a), null);
  const span = `${keys.length} day${keys.length === 1 ? '' : 's'}`;

  draw(
    'chart-volume',
    {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'Contained', data: days.map((g) => g.contained), backgroundColor: COLORS.contained },
          { label: 'Escalated', data: days.map((g) => g.escalated), backgroundColor: COLORS.escalated },
          { label: 'Abandoned', data: days.map((g) => g.abandoned), backgroundColor: COLORS.abandoned },
          { label: 'Not engaged or open', data: days.map((g) => (g.conversations === null ? null : g.conversations - g.contained - g.escalated - g.abandoned)), backgroundColor: COLORS.other },
        ],
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    },
    `Conversations by outcome per day over ${span}: ${total((g) => g.contained)} contained, ${total((g) => g.escalated)} escalated, ${total((g) => g.abandoned)} abandoned${busiest ? `; busiest day ${busiest.key} with ${busiest.conversations}` : ''}.`,
  );

  draw(
    'chart-rates',
    {
      type: 'line',
      data: {
        labels,
        datasets: [
          line('Containment', days.map((g) => pct(g.containmentRate)), COLORS.contained),
          line('Escalation', days.map((g) => pct(g.escalationRate)), COLORS.escalated),
          line('Abandonment', days.map((g) => pct(g.abandonmentRate)), COLORS.abandoned),
          line('Fallback', days.map((g) => pct(g.fallbackRate)), COLORS.purple, { borderDash: [4, 3] }),
        ],
      },
      options: { scales: percentAxis },
    },
    `Daily rates over ${span}; for the whole period containment ${rate(report.overall.containmentRate)}, escalation ${rate(report.overall.escalationRate)}, abandonment ${rate(report.overall.abandonmentRate)}, fallback ${rate(report.overall.fallbackRate)}.`,
  );

  draw(
    'chart-quality',
    {
      type: 'line',
      data: {
        labels,
        datasets: [
          line('CSAT (share 4–5)', days.map((g) => pct(g.csat.score)), COLORS.blue),
          line('Negative sentiment share', days.map((g) => pct(g.sentiment.negativeShare)), COLORS.abandoned),
        ],
      },
      options: { scales: percentAxis },
    },
    `Daily CSAT and negative-sentiment share over ${span}; for the whole period CSAT ${rate(report.overall.csat.score)} and negative sentiment ${rate(report.overall.sentiment.negativeShare)}.`,
  );

  draw(
    'chart-waits',
    {
      type: 'line',
      data: {
        labels,
        datasets: [
          line('Queue wait, minutes', days.map((g) => minutes(g.queueWait.median)), COLORS.escalated),
          line('Agent first response, minutes', days.map((g) => minutes(g.agentFrt.median)), COLORS.blue),
        ],
      },
      options: { scales: { y: { beginAtZero: true } } },
    },
    `Daily median queue wait and agent first response over ${span}; for the whole period ${duration(report.overall.queueWait.median)} and ${duration(report.overall.agentFrt.median)}.`,
  );

  const { bot, agent } = report.overall.csat;
  const prev = report.previous?.overall.csat;
  draw(
    'chart-csat-split',
    {
      type: 'bar',
      data: {
        labels: [`Bot only (${bot.count})`, `Agent handled (${agent.count})`],
        datasets: [
          { label: `${report.from} to ${report.to}`, data: [pct(bot.score), pct(agent.score)], backgroundColor: COLORS.blue },
          ...(prev ? [{ label: `${report.previous.from} to ${report.previous.to}`, data: [pct(prev.bot.score), pct(prev.agent.score)], backgroundColor: COLORS.other }] : []),
        ],
      },
      options: { scales: percentAxis },
    },
    `CSAT of conversations the bot handled alone: ${rate(bot.score)} from ${bot.count} answers; handled by an agent: ${rate(agent.score)} from ${agent.count} answers.`,
  );

  const intents = [...(report.breakdowns?.intent ?? [])].sort((a, b) => b.engaged - a.engaged);
  draw(
    'chart-intents',
    {
      type: 'bar',
      data: {
        labels: intents.map((g) => intentLabel(g.key)),
        datasets: [
          { label: 'Contained', data: intents.map((g) => g.contained), backgroundColor: COLORS.contained },
          { label: 'Escalated', data: intents.map((g) => g.escalated), backgroundColor: COLORS.escalated },
          { label: 'Abandoned', data: intents.map((g) => g.abandoned), backgroundColor: COLORS.abandoned },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } },
    },
    `Outcomes by intent: ${intents.slice(0, 5).map((g) => `${intentLabel(g.key)} ${g.engaged}`).join(', ')}${intents.length > 5 ? ', …' : ''}.`,
  );

  renderDailyTable(withData);
}

/** A day without conversations: every value null, so charts leave a gap. */
function empty(key) {
  const d = { median: null, p90: null };
  return {
    key, conversations: null, contained: null, escalated: null, abandoned: null, containmentRate: null, escalationRate: null, abandonmentRate: null,
    fallbackRate: null, csat: { score: null }, sentiment: { negativeShare: null }, queueWait: d, agentFrt: d,
  };
}

function renderDailyTable(days) {
  const columns = [
    ['Day', (g) => g.key],
    ['Conversations', (g) => count(g.conversations)],
    ['Engaged', (g) => count(g.engaged)],
    ['Containment', (g) => rate(g.containmentRate)],
    ['Escalation', (g) => rate(g.escalationRate)],
    ['Abandonment', (g) => rate(g.abandonmentRate)],
    ['Fallback', (g) => rate(g.fallbackRate)],
    ['CSAT', (g) => rate(g.csat.score)],
    ['Negative', (g) => rate(g.sentiment.negativeShare)],
    ['Queue wait', (g) => duration(g.queueWait.median)],
  ];
  $('daily-table').replaceChildren(
    el('thead', {}, el('tr', {}, ...columns.map(([h]) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, ...days.map((g) => el('tr', {}, ...columns.map(([, f], i) => el(i ? 'td' : 'th', { ...(i ? { class: 'num' } : { scope: 'row' }), text: f(g) }))))),
  );
}
