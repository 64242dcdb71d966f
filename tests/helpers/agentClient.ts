/** An agent (or lead, or admin) talking to the HTTP API as the console does, plus a server-sent events reader. */
import { EventEmitter } from 'node:events';
import { type ParsedResponse, readResponse } from './response.js';

/** A response: status, headers and parsed JSON (or text). */
export type ApiResponse = ParsedResponse;

/** Calls the API; `auth` is a bearer token, or cookie + CSRF token, or nothing. */
export async function api(
  base: string,
  method: string,
  path: string,
  options: { token?: string; cookie?: string; csrf?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  return readResponse(res);
}

/** Logs in and returns the bearer token (and the cookie and CSRF token, for cookie tests). */
export async function login(base: string, username: string, password: string): Promise<{ token: string; cookie: string; csrf: string }> {
  const res = await api(base, 'POST', '/api/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { token: res.body.token as string, cookie, csrf: res.body.csrfToken as string };
}

/** One server-sent event. */
export interface Sse {
  event: string;
  data: any;
}

/** A live GET /api/handoffs/events stream. */
export interface EventStream {
  events: Sse[];
  /** Resolves with the first event (already received or later) matching `predicate`. */
  next(predicate: (e: Sse) => boolean): Promise<Sse>;
  /** Resolves when the server ends the stream (or it is closed here). */
  ended: Promise<void>;
  close(): void;
}

/** Opens the event stream with a bearer token; resolves once the response headers arrived. */
export async function openEvents(base: string, token: string): Promise<EventStream> {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/handoffs/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`events: ${res.status}`);
  const events: Sse[] = [];
  const emitter = new EventEmitter();
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!event || data === undefined) continue;
          const e = { event, data: JSON.parse(data) };
          events.push(e);
          emitter.emit('event', e);
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    ended,
    next: (predicate) =>
      new Promise((resolve) => {
        const already = events.find(predicate);
        if (already) return resolve(already);
        const listener = (e: Sse) => {
          if (!predicate(e)) return;
          emitter.off('event', listener);
          resolve(e);
        };
        emitter.on('event', listener);
      }),
    close: () => controller.abort(),
  };
}
