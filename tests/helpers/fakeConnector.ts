/**
 * A tiny Bot Framework channel connector: the endpoint a channel exposes at its serviceUrl. It answers
 * POST /v3/conversations/:id/activities and /v3/conversations/:id/activities/:replyTo with { id }, as the real
 * connector does, and keeps what it received so tests can see the bot's proactive messages.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { Activity } from 'botbuilder';

/** An activity the connector received. */
export interface Received {
  conversationId: string;
  replyTo?: string;
  activity: Activity;
}

/** The running fake connector. */
export interface FakeConnector {
  /** serviceUrl to give the bot (ends with a slash). */
  url: string;
  received: Received[];
  /** Answer the next N posts with 404 ConversationNotFound, as for a conversation the channel has dropped. */
  failNext(count?: number): void;
  /** Holds the answers to posts for one conversation until the returned function is called (a slow channel). */
  hold(conversationId: string): () => void;
  /** Resolves with the first received activity (already or later) matching `predicate`. */
  waitFor(predicate: (r: Received) => boolean): Promise<Received>;
  /** Messages received for one conversation, texts only. */
  texts(conversationId: string): string[];
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

/** Starts a fake connector on 127.0.0.1:<free port>. */
export async function startFakeConnector(): Promise<FakeConnector> {
  const received: Received[] = [];
  const events = new EventEmitter();
  let failures = 0;
  let seq = 0;
  const held = new Map<string, Promise<void>>();
  // Separate writeHead and end: restify, loaded in the same process, patches ServerResponse.writeHead to return nothing.
  const answer = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const m = ROUTE.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        answer(res, 404, '{"error":{"code":"NotFound","message":"no such route"}}');
        return;
      }
      if (failures > 0) {
        failures -= 1;
        answer(res, 404, '{"error":{"code":"ConversationNotFound","message":"Conversation not found."}}');
        return;
      }
      const r: Received = { conversationId: decodeURIComponent(m[1]!), ...(m[2] ? { replyTo: decodeURIComponent(m[2]) } : {}), activity: JSON.parse(body) as Activity };
      received.push(r);
      events.emit('activity', r);
      seq += 1;
      const id = seq;
      void (held.get(r.conversationId) ?? Promise.resolve()).then(() => answer(res, 200, JSON.stringify({ id: `fake-${id}` })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    failNext: (count = 1) => {
      failures = count;
    },
    hold: (conversationId) => {
      let release!: () => void;
      held.set(conversationId, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        held.delete(conversationId);
        release();
      };
    },
    waitFor: (predicate) =>
      new Promise((resolve) => {
        const already = received.find(predicate);
        if (already) return resolve(already);
        const listener = (r: Received) => {
          if (!predicate(r)) return;
          events.off('activity', listener);
          resolve(r);
        };
        events.on('activity', listener);
      }),
    texts: (conversationId) => received.filter((r) => r.conversationId === conversationId && r.activity.type === 'message').map((r) => r.activity.text ?? ''),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
