/**
 * Serves the agent console (bot/pages/agent/) at /agent with strict security headers: a Content-Security-Policy
 * that allows only this origin's own script and style files (no inline code), no framing, no referrer.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Response, Server } from 'restify';
import { PROJECT_ROOT } from '../config.js';
import type { Logger } from '../logger.js';
import { HttpError } from './errors.js';
import { type InFlight, route } from './route.js';

const DIR = path.join(PROJECT_ROOT, 'bot', 'pages', 'agent');

/** The files the page consists of, and their types; nothing else in the folder is served. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'agent.js': 'text/javascript; charset=utf-8',
  'agent.css': 'text/css; charset=utf-8',
};

/** The page's Content-Security-Policy: own files only, no inline code, no framing. */
export const AGENT_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Security headers of every page response. */
export function pageHeaders(res: Response): void {
  res.header('Content-Security-Policy', AGENT_PAGE_CSP);
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('X-Frame-Options', 'DENY');
  res.header('Referrer-Policy', 'no-referrer');
  res.header('Cross-Origin-Opener-Policy', 'same-origin');
  res.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  res.header('Cache-Control', 'no-cache');
}

/** Registers GET /agent and its two assets. */
export function registerAgentPage(server: Server, logger: Logger, inFlight: InFlight): void {
  const serve = (fixed?: string) =>
    route(logger, inFlight, async (req, res) => {
      const file = fixed ?? String(req.params.file ?? '');
      const type = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
      if (!type) throw new HttpError(404, 'not_found', 'No such file.');
      const body = await readFile(path.join(DIR, file));
      pageHeaders(res);
      res.header('Content-Type', type);
      res.sendRaw(200, body);
    });
  server.get('/agent', serve('index.html'));
  server.get('/agent/:file', serve());
}
