/**
 * Serves the support-lead dashboard (bot/pages/dashboard/) at /dashboard with the agent console's security headers
 * (own scripts and styles only, no inline code, no framing), and Chart.js from the installed package (no CDN).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Server } from 'restify';
import { PROJECT_ROOT } from '../config.js';
import type { Logger } from '../logger.js';
import { type InFlight, route } from './route.js';
import { pageHeaders, registerStaticPage } from './staticPage.js';

const DIR = path.join(PROJECT_ROOT, 'bot', 'pages', 'dashboard');
const JS = 'text/javascript; charset=utf-8';

/** The page's files and their types; nothing else in the folder is served. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': JS,
  'util.js': JS,
  'charts.js': JS,
  'review.js': JS,
  'inbox.js': JS,
};

/** Chart.js's UMD bundle (defines the `Chart` global), resolved from node_modules. */
const CHART_JS = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');

/** Registers GET /dashboard, its files and /dashboard/vendor/chart.umd.js. */
export function registerDashboardPage(server: Server, logger: Logger, inFlight: InFlight): void {
  let chart: Promise<Buffer> | undefined;
  registerStaticPage(server, { mount: '/dashboard', dir: DIR, files: FILES }, logger, inFlight);
  server.get(
    '/dashboard/vendor/chart.umd.js',
    route(logger, inFlight, async (_req, res) => {
      chart ??= readFile(CHART_JS);
      chart.catch(() => (chart = undefined));
      const body = await chart;
      pageHeaders(res);
      res.header('Content-Type', JS);
      // The bundle only changes with the installed package; let the browser keep it for a day.
      res.header('Cache-Control', 'public, max-age=86400');
      res.sendRaw(200, body);
    }),
  );
}
