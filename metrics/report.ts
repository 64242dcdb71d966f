/** `npm run -s report -- --from 2026-11-01 --to 2026-11-30 [--group-by day|channel|locale|intent] [--format table|json|csv]`. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig, requireDataDir } from '../bot/config.js';
import { describeIssues } from '../bot/http/errors.js';
import { systemClock } from '../storage/clock.js';
import { toCsv, toTable } from './format.js';
import { addDays, MetricsService, ReportQuerySchema } from './service.js';
import { handoffFactsLoader } from './handoffFacts.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'group-by': { type: 'string' },
      format: { type: 'string', default: 'table' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('Usage: npm run -s report -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--group-by day|channel|locale|intent] [--format table|json|csv]\nDefaults: the last 30 days, a table.\n');
    return;
  }
  const config = loadConfig();
  await requireDataDir(config.DATA_DIR);
  const today = systemClock.now().toISOString().slice(0, 10);
  const parsed = ReportQuerySchema.safeParse({ from: values.from ?? addDays(values.to ?? today, -29), to: values.to ?? today, groupBy: values['group-by'] });
  if (!parsed.success) throw new ConfigError(`Invalid arguments: ${describeIssues(parsed.error)}`);
  const format = z.enum(['table', 'json', 'csv']).safeParse(values.format);
  if (!format.success) throw new ConfigError('Invalid arguments: --format must be table, json or csv');
  const service = MetricsService.forDataDir(config.DATA_DIR, config.SESSION_IDLE_MINUTES, systemClock, handoffFactsLoader(config.DATA_DIR), (m, d) =>
    process.stderr.write(`warning: ${m} ${d ? JSON.stringify(d) : ''}\n`),
  );
  const report = await service.report(parsed.data);
  if (format.data === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format.data === 'csv') process.stdout.write(toCsv(report));
  else process.stdout.write(`${toTable(report, parsed.data.groupBy ?? 'range')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
