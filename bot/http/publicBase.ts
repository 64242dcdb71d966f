/** The base URL links the bot hands out are built on (a stream URL, a transcript link in an export). */
import type { Request } from 'restify';

/**
 * PUBLIC_URL when it is set, else the scheme and host the caller used: behind a trusted proxy the ones it forwards
 * (X-Forwarded-Proto, X-Forwarded-Host), since the Host it passes may be its own upstream address.
 */
export function publicBase(req: Request, options: { publicUrl?: string | undefined; trustProxy: boolean }): string {
  if (options.publicUrl) return options.publicUrl.replace(/\/+$/, '');
  const forwarded = (name: string) => (options.trustProxy ? String(req.headers[name] ?? '').split(',')[0]?.trim() : '') || undefined;
  const proto = forwarded('x-forwarded-proto');
  const secure = proto ? proto === 'https' : req.isSecure();
  return `${secure ? 'https' : 'http'}://${forwarded('x-forwarded-host') ?? req.headers.host ?? 'localhost'}`;
}
