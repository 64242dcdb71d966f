/**
 * `npm run seed:demo -- --conversations 500 [--days 14] [--seed 1] [--lead-user demo-lead]`
 *
 * Fills DATA_DIR with demo history by driving simulated customers through the real bot over HTTP: the app starts
 * in-process on a free port (refusing a data directory another server holds), customers post to /api/messages and
 * agents work escalations through /api/handoffs, while a simulated clock walks through the past days. Every turn,
 * classification, handoff and log record is the product's own; no metric is written directly.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type App, createApp } from '../bot/app.js';
import { commandFor, ConfigError, loadConfig } from '../bot/config.js';
import { describeIssues } from '../bot/http/errors.js';
import { createLogger } from '../bot/logger.js';
import { shiftDay } from '../metrics/query.js';
import { DataDirInUseError } from '../storage/dataDirLock.js';
import { runSeed } from './seed/run.js';
import { SimClock } from './seed/simulation.js';

const USAGE = `Usage: npm run seed:demo -- [--conversations 500] [--days 14] [--seed 1] [--lead-user demo-lead]
Runs simulated customers through the real bot into DATA_DIR (default data/runtime), spread over the last days.
The lead's password comes from DEMO_PASSWORD, or is generated and printed.`;

const ArgsSchema = z.object({
  conversations: z.coerce.number({ error: 'must be a number' }).int().min(1, { error: 'must be at least 1' }).max(20_000, { error: 'must be at most 20000' }),
  days: z.coerce.number({ error: 'must be a number' }).int().min(1, { error: 'must be at least 1' }).max(90, { error: 'must be at most 90' }),
  seed: z.coerce.number({ error: 'must be a number' }).int(),
  'lead-user': z.string().regex(/^[a-z0-9._-]{2,64}$/, { error: 'must be 2–64 characters: letters, digits, dot, dash or underscore' }),
});

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string', default: '500' },
      days: { type: 'string', default: '14' },
      seed: { type: 'string', default: '1' },
      'lead-user': { type: 'string', default: 'demo-lead' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) throw new ConfigError(`Invalid arguments: ${describeIssues(parsed.error)}`);
  const args = parsed.data;
  // The demo shop's team works around the clock unless BUSINESS_HOURS says otherwise.
  const config = loadConfig({ ...process.env, BUSINESS_HOURS: process.env.BUSINESS_HOURS ?? 'always', LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' });
  const logger = createLogger(config.LOG_LEVEL, config.LOG_FORMAT ?? 'pretty');

  // Conversations stop two hours ago, so even the longest (queue, agent, survey) ends before the real "now".
  const until = new Date(Date.now() - 2 * 3_600_000);
  const firstDay = shiftDay(until.toISOString().slice(0, 10), 1 - args.days);
  const clock = new SimClock(new Date(`${firstDay}T00:00:00Z`));
  const started = Date.now();
  process.stderr.write(`Starting the bot on ${config.DATA_DIR} (the first run trains the NLU model, about a minute)…\n`);
  let app: App;
  try {
    app = await createApp(config, { logger, clock, program: 'npm run seed:demo' });
  } catch (error) {
    if (error instanceof DataDirInUseError) throw new ConfigError(error.message);
    throw error;
  }
  const stop = () => {
    process.stderr.write('\nInterrupted: stopping the bot (what was seeded so far stays).\n');
    app.shutdown(2000).finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  try {
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${app.server.address().port}`;
    const lead = args['lead-user'];
    let password: string | undefined;
    if (!(await app.agentApi.users.get(lead))) {
      password = process.env.DEMO_PASSWORD ?? randomBytes(12).toString('base64url');
      await app.agentApi.users.add(lead, password, 'lead', new Date().toISOString());
    }
    process.stderr.write(`Simulating ${args.conversations} conversations from ${firstDay} to ${until.toISOString().slice(0, 10)}…\n`);
    const summary = await runSeed({
      app,
      url,
      clock,
      conversations: args.conversations,
      days: args.days,
      seed: args.seed,
      until,
      onProgress: (n, total) => {
        if (n % 50 === 0 || n === total) process.stderr.write(`  ${n}/${total} conversations started\n`);
      },
    });
    const report = await app.metrics.report({ from: summary.from, to: summary.to });
    const m = report.overall;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    process.stdout.write(
      [
        `Seeded ${summary.conversations} conversations (${summary.turns} customer messages, ${summary.handoffs} escalations, ${summary.agentMessages} agent messages) from ${summary.from} to ${summary.to} in ${seconds} s.`,
        `The team answered ${summary.ticketsClosed} tickets; the rest are open, as in a real backlog.`,
        `Metrics engine: ${m.engaged} engaged · containment ${pct(m.containmentRate)} · escalation ${pct(m.escalationRate)} · abandonment ${pct(m.abandonmentRate)} · CSAT ${pct(m.csat.score)} (${m.csat.count} answers)`,
        `Open the dashboard: ${commandFor(config, 'npm start', ['DATA_DIR', 'PORT', 'ORDERS_FILE', 'FAQ_DIR', 'CORPUS_DIR', 'LANGUAGES'])}, then http://localhost:${config.PORT}/dashboard`,
        password ? `Log in as ${lead} / ${password}` : `Log in as ${lead} (it already existed; use its password) or any lead or admin.`,
      ].join('\n') + '\n',
    );
    if (summary.errors.length) {
      process.stderr.write(`${summary.errors.length} simulated conversations failed, for example: ${summary.errors.slice(0, 3).join(' | ')}\n`);
      if (summary.errors.length > summary.conversations * 0.02) process.exitCode = 1;
    }
  } finally {
    process.off('SIGINT', stop);
    await app.shutdown(5000);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
