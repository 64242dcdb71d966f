/**
 * `npm run privacy -- export <customerId>` | `erase <customerId>` | `retention`: privacy operations on a stopped
 * server's data.
 */
import { createBotCore } from '../bot/app.js';
import { ConfigError, loadConfig, requireDataDir } from '../bot/config.js';
import { createLogger } from '../bot/logger.js';
import { describeHolder, lockHolder } from '../storage/dataDirLock.js';
import { applyRetention, eraseCustomer, exportCustomer } from '../storage/privacy.js';

async function main(): Promise<void> {
  const [command, arg] = process.argv.slice(2);
  if (command !== 'export' && command !== 'erase' && command !== 'retention') {
    process.stderr.write(
      'Usage:\n  npm run -s privacy -- export <customerId>   print everything stored about one customer (JSON)\n  npm run privacy -- erase <customerId>       remove everything stored about one customer\n  npm run privacy -- retention                purge data older than RETENTION_DAYS\n',
    );
    process.exit(2);
  }
  const config = loadConfig();
  await requireDataDir(config.DATA_DIR);
  const holder = await lockHolder(config.DATA_DIR);
  if (holder) {
    throw new ConfigError(
      `Another bot process (${describeHolder(holder)}) is using ${config.DATA_DIR}: stop it first, or, while the server runs, use its admin API (POST /api/privacy/erase).`,
    );
  }
  const core = await createBotCore(config, { logger: createLogger('warn', 'pretty', 2), program: 'npm run privacy' });
  try {
    if (command === 'export') {
      process.stdout.write(`${JSON.stringify(await exportCustomer(core.privacy, String(arg ?? ''), new Date()), null, 2)}\n`);
      return;
    }
    const report =
      command === 'erase'
        ? await eraseCustomer(core.privacy, String(arg ?? ''))
        : await applyRetention(core.privacy, config.RETENTION_DAYS, new Date());
    process.stdout.write(`${JSON.stringify({ command, ...(arg ? { customerId: arg } : {}), removed: report }, null, 2)}\n`);
  } finally {
    await core.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
