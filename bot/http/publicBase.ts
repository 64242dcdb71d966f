/** The base URL links the bot hands out are built on (a stream URL, a transcript link in an export). */
import type { Request } from 'restify';

/**
 * PUBLIC_URL when it is set, else the scheme and host the caller used: behind a trusted proxy the ones it forwards
 * (X-Forwarded-Proto, X-Forwarded-Host), since the Host it passes may be its own upstream address.
 */
export function publicBase(req: Request, options: { publicUrl?: string | undefined; trustProxy: boolean }): string {
  if (options.publicUrl) return options.publicUrl.replace(/\/+$/, '');
  const proto = forwarded(req, 'x-forwarded-proto', options.trustProxy);
  const secure = proto ? proto === 'https' : req.isSecure();
  return `${secure ? 'https' : 'http'}://${forwarded(req, 'x-forwarded-host', options.trustProxy) ?? req.headers.host ?? 'localhost'}`;
}

/** The first value of a proxy's `X-Forwarded-*` header, when proxies are trusted (TRUST_PROXY) and it has one. */
export function forwarded(req: Request, header: string, trustProxy: boolean): string | undefined {
  return (trustProxy ? req.header(header)?.split(',')[0]?.trim() : undefined) || undefined;
}
