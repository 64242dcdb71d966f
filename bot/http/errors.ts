/** Errors as HTTP answers: one JSON shape `{ error: { code, message } }`, never a stack trace. */
import type { Response } from 'restify';
import { z } from 'zod';

/** An error that knows its HTTP status and machine-readable code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Writes the error body. */
export function sendError(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(headers)) res.header(k, v);
  res.status(status);
  res.json({ error: { code, message } });
}

/** One line naming the first problem in a zod error, with its path: "text: expected string". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Parses `value` with `schema` or throws a 400 naming the problem. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, 'invalid_request', `Invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}

/** A query that takes no parameters: an unknown one is refused, as on every route that takes some. */
export const NoQuerySchema = z.object({}).strict();

/**
 * Parses a request's query string with `schema` or throws a 400. A parameter given twice ("range=today&range=7d")
 * is refused by name: it reached the schema as a list and was answered "must be one of today, 7d, …".
 */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const params = (query ?? {}) as Record<string, unknown>;
  const repeated = Object.keys(params).filter((k) => Array.isArray(params[k]));
  if (repeated.length) throw new HttpError(400, 'invalid_request', `Invalid query: ${repeated.map((k) => `${k}: give it once`).join('; ')}`);
  return parseOr400(schema, params, 'query');
}
