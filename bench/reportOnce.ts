/** Child process of bench/log.ts: one report in a fresh process (roll-ups from disk), timed, as JSON on stdout. */
import { MetricsService } from '../metrics/service.js';
import { systemClock } from '../storage/clock.js';

const [turnsDir, from, to] = process.argv.slice(2) as [string, string, string];
const service = new MetricsService(turnsDir, 30 * 60_000, systemClock);
const t0 = process.hrtime.bigint();
const first = await service.report({ from, to });
const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
const t1 = process.hrtime.bigint();
await service.report({ from, to, groupBy: 'day' });
const secondMs = Number(process.hrtime.bigint() - t1) / 1e6;
process.stdout.write(JSON.stringify({ firstMs, secondMs, conversations: first.overall.conversations, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) }));
