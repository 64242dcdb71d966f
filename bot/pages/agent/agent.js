// Agent console: log in, watch the queue live (server-sent events), open a handoff, accept, chat, resolve; and the
// tickets the bot promised a reply to (reloaded when the same stream says one was filed, added to or closed), read and
// closed here.
// Plain DOM code; every text from the server goes in through textContent, never as HTML.

const $ = (id) => document.getElementById(id);
const PRIORITY = { high: 0, normal: 1, low: 2 };
const REASONS = {
  requested: 'Asked for a person',
  fallbacks: 'Bot did not understand',
  negative_sentiment: 'Upset customer',
  complaint: 'Urgent complaint',
  faq_unhelpful: 'FAQ did not help',
};

const state = {
  me: null, // { username, role }
  csrf: '',
  items: new Map(), // id → handoff (open ones, plus the selected one after it closes)
  tickets: new Map(), // id → open ticket (plus the selected one after it closes), in the server's order: due soonest first
  tab: 'queued',
  cursor: null, // highlighted row
  selected: null, // opened handoff id
  chat: [], // { from, who, text, ts }
  since: '', // the server's time at the stream's snapshot: every chat line from then on is in `lines`
  lines: new Map(), // handoff id → its chat lines since `since`, in the order they came
  logged: null, // for the open handoff: how many of its `lines`, per sender, the loaded transcript holds (null: loading)
  unread: new Map(), // handoff id → customer messages the agent has not seen (it was not open, or the page was hidden)
  fresh: new Set(), // handoffs queued since the console connected, or handed to this agent, and not opened yet
  connected: false, // a snapshot has arrived: handoffs in later events that it did not list are new arrivals
  offsetMs: 0, // server clock − browser clock
  team: [], // { username, role }: whom a chat can be handed to
  drafts: new Map(), // handoff or ticket id → what its boxes held, unsent, when the agent opened another
  handingOver: null, // the chat this agent is handing to a colleague (its own doing: no news to show)
  events: null,
  // Accept has just put the agent in the empty reply box: the documented next key, `/` ("go to the reply box"), is
  // then the shortcut, not text. Cleared by any other key and by leaving the box.
  focusedByAccept: false,
};

const CATEGORIES = { damaged: 'Damaged item', wrong_item: 'Wrong item', late: 'Late delivery', service: 'Service', billing: 'Billing', other: 'Other' };
const isTicket = (id) => typeof id === 'string' && id.startsWith('T-');
const ticketTitle = (t) => (t.kind === 'message' ? 'Message left for a call-back' : `Complaint: ${CATEGORIES[t.category] ?? t.category}`);

const isLead = () => state.me && (state.me.role === 'lead' || state.me.role === 'admin');
const serverNow = () => Date.now() + state.offsetMs;

// Every time on the console is the agent's own (the browser's zone); where a date-time stands alone it names the zone.
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const FULL = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });

/** "Nov 25, 2026, 20:34 GMT+5:30" (in an en-US browser): a full date-time in the agent's zone, named. */
const fullTime = (iso) => FULL.format(new Date(iso));

/** "42 s", "3 min", "1 h 05 min". */
function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

/** Calls the API; a 401 sends the agent back to the login form. */
async function api(method, path, body) {
  const headers = { 'X-CSRF-Token': state.csrf };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  // Said only when an agent was logged in: a session ended elsewhere (logout in another tab, expiry, the user
  // deleted) dropped to a bare login form with no reason, and the explorer's agent thought the console had crashed.
  if (res.status === 401 && path !== '/api/auth/login') showLogin(state.me ? 'Your session ended (logged out elsewhere, or it expired). Log in again to carry on.' : '');
  if (!res.ok) throw new Error(data?.error?.message ?? `Request failed (${res.status})`);
  return data;
}

// ---- login -----------------------------------------------------------------------------------------------

function showLogin(message = '') {
  state.events?.close();
  state.events = null;
  state.me = null;
  state.connected = false;
  state.unread.clear();
  state.fresh.clear();
  try {
    sessionStorage.removeItem(MARKS_KEY);
  } catch {
    // storage blocked
  }
  document.title = 'Agent console';
  $('desk-view').hidden = true;
  $('logout').hidden = true;
  $('account').hidden = true;
  if ($('account-dialog').open) $('account-dialog').close();
  $('live').hidden = true;
  $('whoami').textContent = '';
  $('login-view').hidden = false;
  $('login-error').textContent = message;
  $('username').focus();
}

function showDesk(session) {
  state.me = session.user;
  state.csrf = session.csrfToken;
  $('login-view').hidden = true;
  $('desk-view').hidden = false;
  $('logout').hidden = false;
  $('account').hidden = false;
  $('whoami').textContent = `${state.me.username} (${state.me.role})`;
  connect(); // its snapshot also loads the tickets
  void loadTeam();
  $('queue').focus();
}

async function loadTickets() {
  if (!state.me) return;
  try {
    const { items } = await api('GET', '/api/tickets?status=open');
    const keep = isTicket(state.selected) && state.tickets.get(state.selected);
    state.tickets = new Map(items.map((t) => [t.id, t]));
    if (keep && !state.tickets.has(keep.id)) state.tickets.set(keep.id, keep);
    renderQueue();
    if (isTicket(state.selected)) renderDetail();
  } catch {
    // The next ticket event or reconnection tries again; a 401 has already shown the login form.
  }
}

