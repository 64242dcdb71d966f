/**
 * The web chat page at `/`: our HTML, script and styles, plus the official Web Chat bundle served from the installed
 * botframework-webchat package (no CDN). Every answer carries security headers; the page's CSP allows exactly what
 * Web Chat needs: its script and ours from here, its run-time styles, images from data/blob URLs, and this server's
 * Direct Line over HTTP and WebSocket.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import { t } from '../../i18n/index.js';
import type { Config } from '../config.js';
import { HttpError } from '../http/errors.js';
import { type InFlight, route } from '../http/route.js';
import type { Logger } from '../logger.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WEBCHAT_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve('botframework-webchat')), '..', 'dist');

/** Static files the page uses: URL name → file and content type. */
const ASSETS: Record<string, { file: string; type: string; maxAge: number }> = {
  'webchat.js': { file: path.join(WEBCHAT_DIST, 'webchat.js'), type: 'application/javascript; charset=utf-8', maxAge: 86_400 },
  'page.js': { file: path.join(HERE, 'page.js'), type: 'application/javascript; charset=utf-8', maxAge: 300 },
  'page.css': { file: path.join(HERE, 'page.css'), type: 'text/css; charset=utf-8', maxAge: 300 },
};

interface Loaded {
  raw: Buffer;
  gzipped: Buffer;
  etag: string;
}

/** Headers every page and asset gets. */
function securityHeaders(res: Response): void {
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('Referrer-Policy', 'no-referrer');
  res.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  res.header('Cross-Origin-Opener-Policy', 'same-origin');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/** Up to three initials of a name: "Brightcart Assistant" → "BA". */
export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]!.toUpperCase())
    .join('');
}

/** The first supported language in `?locale=` or Accept-Language, else the default. */
function pageLanguage(req: Request, config: Config): string {
  const wanted = [String(req.query?.locale ?? ''), ...String(req.headers['accept-language'] ?? '').split(',')]
    .map((tag) => tag.trim().slice(0, 2).toLowerCase())
    .filter(Boolean);
  return wanted.find((l) => (config.LANGUAGES as string[]).includes(l)) ?? config.DEFAULT_LOCALE;
}

/**
 * Web Chat's own words that customers see or hear (timestamps, the send button, the typing indicator, what a screen
 * reader says), from our catalogues: Web Chat has no Persian strings, so a Persian page said "Just now" under every
 * message.
 */
const WEBCHAT_STRINGS: Record<string, string> = {
  TEXT_INPUT_PLACEHOLDER: 'webchat.placeholder',
  TEXT_INPUT_SEND_BUTTON_ALT: 'webchat.send',
  TYPING_INDICATOR_ALT: 'webchat.typing',
  ACTIVITY_STATUS_TIMESTAMP_JUST_NOW: 'webchat.justNow',
  ACTIVITY_STATUS_TIMESTAMP_ONE_MINUTE_AGO: 'webchat.minuteAgo',
  ACTIVITY_STATUS_TIMESTAMP_ONE_HOUR_AGO: 'webchat.hourAgo',
  ACTIVITY_STATUS_TIMESTAMP_TODAY: 'webchat.today',
  ACTIVITY_STATUS_TIMESTAMP_YESTERDAY: 'webchat.yesterday',
  // What a screen reader says: a Persian page read "Bot BA said:" and "Message input box" in English.
  ACTIVITY_BOT_SAID_ALT: 'webchat.botSaid',
  ACTIVITY_YOU_SAID_ALT: 'webchat.youSaid',
  TRANSCRIPT_ARIA_LABEL_ALT: 'webchat.historyLabel',
  TRANSCRIPT_ARIA_ROLE_ALT: 'webchat.historyRole',
  TRANSCRIPT_TERMINATOR_TEXT: 'webchat.historyEnd',
  TEXT_INPUT_ALT: 'webchat.inputLabel',
  SUGGESTED_ACTIONS_LABEL_ALT: 'webchat.suggestions',
  TRANSCRIPT_LIVE_REGION_SUGGESTED_ACTIONS_LABEL_ALT: 'webchat.suggestionsHint',
  KEYBOARD_HELP_CLOSE_BUTTON_ALT: 'webchat.close',
  // The keyboard help panel (Tab in the transcript): Web Chat has no Persian for it.
  KEYBOARD_HELP_HEADER: 'webchat.kbTitle',
  KEYBOARD_HELP_CHAT_WINDOW_HEADER: 'webchat.kbWindow',
  KEYBOARD_HELP_CHAT_WINDOW_BODY_MOVE_BETWEEN_ITEMS_HEADER: 'webchat.kbWindowMove',
  KEYBOARD_HELP_CHAT_WINDOW_BODY_MOVE_BETWEEN_ITEMS_BODY: 'webchat.kbWindowMoveKeys',
  KEYBOARD_HELP_CHAT_WINDOW_BODY_DO_ACTION_HEADER: 'webchat.kbWindowDo',
  KEYBOARD_HELP_CHAT_WINDOW_BODY_DO_ACTION_BODY: 'webchat.kbWindowDoKeys',
  KEYBOARD_HELP_CHAT_HISTORY_HEADER: 'webchat.kbHistory',
  KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_MESSAGES_HEADER: 'webchat.kbHistoryMove',
  KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_MESSAGES_BODY: 'webchat.kbHistoryMoveKeys',
  KEYBOARD_HELP_CHAT_HISTORY_ACCESS_ITEMS_IN_MESSAGE_HEADER: 'webchat.kbHistoryEnter',
  KEYBOARD_HELP_CHAT_HISTORY_ACCESS_ITEMS_IN_MESSAGE_BODY: 'webchat.kbHistoryEnterKeys',
  KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_ITEMS_HEADER: 'webchat.kbHistoryItems',
  KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_ITEMS_BODY: 'webchat.kbHistoryItemsKeys',
  KEYBOARD_HELP_CHAT_HISTORY_LEAVE_MESSAGE_HEADER: 'webchat.kbHistoryLeave',
  KEYBOARD_HELP_CHAT_HISTORY_LEAVE_MESSAGE_BODY: 'webchat.kbHistoryLeaveKeys',
  ACTIVITY_STATUS_SEND_STATUS_ALT_SENDING: 'webchat.sending',
  ACTIVITY_STATUS_SEND_STATUS_ALT_SENT_AT: 'webchat.sentAt',
  ACTIVITY_STATUS_SEND_FAILED_RETRY: 'webchat.sendFailed',
  TRANSCRIPT_NEW_MESSAGES: 'webchat.newMessages',
  // The wrapper around the status: a Persian page read "Connectivity Status: وصل است".
  CONNECTIVITY_STATUS_ALT: 'webchat.connectivity',
  CONNECTIVITY_STATUS_ALT_CONNECTED: 'webchat.connected',
  CONNECTIVITY_STATUS_ALT_CONNECTING: 'webchat.connecting',
  CONNECTIVITY_STATUS_ALT_RECONNECTING: 'webchat.reconnecting',
};

