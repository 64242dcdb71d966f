// Misunderstood-utterance inbox: groups of similar messages the bot did not understand (or barely did), with counts
// and the classifier's best guess. Assign adds the group's texts to an intent of the language's corpus; Ignore
// dismisses them. Either way they leave the list; the status line says what happened (aria-live).
import { openConversation, showError } from './review.js';
import { $, api, el, whenZoned } from './util.js';

let intents = {};
let groups = [];

/** Loads the inbox for the period of `q` and the view's channel and language; a message has no topic to filter by. */
export async function loadInbox(q, view) {
  const p = new URLSearchParams();
  for (const k of ['range', 'from', 'to']) if (q.get(k)) p.set(k, q.get(k));
  if (view.locale) p.set('lang', view.locale);
  if (view.channel) p.set('channel', view.channel);
  const data = await api('GET', `/api/inbox?${p}`);
  intents = data.intents;
  groups = data.groups;
  render();
  const shown = data.total > groups.length ? `Showing the ${groups.length} largest of ${data.total} groups.` : '';
  // As the ticket tiles say: the intent filter does not narrow this list, and the page says so rather than implying it.
  $('inbox-status').textContent = [shown, view.intent ? 'Not filtered by intent: these messages were not understood.' : ''].filter(Boolean).join(' ');
}

/**
 * The intent a group starts with: the classifier's best guess when the corpus has it, else none, so that Assign adds
 * nothing until the lead has chosen (a quick Assign used to file gibberish under whatever intent came first).
 */
function defaultIntent(g) {
  return g.guess && (intents[g.lang] ?? []).includes(g.guess.intent) ? g.guess.intent : '';
}

/** What the classifier made of a group: "best guess faq.returns (0.42)", "best guess out of scope" or "no guess". */
function guessText(guess) {
  if (!guess) return 'no guess';
  const score = guess.score === null ? '' : ` (${guess.score.toFixed(2)})`;
  return `best guess ${guess.intent === 'None' ? 'out of scope' : guess.intent}${score}`;
}

function item(g) {
  const chosen = defaultIntent(g);
  const options = [
    el('option', { value: '', text: 'Choose an intent…', selected: !chosen }),
    ...(intents[g.lang] ?? []).map((i) => el('option', { value: i, text: i, selected: i === chosen })),
  ];
  const kinds = [g.kinds.fallback ? `${g.kinds.fallback} not understood` : '', g.kinds.lowConfidence ? `${g.kinds.lowConfidence} low confidence` : ''].filter(Boolean).join(' · ');
  const selectId = `intent-${g.id}`;
  return el(
    'li',
    { class: 'inbox-item', 'data-id': g.id },
    el('p', { class: 'utterance' }, el('q', { dir: 'auto', lang: g.lang, text: g.text }), el('span', { class: 'count', text: `×${g.count}` }), el('span', { class: 'chip', text: g.lang.toUpperCase() })),
    el('p', { class: 'meta muted', text: `${kinds} · ${guessText(g.guess)} · last seen ${whenZoned(g.lastSeen)}` }),
    g.variants.length > 1
      ? el('details', {}, el('summary', { text: `${g.variants.length} variants` }), el('ul', {}, ...g.variants.map((v) => el('li', { dir: 'auto', text: `${v.text} ×${v.count}` }))))
      : null,
    el(
      'div',
      { class: 'actions' },
      // Each control names its group: a screen reader listing the page's controls heard twelve "Assign" buttons.
      el('label', { for: selectId, text: 'Intent' }),
      el('select', { id: selectId, 'data-role': 'intent', 'aria-label': `Intent for “${g.text}”` }, ...options),
      el('button', { type: 'button', 'data-act': 'assign', text: 'Assign', 'aria-label': `Assign “${g.text}”`, disabled: !chosen }),
      el('button', { type: 'button', class: 'secondary', 'data-act': 'ignore', text: 'Ignore', 'aria-label': `Ignore “${g.text}”` }),
      g.examples[0] ? el('button', { type: 'button', class: 'link', 'data-act': 'context', text: 'Read a conversation', 'aria-label': `Read a conversation with “${g.text}”` }) : null,
    ),
  );
}

function render() {
  $('inbox-list').replaceChildren(...groups.map(item));
  $('inbox-empty').hidden = groups.length > 0;
}

/** Assign is for a chosen intent only; Ignore and reading a conversation always work (unless a request is running). */
function enableActions(row) {
  const intent = row.querySelector('select[data-role="intent"]').value;
  for (const b of row.querySelectorAll('button')) b.disabled = b.dataset.act === 'assign' && !intent;
}

$('inbox-list').addEventListener('change', (event) => {
  const row = event.target.closest('select[data-role="intent"]')?.closest('li[data-id]');
  if (row) enableActions(row);
});

$('inbox-list').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-act]');
  const row = button?.closest('li[data-id]');
  const g = row && groups.find((x) => x.id === row.dataset.id);
  if (!g) return;
  if (button.dataset.act === 'context') {
    openConversation(g.examples[0].conversationId).catch(showError);
    return;
  }
  const texts = g.variants.map((v) => v.text);
  const intent = row.querySelector('select[data-role="intent"]').value;
  if (button.dataset.act === 'assign' && !intent) return;
  for (const b of row.querySelectorAll('button')) b.disabled = true;
  try {
    let message;
    if (button.dataset.act === 'assign') {
      message = (await api('POST', '/api/inbox/assign', { lang: g.lang, intent, texts })).message;
    } else {
      await api('POST', '/api/inbox/ignore', { lang: g.lang, texts });
      message = `Ignored “${g.text}”.`;
    }
    groups = groups.filter((x) => x !== g);
    const next = row.nextElementSibling ?? row.previousElementSibling;
    render();
    $('inbox-status').textContent = message;
    // Keep the keyboard where the lead was: on the next item's first control.
    const target = next && $('inbox-list').querySelector(`li[data-id="${next.dataset.id}"] select`);
    (target ?? $('inbox-title')).focus?.();
  } catch (error) {
    enableActions(row);
    $('inbox-status').textContent = error.message;
  }
});