/** Marks the login fields as refused (or not) for assistive technology, beside the error said in words. */
function markInvalid(refused) {
  for (const id of ['username', 'password']) $(id).setAttribute('aria-invalid', String(refused));
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  markInvalid(false);
  try {
    showDesk(await api('POST', '/api/auth/login', { username: $('username').value, password: $('password').value }));
    $('password').value = '';
  } catch (error) {
    $('login-error').textContent = error.message;
    markInvalid(true);
  }
});

$('logout').addEventListener('click', async () => {
  // Logging out of the last session puts the agent's chats back in the queue (the customers are told): said first.
  const held = heldChats();
  if (held && !window.confirm(`You have ${held} open chat${held === 1 ? '' : 's'}. Unless you are signed in elsewhere, logging out puts ${held === 1 ? 'it' : 'them'} back in the queue for a colleague, and the customer${held === 1 ? ' is' : 's are'} told. Log out?`)) return;
  await api('POST', '/api/auth/logout').catch(() => undefined);
  showLogin();
});

/** How many chats this agent holds: logging out of the last session puts them back in the queue. */
const heldChats = () => [...state.items.values()].filter((h) => h.status === 'active' && h.agent === state.me?.username).length;

// ---- account -----------------------------------------------------------------------------------------------

$('account').addEventListener('click', () => {
  $('account-form').reset();
  $('account-username').value = state.me?.username ?? '';
  $('account-error').textContent = '';
  $('account-dialog').showModal();
  $('current-password').focus();
});
$('account-cancel').addEventListener('click', () => $('account-dialog').close());
$('account-dialog').addEventListener('close', () => $('account').focus());

$('account-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('account-error');
  error.textContent = '';
  if ($('new-password').value !== $('repeat-password').value) {
    error.textContent = 'The two new passwords differ.';
    $('repeat-password').focus();
    return;
  }
  try {
    // A new session comes back (every old one has ended): its cookie is set, its CSRF token is the one to send now.
    const session = await api('POST', '/api/auth/password', { currentPassword: $('current-password').value, newPassword: $('new-password').value });
    state.csrf = session.csrfToken;
    $('account-form').reset();
    $('account-dialog').close();
    announce('Password changed. You were logged out on every other device.');
  } catch (e) {
    error.textContent = e.message;
  }
});

$('logout-everywhere').addEventListener('click', async () => {
  const held = heldChats();
  const chats = held ? ` Your ${held} open chat${held === 1 ? ' goes' : 's go'} back to the queue, and the customer${held === 1 ? ' is' : 's are'} told.` : '';
  if (!window.confirm(`Log out on every device and browser, this one included?${chats}`)) return;
  await api('POST', '/api/auth/logout', { everywhere: true }).catch(() => undefined);
  showLogin('You were logged out on every device.');
});

// ---- live queue ------------------------------------------------------------------------------------------

