/** GET /api/metrics — the CX report of DESIGN §4/§5 for a date range, optionally grouped. */
import type { Server } from 'restify';
import type { MetricsService } from '../../metrics/service.js';
import { ReportQuerySchema } from '../../metrics/service.js';
import { parseOr400 } from '../http/errors.js';
import { type InFlight, route } from '../http/route.js';
import type { Logger } from '../logger.js';
import type { Auth } from './auth.js';

/** Dependencies of the metrics routes. */
export interface MetricsRouteDeps {
  metrics: MetricsService;
  logger: Logger;
  inFlight: InFlight;
  auth: Auth;
}

/** Registers the metrics routes (leads and admins). */
export function registerMetricsRoutes(server: Server, deps: MetricsRouteDeps): void {
  server.get(
    '/api/metrics',
    route(deps.logger, deps.inFlight, async (req, res) => {
      await deps.auth.require(req, 'lead');
      const query = parseOr400(ReportQuerySchema, req.query ?? {}, 'query');
      res.json(await deps.metrics.report(query));
    }),
  );
}
