/**
 * Worker-thread side of MetricsWorker (metrics/workerClient.ts): a MetricsService answering one request at a time,
 * so that a report's CPU (0.7 s for 30 days of a million-record log) never holds up customers' turns.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HandoffFacts } from './compute.js';
import { MetricsService } from './service.js';
import type { MetricsRequest, MetricsResponse, MetricsWorkerSetup } from './workerProtocol.js';

const port = parentPort;
if (!port) throw new Error('metrics/worker.ts runs as a worker thread (see MetricsWorker)');
const setup = workerData as MetricsWorkerSetup;

// The caller's clock and handoff store travel with each request; requests run one after another, so these are theirs.
let now = Date.now();
let handoffs: HandoffFacts[] = [];
const service = new MetricsService(
  setup.turnsDir,
  setup.idleMs,
  { now: () => new Date(now) },
  async () => handoffs,
  (message, detail) => port.postMessage({ warn: message, detail } satisfies MetricsResponse),
);

async function answer(request: MetricsRequest): Promise<unknown> {
  switch (request.op) {
    case 'report':
      return service.report(request.query);
    case 'escalations':
      return service.escalations(request.query);
    case 'daysOf':
      return service.daysOf(request.conversationId, request.range);
    case 'refresh':
      return service.refresh();
    case 'invalidate':
      return service.invalidate();
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: MetricsRequest) => {
  queue = queue.then(async () => {
    now = request.now;
    handoffs = request.handoffs ?? [];
    try {
      port.postMessage({ id: request.id, result: await answer(request) } satisfies MetricsResponse);
    } catch (error) {
      port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies MetricsResponse);
    }
  });
});