function connect() {
  state.events?.close();
  const live = $('live');
  live.hidden = false;
  live.textContent = 'Connecting…';
  live.classList.remove('on');
  const events = new EventSource('/api/handoffs/events');
  state.events = events;
  events.addEventListener('open', () => {
    live.textContent = 'Live';
    live.classList.add('on');
  });
  events.addEventListener('error', () => {
    live.textContent = 'Reconnecting…';
    live.classList.remove('on');
    // A refused stream (expired session) is not retried by the browser: find out why.
    if (events.readyState === EventSource.CLOSED) {
      api('GET', '/api/auth/me').then(() => setTimeout(connect, 3000), () => undefined);
    }
  });
  events.addEventListener('snapshot', (e) => {
    const { items, now, limits } = JSON.parse(e.data);
    if (limits?.messageChars) $('reply').maxLength = limits.messageChars;
    state.offsetMs = Date.parse(now) - Date.now();
    const reconnected = state.connected;
    state.since = now;
    state.lines = new Map();
    const keep = state.selected && state.items.get(state.selected);
    const known = state.items;
    state.items = new Map(items.map((h) => [h.id, h]));
    if (keep && !state.items.has(keep.id)) state.items.set(keep.id, keep);
    // After a reconnection, what was queued while the stream was down is as new as what arrives live.
    if (state.connected) {
      for (const h of items) if (h.status === 'queued' && !known.has(h.id)) state.fresh.add(h.id);
    } else {
      // After a reload, the marks the page had: an agent's reload cleared "new" and "1 unread" from waiting chats.
      restoreMarks();
    }
    state.connected = true;
    renderQueue();
    renderDetail();
    // Lines said while the stream was down are only in the transcript.
    if (reconnected && state.selected && !isTicket(state.selected)) loadChat(state.selected);
    // The first snapshot after a reload opens what was open: the agent lost their place in a live chat.
    if (!reconnected && !state.selected) {
      const wanted = decodeURIComponent(location.hash.slice(1));
      if (wanted && (state.items.has(wanted) || isTicket(wanted))) open(wanted);
      // A link to a chat that has ended (the stream lists open ones only) opened an empty pane: fetch it to read.
      else if (/^H-\d+$/.test(wanted)) {
        api('GET', `/api/handoffs/${encodeURIComponent(wanted)}`).then(
          (h) => {
            if (state.selected) return;
            state.items.set(h.id, h);
            open(h.id);
          },
          // The detail pane is hidden while nothing is open: say it where the agent looks.
          (error) => ($('detail-empty').querySelector('p').textContent = `${error.message} Pick a handoff or a ticket to see the conversation.`),
        );
      }
    }
    // (Re)connected: tickets filed while the stream was down are caught up with here.
    loadTickets();
  });
  // The server's list is in due order and knows what closed; one read keeps both right.
  events.addEventListener('ticket', () => loadTickets());
  events.addEventListener('handoff', (e) => {
    const h = JSON.parse(e.data);
    const arrived = !state.items.has(h.id) && h.status === 'queued';
    const before = state.items.get(h.id);
    // Handed from one person to another: a chat handed over arrived silently in Mine, with its customer's question
    // unanswered, and the agent who lost it saw their box go grey with no word why.
    const handed = before?.status === 'active' && h.status === 'active' && before.agent !== h.agent;
    if (handed && h.agent === state.me?.username && h.id !== state.selected) {
      state.fresh.add(h.id);
      announce(`${h.id} was handed to you.`);
    }
    if (handed && before.agent === state.me?.username) {
      // What this agent had typed for the chat is no longer theirs to send.
      state.drafts.delete(h.id);
      if (h.id === state.selected) {
        for (const box of DRAFT_BOXES) $(box).value = '';
        updateCounts();
        // Said as news only when someone else moved it: the agent who handed it over knows.
        const told = `${h.id} was handed to ${h.agent}: only they can write in it now.`;
        if (state.handingOver !== h.id) $('detail-error').textContent = told;
        announce(told);
      }
    }
    if (h.id === state.selected && before?.status !== h.status) announce(statusChange(h));
    state.items.set(h.id, h);
    if ((h.status === 'resolved' || h.status === 'abandoned') && h.id !== state.selected) state.lines.delete(h.id);
    if (arrived && h.id !== state.selected) {
      state.fresh.add(h.id);
      announce(`New chat waiting: ${REASONS[h.reason] ?? h.reason}, ${h.id}.`);
    }
    renderQueue();
    if (h.id === state.selected) renderDetail();
  });
  events.addEventListener('message', (e) => {
    const line = JSON.parse(e.data);
    // Said by the snapshot's time: the transcript has it. (Strictly after, on both sides below: a line and a record
    // stamped in the snapshot's very millisecond are then both left to the transcript, never counted against each other.)
    if (line.ts <= state.since) return;
    if (!state.lines.has(line.handoffId)) state.lines.set(line.handoffId, []);
    const lines = state.lines.get(line.handoffId);
    lines.push(line);
    // A customer line the agent cannot be reading now: counted on its row and in the window title.
    if (line.from === 'customer' && (line.handoffId !== state.selected || document.hidden) && concerns(state.items.get(line.handoffId))) {
      state.unread.set(line.handoffId, (state.unread.get(line.handoffId) ?? 0) + 1);
      renderQueue();
    }
    if (line.handoffId !== state.selected) return;
    // Already shown from the transcript, which had logged it by the time it was read.
    if (state.logged && lines.filter((l) => l.from === line.from).length <= state.logged[line.from]) return;
    addLine(liveLine(line));
    // The agent's own words need no reading back.
    if (line.from !== 'agent' || line.agent !== state.me?.username) announce(`${line.from === 'agent' ? line.agent : line.from}: ${line.text}`);
  });
}

/** Whether new customer messages in `h` are for this agent: it is waiting, or it is theirs. */
const concerns = (h) => Boolean(h) && (h.status === 'queued' || (h.status === 'active' && h.agent === state.me?.username));

/**
 * Says `text` to screen readers once: each announcement is a new node in the polite status region, so two in a row
 * (a status change, then the bot's notice) are both heard; the oldest go, and removals are not read out.
 */
function announce(text) {
  const region = $('announce');
  region.append(el('p', { text }));
  while (region.childElementCount > 5) region.firstElementChild.remove();
}

/** The sentence announcing the open handoff's new status. */
function statusChange(h) {
  if (h.status === 'active') return `${h.id} accepted by ${h.agent}.`;
  if (h.status === 'resolved') return `${h.id} resolved.`;
  if (h.status === 'abandoned') return `${h.id} ended: ${h.endedBy === 'customer' ? 'the customer left' : 'the chat was abandoned'}.`;
  return `${h.id} is ${h.status}.`;
}

/**
 * Puts `nodes` in `parent` in that order, keeping each existing child (same id) that has not changed: a row that is
 * replaced on every event is, to a screen reader, a new row each time.
 */
function patchChildren(parent, nodes) {
  const old = new Map([...parent.children].map((n) => [n.id, n]));
  const next = nodes.map((n) => {
    const o = old.get(n.id);
    if (!o) return n;
    // The clocks tick on their own: bring the kept row's up to date, so they alone never make a row look changed.
    const clocks = [...o.querySelectorAll('[data-wait], [data-due]')];
    [...n.querySelectorAll('[data-wait], [data-due]')].forEach((c, i) => {
      if (clocks[i]) clocks[i].textContent = c.textContent;
    });
    return o.isEqualNode(n) ? o : n;
  });
  for (const n of old.values()) if (!next.includes(n)) n.remove();
  next.forEach((n, i) => {
    if (parent.children[i] !== n) parent.insertBefore(n, parent.children[i] ?? null);
  });
}

