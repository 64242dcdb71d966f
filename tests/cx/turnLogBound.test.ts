/** The turn log's write bound holds for a whole turn, however many replies it sends (DESIGN §3). */
import { TestAdapter } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { CustomerIds } from '../../bot/customerIds.js';
import { silentLogger } from '../../bot/logger.js';
import { TurnLogMiddleware } from '../../bot/middleware/turnLogMiddleware.js';
import { systemClock } from '../../storage/clock.js';
import type { TurnLog, TurnRecord } from '../../storage/turnLog.js';

describe('the turn log bound, per turn', () => {
  // On a full disk a turn of two replies waited twice LOG_WRITE_TIMEOUT_MS, of four four times: the bound applied to
  // each reply's write. Here the first write "passes its bound" (returns, the log unhealthy); a later write that were
  // waited for would never return, and the turn would never end.
  it('once a write passed its bound, the turn\'s later replies queue their records without waiting', async () => {
    const written: TurnRecord[][] = [];
    let healthy = true;
    const log = {
      append: (records: TurnRecord[]) => {
        written.push(records);
        if (written.length === 1) {
          healthy = false;
          return Promise.resolve();
        }
        return new Promise<void>(() => undefined);
      },
      health: () => (healthy ? { ok: true } : { ok: false, detail: 'write slower than 100 ms' }),
    } as unknown as TurnLog;
    const adapter = new TestAdapter(async (context) => {
      for (const text of ['one', 'two', 'three']) await context.sendActivity(text);
    });
    adapter.use(new TurnLogMiddleware(log, new CustomerIds(Buffer.alloc(32, 1)), systemClock, silentLogger));
    await adapter.send('hello').assertReply('one').assertReply('two').assertReply('three');
    // Every record still went to the log, in order: the customer's with the first reply, then one per reply.
    expect(written.map((records) => records.map((r) => r.text))).toEqual([['hello', 'one'], ['two'], ['three']]);
  });
});
