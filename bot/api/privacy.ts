/** Admin privacy operations over HTTP: export or erase one customer's data (DESIGN §5: admin has "privacy"). */
import type { Server } from 'restify';
import { z } from 'zod';
import type { Clock } from '../../storage/clock.js';
import { CUSTOMER_ID, eraseCustomer, exportCustomer, type PrivacyTargets } from '../../storage/privacy.js';
import { NoQuerySchema, parseOr400, parseQuery } from '../http/errors.js';
import type { InFlight } from '../http/route.js';
import type { Logger } from '../logger.js';
import type { Auth } from './auth.js';
import { apiRoute } from './common.js';

const CustomerSchema = z.object({ customerId: z.string().regex(CUSTOMER_ID, 'must be a customer id: c_ followed by 16 hex digits') });

/** Registers POST /api/privacy/export and POST /api/privacy/erase. */
export function registerPrivacyRoutes(
  server: Server,
  deps: { auth: Auth; privacy: PrivacyTargets; logger: Logger; inFlight: InFlight; clock: Clock },
): void {
  server.post(
    '/api/privacy/export',
    apiRoute(deps.logger, deps.inFlight, async (req, res) => {
      const admin = await deps.auth.require(req, 'admin');
      parseQuery(NoQuerySchema, req.query);
      const { customerId } = parseOr400(CustomerSchema, req.body ?? {}, 'request');
      const found = await exportCustomer(deps.privacy, customerId, deps.clock.now());
      // Audited like erasure: who read which pseudonymous id's data, never the data.
      deps.logger.info({ by: admin.user.username, customerId, turns: found.turns.length, tickets: found.tickets.length }, 'Customer data exported');
      res.json(found);
    }),
  );
  server.post(
    '/api/privacy/erase',
    apiRoute(deps.logger, deps.inFlight, async (req, res) => {
      const admin = await deps.auth.require(req, 'admin');
      // "?dryRun=1" erased for real: a parameter this route does not know is refused, not ignored.
      parseQuery(NoQuerySchema, req.query);
      const { customerId } = parseOr400(CustomerSchema, req.body ?? {}, 'request');
      const removed = await eraseCustomer(deps.privacy, customerId);
      // An audit line without the data itself: who erased which pseudonymous id, and how much.
      deps.logger.info({ by: admin.user.username, customerId, removed }, 'Customer data erased');
      res.json({ customerId, removed });
    }),
  );
}