/** Forgets unread marks that no longer apply (the chat closed or went to a colleague) and puts the total in the title. */
function updateTitle() {
  for (const id of state.unread.keys()) if (!concerns(state.items.get(id))) state.unread.delete(id);
  for (const id of state.fresh) if (!concerns(state.items.get(id))) state.fresh.delete(id);
  let total = state.fresh.size;
  for (const n of state.unread.values()) total += n;
  // An agent working in another tab sees the count on this one.
  document.title = total ? `(${total}) Agent console` : 'Agent console';
  keepMarks();
}

/** Where this tab keeps its "new" and "unread" marks, so a reload does not wipe them (the next snapshot restores them). */
const MARKS_KEY = 'cxbot.agent.marks';
function keepMarks() {
  try {
    // Not before the first snapshot has restored them: a render before it would save the empty marks over them.
    if (state.me && state.connected) sessionStorage.setItem(MARKS_KEY, JSON.stringify({ user: state.me.username, fresh: [...state.fresh], unread: [...state.unread] }));
  } catch {
    // storage blocked: the marks last as long as the page
  }
}
/** The marks this tab kept before a reload, for the chats that still concern this agent. */
function restoreMarks() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(MARKS_KEY) ?? 'null');
    if (!kept || kept.user !== state.me?.username) return;
    for (const id of kept.fresh ?? []) if (concerns(state.items.get(id))) state.fresh.add(id);
    for (const [id, n] of kept.unread ?? []) if (concerns(state.items.get(id)) && !state.unread.has(id)) state.unread.set(id, n);
  } catch {
    // nothing kept, or storage blocked
  }
}

/** The row's "new" and "3 unread" marks: words, so they do not rest on colour. */
function marks(h) {
  const unread = state.unread.get(h.id);
  return [
    ...(state.fresh.has(h.id) ? [el('span', { class: 'mark', text: 'new' })] : []),
    ...(unread ? [el('span', { class: 'mark', text: `${unread} unread` })] : []),
  ];
}

function visible() {
  if (state.tab === 'tickets') return [...state.tickets.values()].filter((t) => t.status === 'open');
  const open = [...state.items.values()].filter((h) => h.status === 'queued' || h.status === 'active');
  const list =
    state.tab === 'queued' ? open.filter((h) => h.status === 'queued')
    : state.tab === 'mine' ? open.filter((h) => h.status === 'active' && h.agent === state.me?.username)
    : open;
  return list.sort((a, b) => PRIORITY[a.priority] - PRIORITY[b.priority] || a.createdAt.localeCompare(b.createdAt));
}

/**
 * "waiting 42 s" or "with alex 3 min": live while the handoff is open, stopped where it ended once it is closed. A chat
 * back in the queue after its agent left keeps its accept time but has no agent: it showed "with null".
 */
function waiting(h) {
  const end = Date.parse(h.resolvedAt ?? h.abandonedAt ?? '') || serverNow();
  return h.acceptedAt && h.agent ? `with ${h.agent} ${duration(end - Date.parse(h.acceptedAt))}` : `waiting ${duration(end - Date.parse(h.createdAt))}`;
}

/** "due in 3 h 05 min" or "overdue 20 min", from the server's clock. */
function due(t) {
  const left = Date.parse(t.dueAt) - serverNow();
  return left >= 0 ? `due in ${duration(left)}` : `overdue ${duration(-left)}`;
}

function ticketRow(t) {
  const late = Date.parse(t.dueAt) < serverNow();
  return el(
    'li',
    { role: 'option', 'data-id': t.id, id: `row-${t.id}`, 'aria-selected': String(t.id === state.cursor) },
    el('span', { class: `badge ${t.priority === 'high' ? 'high' : ''}`, text: t.priority }),
    el('span', { class: 'reason', text: ticketTitle(t) }),
    el('span', { class: `wait ${late ? 'overdue' : ''}`, 'data-due': t.id, text: due(t) }),
    el('span', { class: 'meta', text: `${t.id} · ${t.locale.toUpperCase()} · ${t.channel}${t.orderNumber ? ` · order ${t.orderNumber}` : ''}` }),
  );
}

function renderQueue() {
  updateTitle();
  const open = [...state.items.values()].filter((h) => h.status === 'queued' || h.status === 'active');
  const tickets = [...state.tickets.values()].filter((t) => t.status === 'open').length;
  const counts = { queued: open.filter((h) => h.status === 'queued').length, mine: open.filter((h) => h.agent === state.me?.username).length, open: open.length, tickets };
  for (const [k, v] of Object.entries(counts)) document.querySelector(`[data-count="${k}"]`).textContent = String(v);
  const rows = visible();
  if (!rows.some((h) => h.id === state.cursor)) state.cursor = rows[0]?.id ?? null;
  patchChildren(
    $('queue'),
    rows.map((h) =>
      isTicket(h.id) ? ticketRow(h) : el(
        'li',
        { role: 'option', 'data-id': h.id, id: `row-${h.id}`, 'aria-selected': String(h.id === state.cursor) },
        el('span', { class: `badge ${h.priority === 'high' ? 'high' : ''}`, text: h.priority }),
        el('span', { class: 'reason' }, REASONS[h.reason] ?? h.reason, ...marks(h)),
        el('span', { class: 'wait', 'data-wait': h.id, text: waiting(h) }),
        el('span', { class: 'meta', text: `${h.id} · ${h.locale.toUpperCase()} · ${h.channel}${h.status === 'active' ? ' · active' : ''}` }),
      ),
    ),
  );
  if (state.cursor) $('queue').setAttribute('aria-activedescendant', `row-${state.cursor}`);
  $('queue-empty').textContent = state.tab === 'tickets' ? 'No open tickets.' : 'Nobody is waiting.';
  $('queue-empty').hidden = rows.length > 0;
}

