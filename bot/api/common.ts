/** Helpers shared by the agent API routes: response headers, client address, cookies, the route wrapper. */
import type { Request, Response } from 'restify';
import type { Logger } from '../logger.js';
import { type Handler, type InFlight, route } from '../http/route.js';

/** Headers every API answer carries: never cached, never sniffed. */
export function apiHeaders(res: Response): void {
  res.header('Cache-Control', 'no-store');
  res.header('X-Content-Type-Options', 'nosniff');
}

/** `route()` plus the API headers. */
export function apiRoute(logger: Logger, inFlight: InFlight, handler: Handler) {
  return route(logger, inFlight, async (req, res) => {
    apiHeaders(res);
    await handler(req, res);
  });
}

/** The caller's address (one rule for the API, Direct Line and the stream). */
export { clientIp } from '../http/rateLimit.js';

/** Whether the request reached us over HTTPS (directly, or per a trusted proxy). */
export function isHttps(req: Request, trustProxy: boolean): boolean {
  return req.isSecure() || (trustProxy && req.header('x-forwarded-proto') === 'https');
}

/** One cookie's value from the Cookie header. */
export function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Whether a method changes state (needs CSRF protection when authenticated by cookie). */
export function isUnsafe(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}
