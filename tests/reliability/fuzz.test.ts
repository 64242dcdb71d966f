/**
 * A seeded fuzzer: random and malformed activities, Direct Line calls and API requests thrown at a running server for
 * a bounded time. No crash, no 5xx other than deliberate 503s, memory bounded. Set FUZZ_SEED to replay a run.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng } from '../../bench/synthetic.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 100_000);
const DURATION_MS = Number(process.env.FUZZ_MS ?? 12_000);
const WARM_UP_MS = 3_000;

// A real collector, so heap readings are live objects and not garbage waiting for a collection.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const liveHeap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ MESSAGES_PER_MINUTE: '100000', DIRECTLINE_REQUESTS_PER_MINUTE: '100000', DIRECTLINE_MESSAGES_PER_MINUTE: '100000', WEBCHAT_TOKENS_PER_MINUTE: '100000' });
});
afterAll(async () => server.stop());

function generator(seed: number) {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const int = (n: number) => Math.floor(rand() * n);
  const strings = [
    '', ' ', 'hi', 'where is my order 10435', '😀😀😀', '\u0000\u0001\u0007', '\uD800', 'ｗｈｅｒｅ', '۱۰۴۳۵', '我的订单', 'سفارش من کجاست',
    'x'.repeat(5000), '<script>alert(1)</script>', '"; DROP TABLE turns; --', '../../etc/passwd', '%s%s%n', '{"a":', '\n\n\n', 'yes', '2', 'cancel',
    'talk to a person', 'back to bot', 'bye', '5', 'skip', 'ORD-10231', 'jane@example.com 4111 1111 1111 1111',
  ];
  const junk = (depth = 0): unknown => {
    const k = int(depth > 2 ? 5 : 8);
    if (k === 0) return pick(strings);
    if (k === 1) return int(2) ? rand() * 1e12 - 5e11 : -int(1000);
    if (k === 2) return int(2) === 0;
    if (k === 3) return null;
    if (k === 4) return undefined;
    if (k === 5) return Array.from({ length: int(4) }, () => junk(depth + 1));
    return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['type', 'text', 'id', 'from', 'value', '__proto__', 'constructor', 'channelData']), junk(depth + 1)]));
  };
  const activity = (): unknown => {
    const base: Record<string, unknown> = {
      type: pick(['message', 'message', 'message', 'conversationUpdate', 'event', 'invoke', 'typing', 'endOfConversation', 'messageReaction', 'installationUpdate', 'x-unknown', '']),
      channelId: pick(['webchat', 'directline', 'sms', 'msteams', 'telegram', 'fuzz', '']),
      serviceUrl: pick(['http://127.0.0.1:1/', 'not a url', '']),
      from: pick([{ id: `u${int(5)}` }, { id: '' }, {}, 'string', null]),
      recipient: { id: 'bot' },
      conversation: pick([{ id: `fz-${int(20)}` }, { id: '' }, {}, null, 7]),
      text: pick(strings),
      deliveryMode: pick(['expectReplies', 'expectReplies', 'normal', 'bogus', undefined]),
      locale: pick(['en-US', 'es', 'zh-CN', 'fa-IR', 'xx', 42, undefined]),
    };
    // Then break it in one or two random ways.
    for (let i = int(3); i > 0; i -= 1) {
      const key = pick(Object.keys(base));
      if (int(2)) delete base[key];
      else base[key] = junk();
    }
    if (int(5) === 0) base.attachments = junk();
    if (int(5) === 0) base.value = junk();
    if (int(6) === 0) base.membersAdded = junk();
    return base;
  };
  return { rand, pick, int, junk, activity };
}

describe(`fuzzing a running server (seed ${SEED})`, () => {
  it('never crashes, answers 5xx only as a deliberate 503, and stays within memory', async () => {
    const g = generator(SEED);
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    const deadline = Date.now() + WARM_UP_MS + DURATION_MS;
    let dlToken: string | undefined;
    let dlConversation: string | undefined;
    const send = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      // 503 is the deliberate "not ready / full"; 501 is the Bot Framework's answer to an invoke the bot does not implement.
      const deliberate = res.status === 503 || (res.status === 501 && (body ?? '').includes('"invoke"'));
      if (res.status >= 500 && !deliberate) unexpected.push(`${res.status} ${method} ${path} ${body?.slice(0, 200)} → ${text.slice(0, 200)}`);
      if (res.status >= 400 && text && path !== '/readyz' && !/^\{"error":\{"code":/.test(text) && !path.startsWith('/webchat') && !path.startsWith('/agent')) {
        unexpected.push(`non-JSON error ${res.status} ${method} ${path}: ${text.slice(0, 120)}`);
      }
      return { status: res.status, text };
    };
    const worker = async () => {
      while (Date.now() < deadline) {
        const kind = g.int(10);
        if (kind < 5) {
          const raw = g.int(8) === 0 ? String(g.pick(['{', '[]', 'null', '"x"', '{"type":1}', '\u0000'])) : JSON.stringify(g.activity());
          await send('POST', '/api/messages', raw);
        } else if (kind < 8) {
          if (!dlToken || g.int(10) === 0) {
            const t = await send('POST', '/api/webchat/token', '{}');
            dlToken = t.status === 200 ? (JSON.parse(t.text) as { token: string }).token : undefined;
            if (dlToken) {
              const c = await send('POST', '/v3/directline/conversations', '{}', { authorization: `Bearer ${dlToken}` });
              dlConversation = c.status < 300 ? (JSON.parse(c.text) as { conversationId: string }).conversationId : undefined;
            }
          }
          const conv = g.int(4) === 0 ? 'no-such' : dlConversation ?? 'none';
          const auth = g.pick([`Bearer ${dlToken}`, 'Bearer forged', 'Basic abc', '']);
          const path = g.pick([`/v3/directline/conversations/${conv}/activities`, `/v3/directline/conversations/${conv}`, '/v3/directline/tokens/refresh', `/v3/directline/conversations/${conv}/activities?watermark=${g.pick(['1', '-5', 'abc', '99999999999'])}`]);
          const method = path.includes('watermark') || (path.endsWith(conv) && g.int(2)) ? 'GET' : 'POST';
          await send(method, path, method === 'GET' ? undefined : JSON.stringify(g.int(3) ? { type: 'message', from: { id: 'dl_x' }, text: g.pick(['hi', 'where is my order 10435', '']) } : g.junk()), auth ? { authorization: auth } : {});
        } else {
          const path = g.pick(['/api/handoffs', '/api/metrics?from=2026-01-01&to=2026-12-31', '/api/auth/login', '/api/users', '/api/handoffs/H-000001/accept', '/api/privacy/erase', '/nope', '/readyz']);
          const method = g.pick(['GET', 'POST', 'DELETE', 'PUT']);
          await send(method, path, method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(g.junk()), g.int(2) ? { authorization: 'Bearer junk' } : {});
        }
      }
    };
    // Caches and per-conversation buffers fill during the warm-up; growth is measured after it, on live objects only.
    let heapAfterWarmUp = 0;
    const sampled = new Promise<void>((resolve) => setTimeout(() => { heapAfterWarmUp = liveHeap(); resolve(); }, WARM_UP_MS));
    await Promise.all([...Array.from({ length: 6 }, worker), sampled]);

    expect(unexpected, `seed ${SEED}`).toEqual([]);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(200);
    // The server runs in this process: after the warm-up its live heap must not keep growing with the requests.
    const growth = liveHeap() - heapAfterWarmUp;
    console.log(`fuzz: ${total} requests, live heap ${Math.round(heapAfterWarmUp / 2 ** 20)} MB after warm-up, growth ${Math.round(growth / 2 ** 20)} MB`);
    expect(growth).toBeLessThan(64 * 2 ** 20);
  });
});