$('queue').addEventListener('click', (event) => {
  const row = event.target.closest('li[data-id]');
  if (!row) return;
  state.cursor = row.dataset.id;
  open(row.dataset.id);
});

/** Shows a tab's list; the selected tab is the one the Tab key reaches, as in any tab list. */
function selectTab(tab) {
  state.tab = tab.dataset.tab;
  for (const t of document.querySelectorAll('[data-tab]')) {
    t.setAttribute('aria-selected', String(t === tab));
    t.tabIndex = t === tab ? 0 : -1;
  }
  renderQueue();
  if (state.tab === 'tickets') loadTickets();
}

const tabs = [...document.querySelectorAll('[data-tab]')];
for (const tab of tabs) {
  tab.tabIndex = tab.getAttribute('aria-selected') === 'true' ? 0 : -1;
  tab.addEventListener('click', () => selectTab(tab));
  // Arrow keys, Home and End move between the tabs (the tab list pattern screen readers announce): Tab went through all
  // four buttons before it reached the list.
  tab.addEventListener('keydown', (event) => {
    const at = tabs.indexOf(tab);
    const rtl = getComputedStyle(tab).direction === 'rtl';
    const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
    const next = step ? tabs[(at + step + tabs.length) % tabs.length] : event.key === 'Home' ? tabs[0] : event.key === 'End' ? tabs.at(-1) : undefined;
    if (!next) return;
    event.preventDefault();
    next.focus();
    selectTab(next);
  });
}

setInterval(() => {
  for (const node of document.querySelectorAll('[data-wait]')) {
    const h = state.items.get(node.dataset.wait);
    if (h) node.textContent = waiting(h);
  }
  for (const node of document.querySelectorAll('[data-due]')) {
    const t = state.tickets.get(node.dataset.due);
    if (t) node.textContent = due(t);
  }
}, 1000);

// Back from another tab: the open chat has been seen.
document.addEventListener('visibilitychange', () => {
  if (document.hidden || !state.selected || !state.unread.has(state.selected)) return;
  state.unread.delete(state.selected);
  renderQueue();
});

// ---- one handoff -------------------------------------------------------------------------------------------

/**
 * Transcript turns as chat lines: an agent line names its writer (`data.agent`), or, logged before lines did, the
 * handoff's agent (`names`).
 */
const chatLines = (turns, names) =>
  turns
    .filter((r) => !r.type && r.text)
    .map((r) => ({ from: r.actor, who: (r.actor === 'agent' && (r.data?.agent || names.get(r.handoffId))) || r.actor, text: r.text, ts: r.ts, lang: r.locale }));

/**
 * Who spoke for each handoff with agent lines in `turns`. A turn record says only that an agent spoke, and in which
 * handoff; only that handoff's agent writes in it, so the handoff names them (fetched for an earlier one of the session).
 */
async function agentNames(turns, known) {
  const names = new Map(known.filter((h) => h?.agent).map((h) => [h.id, h.agent]));
  const missing = new Set(turns.filter((r) => r.actor === 'agent' && r.handoffId && !names.has(r.handoffId)).map((r) => r.handoffId));
  await Promise.all(
    [...missing].map(async (id) => {
      const h = await api('GET', `/api/handoffs/${encodeURIComponent(id)}`).catch(() => null);
      if (h?.agent) names.set(id, h.agent);
    }),
  );
  return names;
}

/** A live line of the event stream as a chat line. */
const liveLine = (l) => ({ from: l.from, who: l.from === 'agent' ? l.agent : l.from, text: l.text, ts: l.ts });

/** Records of a handoff's own chat (what its live lines are made of), as against the bot's dialogs around it. */
const CHAT_DIALOGS = new Set(['handoff', 'agent']);

/** The boxes an agent writes in for the open chat or ticket: each chat and ticket keeps its own. */
const DRAFT_BOXES = ['reply', 'note', 'ticket-answer'];

/**
 * Keeps what was typed for the chat or ticket being left (`from`) and puts back what was typed for `to`: a reply half
 * written for one customer stayed in the box, and Enter in the next chat sent it, refund details and all, to another.
 */
function swapDrafts(from, to) {
  if (from) {
    const draft = Object.fromEntries(DRAFT_BOXES.map((box) => [box, $(box).value]));
    if (Object.values(draft).some((text) => text.trim())) state.drafts.set(from, draft);
    else state.drafts.delete(from);
  }
  const draft = state.drafts.get(to) ?? {};
  for (const box of DRAFT_BOXES) $(box).value = draft[box] ?? '';
  state.drafts.delete(to);
  updateCounts();
}

