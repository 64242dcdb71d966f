/** Process-wide structured logger (pino); pretty when a person is watching, JSON lines otherwise. */
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Builds the logger; secrets that may ride along in objects are redacted by path. Command-line tools whose standard
 * output is their result (JSON, a transcript) log to standard error: `fd` 2.
 */
export function createLogger(level: string, format?: 'json' | 'pretty', fd: 1 | 2 = 1): Logger {
  const out = fd === 2 ? process.stderr : process.stdout;
  const pretty = format ? format === 'pretty' : Boolean(out.isTTY);
  const options = {
    level,
    base: undefined,
    redact: {
      paths: ['password', '*.password', 'secret', '*.secret', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'headers.cookie'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: Boolean(out.isTTY), translateTime: 'HH:MM:ss', ignore: 'pid,hostname', destination: fd } } } : {}),
  };
  return pretty ? pino(options) : pino(options, pino.destination(fd));
}

/** A logger that drops everything: the null object for tests and tools. */
export const silentLogger: Logger = pino({ level: 'silent' });
