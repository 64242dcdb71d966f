/** One place where request handlers' errors become HTTP answers, and where in-flight requests are counted. */
import type { Request, Response } from 'restify';
import { DataFileError } from '../../storage/jsonDb.js';
import type { Logger } from '../logger.js';
import { HttpError, sendError } from './errors.js';

/** A restify handler written as an async function that either answers or throws. */
export type Handler = (req: Request, res: Response) => Promise<void>;

/** Counts requests being served, so shutdown can wait for them. */
export class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];

  enter(): void {
    this.count += 1;
  }

  leave(): void {
    this.count -= 1;
    if (this.count === 0) for (const w of this.waiters.splice(0)) w();
  }

  get size(): number {
    return this.count;
  }

  /** Resolves when nothing is in flight, or after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Wraps a handler: HttpErrors become their status, an unreadable data file 503, anything else a logged 500 without internals. */
export function route(logger: Logger, inFlight: InFlight, handler: Handler) {
  // restify runs a two-argument async function as an async handler (no `next`).
  return async (req: Request, res: Response): Promise<void> => {
    inFlight.enter();
    try {
      await handler(req, res);
    } catch (error) {
      if (error instanceof HttpError) {
        sendError(res, error.status, error.code, error.message, error.headers);
      } else if (error instanceof DataFileError) {
        // A store file someone broke under the running server (a hand edit of users.json): every login was a bare
        // 500. Its name and fault go to the log only.
        logger.error({ file: error.file, err: error.message, path: req.path() }, 'A data file cannot be read');
        sendError(res, 503, 'storage_unreadable', 'A data file of this server cannot be read; the server log names it. Nothing was changed.');
      } else {
        logger.error({ err: error, path: req.path() }, 'Request failed');
        sendError(res, 500, 'internal', 'Something went wrong while handling the request.');
      }
    } finally {
      inFlight.leave();
    }
  };
}
