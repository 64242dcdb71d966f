/** Load generator: concurrent simulated customers holding realistic conversations over /api/messages (expectReplies). */
import http from 'node:http';

/** Conversations the simulated customers hold, in rotation: FAQ, order status with verification, complaint, fallback. */
export const SCRIPTS: string[][] = [
  ['how long does shipping take?', 'yes', 'no', '4', '9', 'skip'],
  ['where is my order 10435?', '02139', 'no', 'skip'],
  ['hi', 'my order 10622 arrived broken and I am really upset about it', 'no', '2', 'skip'],
  ['blorp zap quux', 'wibble wobble', 'no', 'how do I get an invoice?', 'bye', 'skip'],
  // Nobody answers the queue in a benchmark, so this customer gives up waiting (the handoff is abandoned).
  ['can I pay with paypal?', 'no', 'I want to talk to a person', 'back to bot', 'bye', 'skip'],
];

/** What one load phase measured. */
export interface LoadResult {
  turns: number;
  errors: number;
  seconds: number;
  turnsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  latencies: number[];
}

function post(agent: http.Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: '/api/messages', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (sorted: Float64Array, q: number) => (sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number) : Number.NaN);

/** Runs `concurrency` customers for `durationMs` (or until `maxTurns`), each starting a fresh conversation per script. */
export async function runLoad(options: { url: string; concurrency: number; durationMs: number; maxTurns?: number; tag: string }): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let conversation = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const maxTurns = options.maxTurns ?? Number.POSITIVE_INFINITY;
  const customer = async (n: number) => {
    let i = n;
    while (performance.now() < deadline && latencies.length < maxTurns) {
      const script = SCRIPTS[i % SCRIPTS.length] as string[];
      i += 1;
      conversation += 1;
      const conversationId = `${options.tag}-${n}-${conversation}`;
      for (const text of script) {
        if (performance.now() >= deadline || latencies.length >= maxTurns) break;
        const body = JSON.stringify({
          type: 'message',
          channelId: 'webchat',
          serviceUrl: 'http://127.0.0.1/',
          from: { id: `customer-${n}` },
          recipient: { id: 'bot' },
          conversation: { id: conversationId },
          locale: 'en-US',
          text,
          deliveryMode: 'expectReplies',
        });
        const t0 = performance.now();
        try {
          const status = await post(agent, url, body);
          if (status !== 200) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - t0);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, n) => customer(n)));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    turns: latencies.length,
    errors,
    seconds,
    turnsPerSecond: latencies.length / seconds,
    p50: pct(sorted, 0.5),
    p95: pct(sorted, 0.95),
    p99: pct(sorted, 0.99),
    latencies,
  };
}