async function open(id) {
  if (id !== state.selected) {
    state.handingOver = null;
    swapDrafts(state.selected, id);
    // An error belongs to the chat or ticket it happened in.
    $('detail-error').textContent = '';
  }
  state.selected = id;
  // In the address, so a reload (or a bookmark) comes back to the same chat or ticket.
  history.replaceState(null, '', `#${encodeURIComponent(id)}`);
  state.chat = [];
  state.logged = null;
  state.unread.delete(id);
  state.fresh.delete(id);
  renderQueue();
  renderDetail();
  if (isTicket(id)) return openTicket(id);
  return loadChat(id);
}

/**
 * Shows a handoff's transcript, then the live lines it does not hold yet. Lines and records do not share an id or a
 * timestamp (a line is stamped as it is published, its record when the turn is logged, a moment before or after), so
 * they are matched by count: each line since the snapshot has one record of this handoff's chat, per sender in the same
 * order, and the transcript holds the first so many of them. Text is no key: a customer may well say "hello?" twice.
 */
async function loadChat(id) {
  try {
    const { handoff, turns } = await api('GET', `/api/handoffs/${encodeURIComponent(id)}/transcript`);
    if (state.selected !== id) return;
    state.items.set(handoff.id, { ...state.items.get(handoff.id), ...handoff });
    const names = await agentNames(turns, [handoff]);
    if (state.selected !== id) return;
    const logged = { customer: 0, bot: 0, agent: 0 };
    for (const r of turns) if (!r.type && r.text && r.handoffId === id && CHAT_DIALOGS.has(r.dialog) && r.ts > state.since) logged[r.actor] += 1;
    const seen = { customer: 0, bot: 0, agent: 0 };
    const unlogged = (state.lines.get(id) ?? []).filter((l) => ++seen[l.from] > logged[l.from]);
    state.chat = [...chatLines(turns, names), ...unlogged.map(liveLine)];
    state.logged = logged;
    renderDetail();
  } catch (error) {
    $('detail-error').textContent = error.message;
  }
}

async function openTicket(id) {
  try {
    const { ticket, turns } = await api('GET', `/api/tickets/${encodeURIComponent(id)}/transcript`);
    if (state.selected !== id) return;
    state.tickets.set(ticket.id, ticket);
    const names = await agentNames(turns, [...state.items.values()]);
    if (state.selected !== id) return;
    state.chat = chatLines(turns, names);
    renderDetail();
  } catch (error) {
    $('detail-error').textContent = error.message;
  }
}

function addLine(line) {
  state.chat.push(line);
  renderChat();
}

/** "14:05" in the agent's zone, the full date-time with the zone's name on hover and for assistive technology. */
function clockTime(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return el('time', { datetime: d.toISOString(), title: fullTime(iso) }, CLOCK.format(d));
}

function renderChat() {
  const chat = $('chat');
  const who = (c) => el('span', { class: 'who' }, c.who, ...(c.ts ? [' · ', clockTime(c.ts)] : []));
  // Each message in its own language and direction (a live line in the chat's): a Persian message that opens with a
  // Latin word read scrambled, and a screen reader read every message with English rules.
  const lang = state.items.get(state.selected)?.locale;
  chat.replaceChildren(...state.chat.map((c) => el('li', { class: c.from }, who(c), el('span', { class: 'text', dir: 'auto', lang: c.lang || lang || 'en', text: c.text }))));
  chat.scrollTop = chat.scrollHeight;
}

function renderTicketDetail(t) {
  $('transfer-to').hidden = $('transfer').hidden = true;
  $('detail-title').textContent = `${t.id} · ${ticketTitle(t)}`;
  const status = $('detail-status');
  status.textContent = t.status === 'open' && Date.parse(t.dueAt) < serverNow() ? 'overdue' : t.status;
  status.className = `badge ${status.textContent === 'overdue' ? 'high' : ''}`;
  const facts = [
    ['Priority', t.priority],
    ['Due', `${fullTime(t.dueAt)}${t.status === 'open' ? ` (${due(t)})` : ''}`],
    ...(t.orderNumber ? [['Order', t.orderNumber]] : []),
    ['Customer', t.customerId],
    ['Language', t.locale.toUpperCase()],
    ['Channel', t.channel],
    ['Said', t.description || '(nothing beyond the conversation)'],
    ...(t.followUps ?? []).map((f) => ['Added', `${f.text} (${fullTime(f.at)})`]),
    ...(t.closedBy ? [['Closed', `by ${t.closedBy}, ${fullTime(t.closedAt)}`]] : []),
    ...(t.note ? [['Note', t.note]] : []),
    ...(t.reply ? [['Answer', t.reply]] : []),
  ];
  $('context').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]));
  // A ticket is not a live chat: it is read and closed, with an answer the bot passes on to the customer.
  $('accept').hidden = true;
  $('reply-form').hidden = true;
  $('ticket-answer-box').hidden = false;
  $('resolve-label').textContent = 'Close ticket';
  $('note').placeholder = 'For the team: what was done (optional; Ctrl+Enter to close)';
  $('note').disabled = $('resolve').disabled = $('ticket-answer').disabled = t.status !== 'open';
  renderChat();
}

