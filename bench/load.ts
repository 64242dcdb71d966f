/** Load generator: concurrent simulated customers holding realistic conversations over /api/messages (expectReplies). */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../bot/config.js';

/** A demo order (data/orders.json) a simulated customer asks about, with the postcode that verifies it. */
export interface DemoOrder {
  number: string;
  postcode: string;
  status: string;
}

/** The kinds of conversation the simulated customers hold, in rotation. */
export const CONVERSATION_KINDS = ['faq', 'orderStatus', 'complaint', 'fallback', 'person'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

/**
 * Phrasings per step, so the NLU meets new text as it would with real customers instead of a handful of cached
 * sentences; `{order}` is a demo order number.
 */
const SAY = {
  shippingQuestion: ['how long does shipping take?', 'how many days does standard delivery take', 'what are your delivery times?'],
  orderQuestion: ['where is my order {order}?', "any news on order #{order}? it's been a while", 'can you check the status of {order} for me'],
  greeting: ['hi', 'hello there', 'good morning'],
  complaint: [
    'my order {order} arrived broken and I am really upset about it',
    'the item in order {order} came smashed, this is really disappointing',
    "order {order} showed up damaged and nobody answers my emails, I'm fed up",
  ],
  waiting: [['no', '2', 'skip'], ['hello?', 'is anyone there', 'ok I will wait'], ['still here', 'please hurry', 'thanks']],
  gibberish: [
    ['blorp zap quux', 'wibble wobble'],
    ['qwv zzkp mmrt', 'flim flam'],
    ['purple elephant trombone', 'gnarp vex'],
  ],
  invoiceQuestion: ['how do I get an invoice?', 'where can I download the invoice for my purchase', 'I need a receipt for what I bought'],
  paymentQuestion: ['can I pay with paypal?', 'do you take apple pay', 'which cards can I pay with?'],
  askPerson: ['I want to talk to a person', 'let me speak to a human agent please', 'can I chat with someone from your team'],
};

/**
 * The messages of simulated conversation `k`: its kind rotates (FAQ with survey, order status with verification,
 * complaint escalated to a queue nobody answers, two misunderstood messages then an FAQ, a person asked for then
 * cancelled), and its phrasing, order and survey scores vary with `k`.
 */
export function conversationScript(k: number, orders: readonly DemoOrder[]): { kind: ConversationKind; texts: string[] } {
  const kind = CONVERSATION_KINDS[k % CONVERSATION_KINDS.length] as ConversationKind;
  const round = Math.floor(k / CONVERSATION_KINDS.length);
  const pick = <T>(options: readonly T[], salt = 0): T => options[(round + salt) % options.length] as T;
  const order = orders[(round * 7 + (k % CONVERSATION_KINDS.length)) % orders.length] as DemoOrder;
  const fill = (text: string) => text.replace('{order}', order.number);
  const texts: Record<ConversationKind, () => string[]> = {
    faq: () => [pick(SAY.shippingQuestion), 'yes', 'no', String(1 + (round % 5)), String(round % 11), 'skip'],
    // A delivered order's status asks whether to report it missing: this customer has it, and says no first.
    orderStatus: () => [fill(pick(SAY.orderQuestion)), order.postcode, ...(order.status === 'delivered' ? ['no'] : []), 'no', 'skip'],
    // Nobody answers the queue in a benchmark: this customer writes into it and gives up (the handoff is abandoned).
    complaint: () => [pick(SAY.greeting, 1), fill(pick(SAY.complaint, 2)), ...pick(SAY.waiting)],
    fallback: () => [...pick(SAY.gibberish), 'no', pick(SAY.invoiceQuestion, 1), 'bye', 'skip'],
    person: () => [pick(SAY.paymentQuestion), 'no', pick(SAY.askPerson, 2), 'back to bot', 'bye', 'skip'],
  };
  return { kind, texts: texts[kind]() };
}

/** The demo orders of data/orders.json (the bot's default ORDERS_FILE), which the order-status customers ask about. */
export async function loadDemoOrders(file = path.join(PROJECT_ROOT, 'data', 'orders.json')): Promise<DemoOrder[]> {
  const parsed = z.object({ orders: z.array(z.object({ number: z.string(), postcode: z.string(), status: z.string() })).min(1) }).parse(JSON.parse(await readFile(file, 'utf8')));
  return parsed.orders.map(({ number, postcode, status }) => ({ number, postcode, status }));
}

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

/** Runs `concurrency` customers for `durationMs` (or until `maxTurns`), each holding one conversation after another. */
export async function runLoad(options: { url: string; concurrency: number; durationMs: number; maxTurns?: number; tag: string; orders: readonly DemoOrder[] }): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let conversation = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const maxTurns = options.maxTurns ?? Number.POSITIVE_INFINITY;
  const customer = async (n: number) => {
    while (performance.now() < deadline && latencies.length < maxTurns) {
      const k = conversation;
      conversation += 1;
      const conversationId = `${options.tag}-${n}-${k}`;
      for (const text of conversationScript(k, options.orders).texts) {
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
