/** Entry point of `npm start`: configuration, the app, the listening server and graceful shutdown. */
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { DataFileError } from '../storage/jsonDb.js';

/** One line saying why the server could not listen on `port` and what to do about it. */
function listenFailure(error: NodeJS.ErrnoException, port: number, host: string): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `Port ${port} is already in use on ${host}: stop the other process or set PORT to a free port.`;
    case 'EACCES':
      return `Port ${port} needs privileges this process does not have: set PORT to 1024 or above.`;
    case 'EADDRNOTAVAIL':
      return `HOST ${host} is not an address of this machine: set HOST to one of its addresses or 0.0.0.0.`;
    default:
      return `Cannot listen on ${host}:${port}: ${error.message}`;
  }
}

/**
 * Says why start-up stops and exits with `code`: in the log, or on standard error when the log is silenced
 * (LOG_LEVEL=silent gave a service that would not start, exit 65 or 78, and not a word why).
 */
async function stopWith(logger: Logger, message: string, code: number): Promise<never> {
  if (logger.isLevelEnabled('fatal')) logger.fatal(message);
  else console.error(message);
  await new Promise((r) => setTimeout(r, 100));
  process.exit(code);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL, config.LOG_FORMAT);
  let app;
  try {
    app = await createApp(config, { logger, program: 'npm start' });
  } catch (error) {
    // A DATA_DIR that is a file or not writable (bot/config.ts dataDirError).
    if (error instanceof ConfigError) return stopWith(logger, error.message, 78); // EX_CONFIG
    if (error instanceof DataFileError) return stopWith(logger, error.message, 65); // EX_DATAERR
    throw error;
  }
  if (config.openMode) {
    logger.warn('MicrosoftAppId is not set: /api/messages takes unauthenticated requests from this machine only (local mode). Set MicrosoftAppId/MicrosoftAppPassword for channels.');
  } else {
    logger.info({ appId: config.MicrosoftAppId }, 'Bot Framework authentication is on: /api/messages requires valid channel tokens');
  }
  // Start the metrics worker and bring the roll-ups up to date before customers arrive rather than among their turns
  // (after an upgrade of the roll-up format this rebuilds them: about 4 s per million logged records).
  const warmed = performance.now();
  await app.metrics.refresh().then(
    () => logger.info({ ms: Math.round(performance.now() - warmed) }, 'Metrics roll-ups up to date'),
    (error: unknown) => logger.warn({ err: error }, 'Roll-up refresh failed'),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      app.server.once('error', reject);
      app.server.listen(config.PORT, config.HOST, () => {
        app.server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // A port taken or refused is the operator's to fix: one line, not an uncaught stack trace.
    await app.shutdown(1000).catch(() => undefined);
    return stopWith(logger, listenFailure(error as NodeJS.ErrnoException, config.PORT, config.HOST), 69); // EX_UNAVAILABLE
  }
  const address = app.server.address();
  logger.info({ port: address.port, dataDir: config.DATA_DIR, languages: app.core.nlu.languages }, `${config.BOT_NAME} listening on http://localhost:${address.port}`);

  const stop = (signal: string) => {
    logger.info({ signal, inFlight: app.inFlight.size }, 'Shutting down: finishing turns in flight');
    app.shutdown().then(
      () => {
        logger.info('Stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