function renderDetail() {
  const ticket = isTicket(state.selected) && state.tickets.get(state.selected);
  $('detail').hidden = !ticket && !state.items.get(state.selected);
  $('detail-empty').hidden = !$('detail').hidden;
  if (ticket) return renderTicketDetail(ticket);
  $('accept').hidden = false;
  $('reply-form').hidden = false;
  $('ticket-answer-box').hidden = true;
  $('resolve-label').textContent = 'Resolve and hand back';
  $('note').placeholder = 'What was done (optional; Ctrl+Enter to resolve)';
  const h = state.selected && state.items.get(state.selected);
  if (!h) return;
  $('detail-title').textContent = `${h.id} · ${REASONS[h.reason] ?? h.reason}`;
  const status = $('detail-status');
  status.textContent = h.status;
  status.className = `badge ${h.status === 'active' ? 'active' : ''}`;
  const sentiment = h.sentiment ? `mean ${h.sentiment.mean}, last ${h.sentiment.last}, lowest ${h.sentiment.min}` : 'none yet';
  const facts = [
    ['Priority', h.priority],
    ['Customer', h.customerId],
    ['Language', h.locale.toUpperCase()],
    ['Channel', h.channel],
    // The clock below ticks every [data-wait], this one included.
    ['Time', el('span', { 'data-wait': h.id, text: waiting(h) })],
    ['Intents', h.intents.map((i) => el('span', { class: 'chip', text: i }))],
    ['Sentiment', sentiment],
    ...(h.ticketId ? [['Ticket', h.ticketId]] : []),
    ...(h.note ? [['Note', h.note]] : []),
  ];
  $('context').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, ...(Array.isArray(v) ? v : [v instanceof Node ? v : String(v)]))]));
  const mine = h.status === 'active' && h.agent === state.me?.username;
  $('accept').disabled = h.status !== 'queued';
  $('reply').disabled = $('send').disabled = !mine;
  const canResolve = mine || (isLead() && (h.status === 'active' || h.status === 'queued'));
  $('note').disabled = $('resolve').disabled = !canResolve;
  // An active chat goes to a colleague from here (a shift ends, it needs someone else): its agent's, or a lead's.
  // Those with a console open first; one who is not signed in is named so (handing to them told the customer a
  // person was taking over, with nobody there).
  const colleagues = state.team.filter((u) => u.username !== h.agent).sort((a, b) => Number(b.online) - Number(a.online));
  const transfer = $('transfer-to');
  const chosen = transfer.value;
  transfer.hidden = $('transfer').hidden = !(h.status === 'active' && (mine || isLead()) && colleagues.length);
  transfer.replaceChildren(el('option', { value: '', text: 'Hand to…' }), ...colleagues.map((u) => el('option', { value: u.username, text: `${u.username} (${u.role}${u.online ? '' : ', not signed in'})` })));
  // A redraw (a new message, a clock) keeps the colleague being chosen.
  if (colleagues.some((u) => u.username === chosen)) transfer.value = chosen;
  $('transfer').disabled = !transfer.value;
  renderChat();
}

/** Requests in flight, by what they do to which chat ("send H-000009"). */
const inFlight = new Set();

/**
 * Runs an action on a chat, its error shown in the pane. With `once`, a second one of the same kind waits for nothing
 * and is dropped: a double-click on Send, or Enter pressed twice, sent the customer the same line twice.
 */
async function act(fn, once) {
  if (once && inFlight.has(once)) return;
  if (once) inFlight.add(once);
  $('detail-error').textContent = '';
  try {
    await fn();
  } catch (error) {
    $('detail-error').textContent = error.message;
  } finally {
    if (once) inFlight.delete(once);
  }
}

/**
 * Keeps what an action answered, unless the chat has ended since: an "abandoned" event can arrive before the answer to
 * the accept it raced ("volver al bot" as the agent clicked Accept), which then showed the chat active, with a reply
 * box the API refused.
 */
function remember(h) {
  const known = state.items.get(h.id);
  const ended = (x) => x?.status === 'resolved' || x?.status === 'abandoned';
  if (!ended(known) || ended(h)) state.items.set(h.id, h);
}

async function accept() {
  const id = state.selected;
  if (!id || isTicket(id) || $('accept').disabled) return;
  await act(async () => {
    const accepted = await api('POST', `/api/handoffs/${encodeURIComponent(id)}/accept`);
    remember(accepted);
    renderDetail();
    // After a restart the customer's chat may be gone: the accept showed success and the agent waited on nobody.
    if (accepted.notified === false) $('detail-error').textContent = `${id} is yours, but the customer's chat could not be reached to say so: they may have left.`;
    $('reply').focus();
    state.focusedByAccept = true;
  });
}

$('accept').addEventListener('click', accept);

/** The team and who of them has a console open now, for "Hand to…". */
async function loadTeam() {
  try {
    state.team = (await api('GET', '/api/agents')).items;
    renderDetail();
  } catch {
    // The list as it was; a 401 has already shown the login form.
  }
}

// Who is signed in changes during a shift: asked again each time the list is opened.
$('transfer-to').addEventListener('focus', loadTeam);

// Choosing a colleague only arms the button: the list handed the chat over on its change event, so one arrow key in it
// gave a live customer to the first name listed.
$('transfer-to').addEventListener('change', () => {
  $('transfer').disabled = !$('transfer-to').value;
});

$('transfer').addEventListener('click', async () => {
  const id = state.selected;
  const to = $('transfer-to').value;
  if (!id || isTicket(id) || !to) return;
  state.handingOver = id;
  await act(async () => {
    remember(await api('POST', `/api/handoffs/${encodeURIComponent(id)}/transfer`, { to }));
    announce(`${id} handed to ${to}.`);
    renderDetail();
  });
});

