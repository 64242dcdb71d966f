/** Starts the real product (restify + CloudAdapter) on a free port with its own data directory. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type App, createApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { silentLogger } from '../../bot/logger.js';
import { FixedClock } from '../../storage/clock.js';
import { TEST_NOW } from './harness.js';
import { TEST_MODEL_FILE } from './paths.js';
import { readResponse } from './response.js';

/** A running server for a test file. */
export interface TestServer {
  app: App;
  url: string;
  dataDir: string;
  clock: FixedClock;
  stop(): Promise<void>;
}

/** Starts the app on 127.0.0.1:<free port>; `env` overrides configuration. */
export async function startTestServer(env: Record<string, string> = {}, options: { dataDir?: string; clock?: FixedClock } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'cxbot-http-')));
  const clock = options.clock ?? new FixedClock(TEST_NOW);
  // The tests share the demo orders: wrong verification answers would add up across them (see createTestCore).
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', VERIFY_FAILURES_PER_HOUR: '100000', ...env });
  const app = await createApp(config, { logger: silentLogger, clock, nluModelFile: TEST_MODEL_FILE });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${app.server.address().port}`;
  return {
    app,
    url,
    dataDir,
    clock,
    stop: async () => {
      await app.shutdown(2000);
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A Bot Framework message activity from a customer, asking for the replies in the HTTP response. */
export function customerActivity(text: string, conversationId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    type: 'message',
    id: `act-${counter}`,
    channelId: 'webchat',
    serviceUrl: 'https://example.invalid/',
    from: { id: 'customer-1', name: 'Customer' },
    recipient: { id: 'bot', name: 'Bot' },
    conversation: { id: conversationId },
    text,
    locale: 'en-US',
    deliveryMode: 'expectReplies',
    ...extra,
  };
}

/** Posts an activity to /api/messages and returns status and parsed body. */
export async function postActivity(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return readResponse(res);
}

/** GETs a JSON route and returns status and parsed body. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** POSTs JSON and returns status and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
