/** Serves the agent console (bot/pages/agent/) at /agent, with the pages' strict security headers. */
import path from 'node:path';
import type { Server } from 'restify';
import { PROJECT_ROOT } from '../config.js';
import type { Logger } from '../logger.js';
import type { InFlight } from './route.js';
import { registerStaticPage } from './staticPage.js';

/** Registers GET /agent and its two assets. */
export function registerAgentPage(server: Server, logger: Logger, inFlight: InFlight): void {
  registerStaticPage(
    server,
    {
      mount: '/agent',
      dir: path.join(PROJECT_ROOT, 'bot', 'pages', 'agent'),
      files: { 'index.html': 'text/html; charset=utf-8', 'agent.js': 'text/javascript; charset=utf-8', 'agent.css': 'text/css; charset=utf-8' },
    },
    logger,
    inFlight,
  );
}