$('reply-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('reply').value.trim();
  const id = state.selected;
  if (!text || $('send').disabled) return;
  await act(async () => {
    await api('POST', `/api/handoffs/${encodeURIComponent(id)}/messages`, { text });
    // The agent may have opened another chat while it was sent: empty this chat's box, not that one's.
    if (state.selected === id) $('reply').value = '';
    else if (state.drafts.has(id)) state.drafts.get(id).reply = '';
    updateCounts();
  }, `send ${id}`);
});

/** Shown from this share of a box's limit on: earlier, a count is noise. */
const COUNT_FROM = 0.8;

/** "1,850 / 2,000 characters" under a text box near its maxlength (the API refuses a longer text after sending). */
function updateCount(box) {
  const out = $(`${box.id}-count`);
  const used = box.value.length;
  const max = box.maxLength;
  out.hidden = used < max * COUNT_FROM;
  out.textContent = used >= max ? `${used.toLocaleString()} / ${max.toLocaleString()} characters: the limit` : `${used.toLocaleString()} / ${max.toLocaleString()} characters`;
  out.classList.toggle('full', used >= max);
}

for (const id of DRAFT_BOXES) $(id).addEventListener('input', () => updateCount($(id)));
/** Brings the counts in line after the boxes were emptied by the page itself (no input event). */
const updateCounts = () => DRAFT_BOXES.forEach((id) => updateCount($(id)));

$('reply').addEventListener('blur', () => {
  state.focusedByAccept = false;
});

$('reply').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    $('reply-form').requestSubmit();
  }
});

$('resolve-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if ($('resolve').disabled) return;
  const note = $('note').value.trim();
  const id = state.selected;
  const answer = isTicket(id) ? $('ticket-answer').value.trim() : '';
  // The same note form resolves a handoff or closes a ticket.
  const path = isTicket(id) ? `/api/tickets/${encodeURIComponent(id)}/close` : `/api/handoffs/${encodeURIComponent(id)}/resolve`;
  await act(async () => {
    const closed = await api('POST', path, { ...(note ? { note } : {}), ...(answer ? { reply: answer } : {}) });
    // The map as it is now: a reload of the ticket list (its event may come first) replaces the one there was before.
    (isTicket(id) ? state.tickets : state.items).set(id, closed);
    if (state.selected === id) {
      $('note').value = '';
      $('ticket-answer').value = '';
    }
    state.drafts.delete(id);
    updateCounts();
    renderQueue();
    renderDetail();
    // The answer is kept on the ticket either way; say when the chat itself could not be reached.
    if (closed.notified === false) {
      $('detail-error').textContent = isTicket(id)
        ? `${id} is closed. The customer's chat could not be reached: they get the answer when they ask about ${id}.`
        : `${id} is resolved, but the customer's chat could not be reached to tell them.`;
    }
    $('queue').focus();
  }, `close ${id}`);
});

$('note').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && event.ctrlKey) $('resolve-form').requestSubmit();
});

// ---- keyboard ----------------------------------------------------------------------------------------------

document.addEventListener('keydown', (event) => {
  if ($('desk-view').hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  // A focused button keeps its own Enter and Space.
  if (document.activeElement?.tagName === 'BUTTON' && (event.key === 'Enter' || event.key === ' ')) return;
  // Only in the queue (or with nothing focused): "a" on the Mine tab accepted the chat open beside it, and a speech-input
  // user saying a word that starts a command would set it off anywhere.
  const active = document.activeElement;
  const inQueue = !active || active === document.body || $('queue').contains(active);
  // In a text box every key is text: no single-key shortcut fires there.
  const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement?.tagName) || document.activeElement?.isContentEditable;
  if (typing) {
    const shortcutAfterAccept = state.focusedByAccept && event.key === '/' && document.activeElement === $('reply') && !$('reply').value;
    // (Shift alone is no key: some layouts type "/" as Shift+7.)
    if (event.key !== 'Shift') state.focusedByAccept = false;
    if (shortcutAfterAccept) event.preventDefault();
    // Back to the queue, where the keys work: a bare blur left focus nowhere, and the next Tab started over.
    else if (event.key === 'Escape') $('queue').focus();
    return;
  }
  if (!inQueue) return;
  const rows = visible();
  const at = rows.findIndex((h) => h.id === state.cursor);
  const move = (delta) => {
    const next = rows[Math.min(rows.length - 1, Math.max(0, at + delta))];
    if (!next) return;
    state.cursor = next.id;
    renderQueue();
    $(`row-${next.id}`)?.scrollIntoView({ block: 'nearest' });
  };
  const keys = {
    j: () => move(1),
    ArrowDown: () => move(1),
    k: () => move(-1),
    ArrowUp: () => move(-1),
    Enter: () => state.cursor && open(state.cursor),
    a: accept,
    '/': () => !$('reply-form').hidden && !$('reply').disabled && $('reply').focus(),
    r: () => !$('note').disabled && $('note').focus(),
  };
  const handler = keys[event.key];
  if (!handler) return;
  event.preventDefault();
  handler();
});

// ---- start -------------------------------------------------------------------------------------------------

fetch('/api/auth/me', { credentials: 'same-origin' })
  .then(async (res) => (res.ok ? showDesk(await res.json()) : showLogin()))
  .catch(() => showLogin('The server cannot be reached.'));
