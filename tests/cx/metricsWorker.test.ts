import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsService } from '../../metrics/service.js';
import { MetricsWorker } from '../../metrics/workerClient.js';
import { FixedClock } from '../../storage/clock.js';
import { JsonlTurnLog } from '../../storage/turnLog.js';
import { FIXTURE_HANDOFFS, FIXTURE_NOW, FIXTURE_RECORDS } from './fixtures.js';

let dir: string;
let inThread: MetricsService;
let worker: MetricsWorker;
const clock = new FixedClock(FIXTURE_NOW);
// The worker gets the handoffs as stored, with fields the metrics never read; it must carry across only the facts.
const stored = FIXTURE_HANDOFFS.map((h) => ({ ...h, reference: { conversation: { id: h.conversationId } }, transcript: ['not for the worker'] }));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-metrics-worker-'));
  const log = new JsonlTurnLog(path.join(dir, 'turns'));
  await log.append(FIXTURE_RECORDS);
  await log.close();
  inThread = MetricsService.forDataDir(dir, 30, clock, async () => FIXTURE_HANDOFFS);
  worker = new MetricsWorker({ turnsDir: path.join(dir, 'turns'), idleMs: 30 * 60_000, clock, handoffs: async () => stored });
});
afterAll(async () => {
  await worker.close();
  await rm(dir, { recursive: true, force: true });
});

const range = { from: '2026-11-20', to: '2026-11-21' };

describe('metrics on a worker thread', () => {
  it("answers exactly as the engine in the bot's own thread: reports, escalations, a conversation's days", async () => {
    const report = await worker.report({ ...range, groupBy: 'channel', compare: true });
    expect(report.overall.conversations).toBe(14);
    expect(report).toEqual(await inThread.report({ ...range, groupBy: 'channel', compare: true }));
    const escalations = await worker.escalations({ ...range, status: ['resolved'] });
    expect(escalations.length).toBeGreaterThan(0);
    expect(escalations).toEqual(await inThread.escalations({ ...range, status: ['resolved'] }));
    expect(await worker.daysOf('c14')).toEqual(await inThread.daysOf('c14'));
  });

  it("judges open conversations by the caller's clock, not the worker's", async () => {
    const before = (await worker.report(range)).overall;
    clock.advance(2 * 86_400_000);
    try {
      const later = (await worker.report(range)).overall;
      expect(later).toEqual((await inThread.report(range)).overall);
      expect(later.open).toBe(0);
      expect(before.open).toBe(1);
    } finally {
      clock.advance(-2 * 86_400_000);
    }
  });

  it('passes a failure back as an error and keeps answering; after close, the next call starts a new worker', async () => {
    const notADirectory = path.join(dir, 'file');
    await writeFile(notADirectory, 'x');
    const broken = new MetricsWorker({ turnsDir: notADirectory, idleMs: 30 * 60_000, clock });
    try {
      await expect(broken.report(range)).rejects.toThrow(/ENOTDIR/);
      await expect(broken.daysOf('c1')).rejects.toThrow(/ENOTDIR/);
    } finally {
      await broken.close();
    }
    await worker.close();
    expect((await worker.report(range)).overall.conversations).toBe(14);
  });
});
