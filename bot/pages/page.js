// The web chat page: gets a Direct Line token from this server (the secret never reaches the browser), then
// renders the official Bot Framework Web Chat against the built-in Direct Line, styled from the page settings.
(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('webchat-settings').textContent);
  var status = document.getElementById('status');
  var handoff = document.getElementById('talk-to-person');
  var params = new URLSearchParams(window.location.search);
  // The customer's language: ?locale=es overrides the browser's.
  var locale = params.get('locale') || navigator.language || settings.defaultLocale;
  var lang = locale.slice(0, 2).toLowerCase();
  if (!settings.labels[lang]) lang = settings.defaultLocale;
  var labels = settings.labels[lang];
  var menu = document.getElementById('language');
  var chat = document.getElementById('webchat');
  // Persian reads right to left: the page and Web Chat's bubbles, send box and buttons flip with it.
  var RTL = { fa: true };
  /**
   * Web Chat's markdown with "<" as a character, not the start of a tag: its renderer takes HTML and drops the tags it
   * does not allow, so an agent's "reply with <your postcode>" showed as "reply with", and a pasted line of code as an
   * empty bubble, while the console showed them as typed.
   */
  function literalAngleBrackets(markdown) {
    var args = Array.prototype.slice.call(arguments);
    args[0] = String(markdown).replace(/</g, '&lt;');
    return window.WebChat.renderMarkdown.apply(null, args);
  }
  // Three still grey dots, the size of Web Chat's typing animation (64 × 20).
  var STILL_DOTS =
    'url("data:image/svg+xml,' +
    encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="20"><g fill="#8a8886"><circle cx="20" cy="10" r="4"/><circle cx="32" cy="10" r="4"/><circle cx="44" cy="10" r="4"/></g></svg>') +
    '")';
  // Renders Web Chat in the current language; set once connected. Rendering again with the same store and Direct
  // Line only updates its props: the conversation carries on.
  var renderChat = null;

  document.documentElement.style.setProperty('--brand', settings.brandColor);
  /** Puts the page, and Web Chat once it runs, in a language at once: words, direction, send box. */
  function applyLanguage(next) {
    lang = next;
    labels = settings.labels[lang];
    document.documentElement.lang = lang;
    document.documentElement.dir = RTL[lang] ? 'rtl' : 'ltr';
    document.title = labels.title;
    document.getElementById('title').textContent = labels.title;
    document.getElementById('subtitle').textContent = labels.subtitle;
    chat.setAttribute('aria-label', labels.title);
    handoff.textContent = labels.talkToPerson;
    menu.setAttribute('aria-label', labels.languageLabel);
    labelLost();
    if (renderChat) renderChat();
  }
  Object.keys(settings.labels).forEach(function (code) {
    var option = document.createElement('option');
    option.value = code;
    option.textContent = settings.labels[code].name;
    option.lang = code;
    menu.appendChild(option);
  });
  menu.value = lang;
  applyLanguage(lang);

  /** Puts the page in `next` (a language code) and says so in the menu and the address, so a reload keeps it. */
  function chooseLanguage(next) {
    applyLanguage(next);
    menu.value = next;
    params.set('locale', next);
    window.history.replaceState(null, '', '?' + params.toString());
  }

  /**
   * Follows the language the bot answers in: asked for by typing ("can we continue in English please") or detected
   * from what the customer wrote, the bot switched and the page kept its words and direction. A person's messages
   * do not move it.
   */
  function followBot(activity) {
    // Messages only: the typing indicator goes out before the bot has read the message, with the locale the message
    // came in, so after the menu switched to English it put the page back in Persian.
    if (!activity || activity.type !== 'message' || !activity.from || activity.from.role !== 'bot' || writerOf(activity) || typeof activity.locale !== 'string') return;
    var next = activity.locale.slice(0, 2).toLowerCase();
    // Outside the dispatch that delivers the activity: rendering Web Chat again from inside its store is not allowed.
    if (settings.labels[next] && next !== lang) setTimeout(function () { if (next !== lang) chooseLanguage(next); }, 0);
  }

  function fail() {
    status.textContent = labels.unavailable;
    status.className = 'chat__status chat__status--error';
  }

  // Direct Line's connection statuses (botframework-directlinejs) from which its conversation cannot go on: the
  // token expired for good, the connection failed, the conversation ended.
  var LOST_STATUSES = { 3: true, 4: true, 5: true };
  var lost = null;
  /**
   * Says the conversation is gone, with a way to start another. A restart of the server (conversations live in its
   * memory) or the conversation's expiry left the page looking alive: every message got "Not sent. Try again.", a
   * customer in the queue waited for nobody, and only a reload they had no reason to try started a new chat.
   */
  function showLost() {
    if (lost) return;
    lost = document.createElement('div');
    lost.className = 'chat__lost';
    lost.setAttribute('role', 'alert');
    var text = document.createElement('p');
    var restart = document.createElement('button');
    restart.type = 'button';
    restart.addEventListener('click', function () {
      window.location.reload();
    });
    lost.appendChild(text);
    lost.appendChild(restart);
    chat.parentNode.insertBefore(lost, chat);
    labelLost();
    restart.focus();
  }
  /** The notice's words in the page's language (it may change after the notice shows). */
  function labelLost() {
    if (!lost) return;
    lost.firstChild.textContent = labels.lost;
    lost.lastChild.textContent = labels.restart;
  }

  // The last token this browser had lets the server keep the same (pseudonymous) user across visits and, while its
  // conversation is still open, carry on with that conversation after a reload or in a second tab (localStorage is
  // shared by the site's tabs). The token says which conversation it is and when it expires; the server judges both.
  var TOKEN_KEY = 'cxbot.webchat.token';
  function remembered() {
    try {
      return window.localStorage.getItem(TOKEN_KEY) || undefined;
    } catch (e) {
      return undefined; // storage blocked (private mode, third-party iframe)
    }
  }
  function remember(token) {
    try {
      window.localStorage.setItem(TOKEN_KEY, token);
    } catch (e) {
      // nothing to do: the next visit is a new user
    }
  }

  /** How soon a second tap on the same suggested reply counts as the same tap. */
  var DOUBLE_TAP_MS = 800;
  var picked = null;
  /**
   * Whether `action` sends a suggested reply that was just sent: a double tap on a phone sent "5" twice, and the second
   * answered the survey's next question (a 0-10 recommendation) that the customer had not yet seen; a double click on
   * "Track an order" got "That doesn't look like an order number". Typed messages are never dropped.
   */
  function doubleTap(action) {
    if (action.type !== 'WEB_CHAT/SEND_MESSAGE' || !action.payload || action.payload.method !== 'imBack') return false;
    var now = Date.now();
    var again = picked !== null && picked.text === action.payload.text && now - picked.at < DOUBLE_TAP_MS;
    if (!again) picked = { text: action.payload.text, at: now };
    // Each tap also focuses the send box "without the keyboard": Web Chat makes it read-only for a tick and puts back
    // what it found, so the second tap, finding the first's read-only, left it read-only for good (their TODO).
    else setTimeout(unstickSendBox, 50);
    return again;
  }
  function unstickSendBox() {
    var input = document.querySelector('[data-id="webchat-sendbox-input"]');
    if (input) input.removeAttribute('readonly');
  }

  /** The label naming the person from the team who wrote an activity, if one did. */
  function writerOf(activity) {
    var agent = activity && activity.channelData && activity.channelData.agent;
    return agent && typeof agent.label === 'string' ? agent.label : '';
  }

  /** The entity by which Web Chat names who wrote a message. */
  function writtenBy(label) {
    return {
      type: 'https://schema.org/Message',
      '@context': 'https://schema.org',
      '@id': '',
      '@type': 'Message',
      citation: [{ '@type': 'Claim', claimInterpreter: { '@type': 'Project', name: label } }],
    };
  }

  /** Web Chat's groups of activities, cut where the writer changes between the bot and a person. */
  function splitByWriter(groups) {
    var out = [];
    groups.forEach(function (group) {
      var run = [];
      group.forEach(function (activity, i) {
        if (i > 0 && writerOf(activity) !== writerOf(group[i - 1])) {
          out.push(run);
          run = [];
        }
        run.push(activity);
      });
      if (run.length) out.push(run);
    });
    return out;
  }

  fetch('/api/webchat/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ locale: locale, previousToken: remembered(), resume: true }),
  })
    .then(function (res) {
      if (!res.ok) throw new Error('token request failed: ' + res.status);
      return res.json();
    })
    .then(function (session) {
      remember(session.token);
      // A person from the team writes through the bot's account; the server names them in channelData. Web Chat shows
      // a message's writer beside its time when the message is a schema.org Message whose claim has an interpreter, so
      // their messages get one, and a run of them is a group of its own (the time, and so the name, shows once per
      // group): "sam, from our team · Just now".
      var store = window.WebChat.createStore({}, function () {
        return function (next) {
          return function (action) {
            if (doubleTap(action)) return undefined;
            // A message the service refused may mean the conversation is gone (a restart answers 401 or 404 for good).
            if (action.type === 'DIRECT_LINE/POST_ACTIVITY_REJECTED') setTimeout(checkConversation, 0);
            var activity = action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' ? action.payload.activity : undefined;
            followBot(activity);
            var label = writerOf(activity);
            if (!label) return next(action);
            // Web Chat's live region announced a person's message as the bot's ("The assistant BA said: …"); it reads a
            // message's fallback text in place of the message, so that names the person first.
            var channelData = Object.assign({}, activity.channelData, { 'webchat:fallback-text': label + ': ' + (activity.text || '') });
            var named = Object.assign({}, activity, { channelData: channelData, entities: (activity.entities || []).concat([writtenBy(label)]) });
            return next(Object.assign({}, action, { payload: Object.assign({}, action.payload, { activity: named }) }));
          };
        };
      });
      var directLine = window.WebChat.createDirectLine({
        token: session.token,
        domain: window.location.origin + '/v3/directline',
        // Resuming: Direct Line's reconnect (GET …/conversations/{id}), which replays the conversation so far and does
        // not start it again, so the bot does not greet twice.
        conversationId: session.resumed ? session.conversationId : undefined,
        // Sent when the conversation starts, so the bot greets in the customer's language.
        conversationStartProperties: { locale: locale },
      });
      // The server's answer decides here too: an expired token (403 on a reconnect) is one the server may still resume.
      directLine.connectionStatus$.subscribe(function (connection) {
        if (LOST_STATUSES[connection]) checkConversation();
      });
      // A reconnect refused for good (the conversation ended, 404; unknown after a restart, 401) ends directlinejs's
      // shared stream with an error and no change of status; Web Chat, its first subscriber, rethrows it, so it
      // surfaces here as an uncaught error ("conversation ended"), not to a second subscriber. Any uncaught error is
      // reason enough to ask: the server's answer decides.
      window.addEventListener('error', function () {
        checkConversation();
      });
      var checking = false;
      /**
       * Asks the server whether this conversation is still open, as a reload would (a resume request), and says so
       * when it is not. directlinejs keeps retrying a refused reconnect without changing its status, so a failed send
       * is what shows it. A server that cannot be reached says nothing yet: Web Chat's "Not sent" covers that.
       */
      function checkConversation() {
        if (checking || lost) return;
        checking = true;
        fetch('/api/webchat/token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ locale: locale, previousToken: directLine.token || remembered(), resume: true }),
        })
          .then(function (res) {
            return res.ok ? res.json() : null;
          })
          .then(function (answer) {
            checking = false;
            if (answer && !answer.resumed) showLost();
          })
          .catch(function () {
            checking = false;
          });
      }
      // Direct Line refreshes the token every 15 minutes; keep the newest, so a reload after a long chat still resumes.
      function rememberLatest() {
        if (directLine.token) remember(directLine.token);
      }
      window.addEventListener('pagehide', rememberLatest);
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState === 'hidden') rememberLatest();
        // Back at the tab after a while: the conversation may have ended meanwhile (a restart, its idle time).
        else checkConversation();
      });
      status.remove();
      renderChat = function () {
        window.WebChat.renderWebChat(
          {
            directLine: directLine,
            store: store,
            userID: session.userId,
            groupActivitiesMiddleware: function () {
              return function (next) {
                return function (options) {
                  var groups = next(options);
                  return { sender: splitByWriter(groups.sender), status: splitByWriter(groups.status) };
                };
              };
            },
            // The page's locale until the menu picks a language.
            locale: lang === locale.slice(0, 2).toLowerCase() ? locale : lang,
            dir: RTL[lang] ? 'rtl' : 'auto',
            // Web Chat has no Persian strings of its own: its visible words come from our catalogues.
            overrideLocalizedStrings: labels.strings,
            renderMarkdown: literalAngleBrackets,
            styleOptions: {
              accent: settings.brandColor,
              botAvatarInitials: settings.botInitials,
              botAvatarBackgroundColor: settings.brandColor,
              userAvatarInitials: labels.you,
              bubbleFromUserBackground: settings.brandColor,
              bubbleFromUserTextColor: '#ffffff',
              bubbleFromUserBorderRadius: 12,
              bubbleBorderRadius: 12,
              suggestedActionLayout: 'flow',
              suggestedActionBorderRadius: 16,
              suggestedActionTextColor: settings.brandColor,
              suggestedActionBorderColor: settings.brandColor,
              // The bot cannot read attachments yet; an upload button would lead nowhere.
              hideUploadButton: true,
              sendBoxButtonColor: settings.brandColor,
              // Web Chat's typing indicator is an animated GIF, which CSS cannot stop: still dots for a reader who
              // asked the system for less motion (undefined keeps Web Chat's own).
              typingAnimationBackgroundImage: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? STILL_DOTS : undefined,
            },
          },
          chat,
        );
      };
      renderChat();
      handoff.disabled = false;
      menu.disabled = false;
      // Arrow keys on a closed select change it at every step: "where is my order | Español | 中文 | فارسی" was sent
      // by a keyboard user passing three languages. From the keyboard the choice counts on Enter or on leaving the menu.
      var keyed = false;
      function choose() {
        keyed = false;
        if (menu.value === lang) return;
        // The bot switches on the language's own name ("Español", "中文", "فارسی"), so the conversation carries on;
        // the page follows, and a reload keeps the choice (?locale=).
        chooseLanguage(menu.value);
        store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE', payload: { text: labels.name } });
      }
      menu.addEventListener('keydown', function (event) {
        if (event.key === 'Enter') choose();
        else if (event.key !== 'Tab' && event.key !== 'Shift') keyed = true;
      });
      menu.addEventListener('change', function () {
        if (!keyed) choose();
      });
      menu.addEventListener('blur', function () {
        if (keyed) choose();
      });
      handoff.addEventListener('click', function () {
        // The same words as the bot's own "Talk to a person" button: the bot understands them in every language.
        store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE', payload: { text: labels.talkToPerson } });
      });
    })
    .catch(fail);
})();
