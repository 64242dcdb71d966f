/** Process-wide structured logger (pino); pretty when a person is watching, JSON lines otherwise. */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Builds the logger; secrets that may ride along in objects are redacted by path. */
export function createLogger(level: string, format?: 'json' | 'pretty'): Logger {
  const pretty = format ? format === 'pretty' : Boolean(process.stdout.isTTY);
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ['password', '*.password', 'secret', '*.secret', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'headers.cookie'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  });
}

/** A logger that drops everything: the null object for tests and tools. */
export const silentLogger: Logger = pino({ level: 'silent' });