/** Registers `/` and `/webchat/*`. */
export function registerPages(server: Server, deps: { config: Config; logger: Logger; inFlight: InFlight }): void {
  const { config, logger, inFlight } = deps;
  const cache = new Map<string, Promise<Loaded>>();
  const load = (name: string, file: string): Promise<Loaded> => {
    let loaded = cache.get(name);
    if (!loaded) {
      loaded = (async () => {
        const raw = await readFile(file);
        return { raw, gzipped: await promisify(gzip)(raw), etag: `"${raw.length.toString(36)}-${name}-${Date.now().toString(36)}"` };
      })();
      // A failed read is retried on the next request instead of being cached.
      loaded.catch(() => cache.delete(name));
      cache.set(name, loaded);
    }
    return loaded;
  };
  const template = readFile(path.join(HERE, 'webchat.html'), 'utf8');
  const initials = config.BOT_AVATAR_INITIALS ?? initialsOf(config.BOT_NAME);

  const page = route(logger, inFlight, async (req, res) => {
    const lang = pageLanguage(req, config);
    const labels = Object.fromEntries(
      config.LANGUAGES.map((l) => [
        l,
        {
          title: t(l, 'webchat.title', { brand: config.BRAND_NAME }),
          subtitle: t(l, 'webchat.subtitle', { bot: config.BOT_NAME }),
          talkToPerson: t(l, 'intent.agent.handoff'),
          unavailable: t(l, 'webchat.unavailable'),
          lost: t(l, 'webchat.lost'),
          restart: t(l, 'webchat.restart'),
          you: t(l, 'webchat.you'),
          name: t(l, 'language.name'),
          languageLabel: t(l, 'webchat.language'),
          strings: Object.fromEntries(Object.entries(WEBCHAT_STRINGS).map(([id, key]) => [id, t(l, key)])),
        },
      ]),
    );
    const settings = { brandColor: config.BRAND_COLOR, botInitials: initials, defaultLocale: config.DEFAULT_LOCALE, labels };
    const vars: Record<string, string> = {
      lang,
      title: escapeHtml(t(lang, 'webchat.title', { brand: config.BRAND_NAME })),
      subtitle: escapeHtml(t(lang, 'webchat.subtitle', { bot: config.BOT_NAME })),
      connecting: escapeHtml(t(lang, 'webchat.connecting')),
      talkToPerson: escapeHtml(t(lang, 'intent.agent.handoff')),
      languageLabel: escapeHtml(t(lang, 'webchat.language')),
      initials: escapeHtml(initials),
      settings: scriptJson(settings),
    };
    const html = (await template).replace(/\{\{(\w+)\}\}/g, (_m, k: string) => vars[k] ?? '');
    const host = String(req.headers.host ?? '').replace(/[^\w.:[\]-]/g, '');
    securityHeaders(res);
    res.header(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        "script-src 'self'",
        // Web Chat injects its styles at run time, and not all of its style sheets take the nonce; styles cannot
        // run code, so inline styles are allowed while scripts stay strictly same-origin.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' data: blob:",
        "font-src 'self' data:",
        `connect-src 'self'${host ? ` ws://${host} wss://${host}` : ''}`,
        `frame-ancestors ${config.WEBCHAT_FRAME_ANCESTORS}`,
        "base-uri 'none'",
        "form-action 'none'",
      ].join('; '),
    );
    res.header('Cache-Control', 'no-store');
    res.header('Content-Type', 'text/html; charset=utf-8');
    res.sendRaw(200, html);
  });
  server.get('/', page);
  server.head('/', page);

  server.get(
    '/webchat/:asset',
    route(logger, inFlight, async (req, res) => {
      const name = String(req.params?.asset ?? '');
      const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
      if (!asset) throw new HttpError(404, 'not_found', 'No such file.');
      const { raw, gzipped, etag } = await load(name, asset.file);
      securityHeaders(res);
      res.header('Content-Type', asset.type);
      res.header('Cache-Control', `public, max-age=${asset.maxAge}`);
      res.header('ETag', etag);
      res.header('Vary', 'Accept-Encoding');
      // Customers' own sites load webchat.js too (the embeddable snippet).
      res.header('Cross-Origin-Resource-Policy', 'cross-origin');
      if (req.headers['if-none-match'] === etag) {
        res.sendRaw(304, '');
        return;
      }
      const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      if (gz) res.header('Content-Encoding', 'gzip');
      res.sendRaw(200, gz ? gzipped : raw);
    }),
  );
}
