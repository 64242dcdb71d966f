/** Errors as HTTP answers: one JSON shape `{ error: { code, message } }`, never a stack trace. */
import type { Response } from 'restify';
import type { z } from 'zod';

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
