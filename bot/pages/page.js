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
  // Persian reads right to left: the page and Web Chat's bubbles, send box and buttons flip with it.
  var RTL = { fa: true };

  document.documentElement.style.setProperty('--brand', settings.brandColor);
  function applyLanguage(next) {
    lang = next;
    labels = settings.labels[lang];
    document.documentElement.lang = lang;
    document.documentElement.dir = RTL[lang] ? 'rtl' : 'ltr';
    handoff.textContent = labels.talkToPerson;
    menu.setAttribute('aria-label', labels.languageLabel);
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

  function fail() {
    status.textContent = labels.unavailable;
    status.className = 'chat__status chat__status--error';
  }

  // The last token this browser had lets the server keep the same (pseudonymous) user across visits.
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

  fetch('/api/webchat/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ locale: locale, previousToken: remembered() }),
  })
    .then(function (res) {
      if (!res.ok) throw new Error('token request failed: ' + res.status);
      return res.json();
    })
    .then(function (session) {
      remember(session.token);
      var store = window.WebChat.createStore();
      var directLine = window.WebChat.createDirectLine({
        token: session.token,
        domain: window.location.origin + '/v3/directline',
        // Sent when the conversation starts, so the bot greets in the customer's language.
        conversationStartProperties: { locale: locale },
      });
      status.remove();
      window.WebChat.renderWebChat(
        {
          directLine: directLine,
          store: store,
          userID: session.userId,
          locale: locale,
          dir: RTL[lang] ? 'rtl' : 'auto',
          // Web Chat has no Persian strings of its own: its visible words come from our catalogues.
          overrideLocalizedStrings: labels.strings,
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
          },
        },
        document.getElementById('webchat'),
      );
      handoff.disabled = false;
      menu.disabled = false;
      menu.addEventListener('change', function () {
        // The bot switches on the language's own name ("Español", "中文", "فارسی"), so the conversation carries on;
        // the page follows, and a reload keeps the choice (?locale=).
        applyLanguage(menu.value);
        params.set('locale', menu.value);
        window.history.replaceState(null, '', '?' + params.toString());
        store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE', payload: { text: labels.name } });
      });
      handoff.addEventListener('click', function () {
        // The same words as the bot's own "Talk to a person" button: the bot understands them in every language.
        store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE', payload: { text: labels.talkToPerson } });
      });
    })
    .catch(fail);
})();
