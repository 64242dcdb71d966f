/**
 * Serves a plain HTML/CSS/JS page from bot/pages/<name>/ with strict security headers: a Content-Security-Policy
 * that allows only this origin's own script and style files (no inline code), no framing, no referrer. Used by the
 * agent console and the dashboard.
 */
import { readFile } from 'node:fs/promises';
import type { Response, Server } from 'restify';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { HttpError } from './errors.js';
import { type InFlight, route } from './route.js';

/** The pages' Content-Security-Policy: own files only, no inline code, no framing. */
export const PAGE_CSP = [
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
  res.header('Content-Security-Policy', PAGE_CSP);
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('X-Frame-Options', 'DENY');
  res.header('Referrer-Policy', 'no-referrer');
  res.header('Cross-Origin-Opener-Policy', 'same-origin');
  res.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  res.header('Cache-Control', 'no-cache');
}

/** Registers GET `mount` (its index.html) and GET `mount/:file` for the listed files only. */
export function registerStaticPage(
  server: Server,
  page: { mount: string; dir: string; files: Record<string, string> },
  logger: Logger,
  inFlight: InFlight,
): void {
  const serve = (fixed?: string) =>
    route(logger, inFlight, async (req, res) => {
      const file = fixed ?? String(req.params.file ?? '');
      const type = Object.hasOwn(page.files, file) ? page.files[file] : undefined;
      if (!type) throw new HttpError(404, 'not_found', 'No such file.');
      const body = await readFile(path.join(page.dir, file));
      pageHeaders(res);
      res.header('Content-Type', type);
      res.sendRaw(200, body);
    });
  server.get(page.mount, serve('index.html'));
  server.get(`${page.mount}/:file`, serve());
}
