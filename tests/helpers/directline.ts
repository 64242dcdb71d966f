/** Small helpers for talking to the built-in Direct Line over plain HTTP in tests. */

import { type ParsedResponse, readResponse } from './response.js';

/** Status and parsed JSON body of a response. */
export type JsonResponse = ParsedResponse;

/** Calls `url` + `path` with an optional bearer and JSON body. */
export async function dl(url: string, path: string, options: { method?: string; bearer?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${url}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  return readResponse(res);
}

/** Texts of the bot's message activities. */
export function botTexts(activities: Array<{ type: string; text?: string; from?: { role?: string } }>): string[] {
  return activities.filter((a) => a.type === 'message' && a.from?.role === 'bot').map((a) => a.text ?? '');
}
