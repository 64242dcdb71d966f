/**
 * The simulated customers' side of a messaging channel: the Bot Framework connector endpoint that the bot posts
 * proactive messages to (an agent's words, "alex has joined", the hand-back and the survey after it). Customers post
 * to /api/messages with this server as their `serviceUrl`, exactly as a channel does, and read what arrived here.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the bot sent proactively. */
export interface Delivered {
  text: string;
  inputHint?: string;
}

/** The running endpoint. */
export interface Connector {
  /** serviceUrl to put on customer activities (ends with a slash). */
  url: string;
  /** Messages received for a conversation, in order. */
  inbox(conversationId: string): Delivered[];
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/;

/** Starts the connector endpoint on 127.0.0.1 (a free port). */
export async function startConnector(): Promise<Connector> {
  const boxes = new Map<string, Delivered[]>();
  let seq = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = ROUTE.exec(req.url ?? '');
      // writeHead and end separately: restify, in the same process, patches writeHead to return nothing.
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"NotFound","message":"no such route"}}');
        return;
      }
      try {
        const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: string; text?: string; inputHint?: string };
        if (activity.type === 'message' && activity.text) {
          const id = decodeURIComponent(m[1]!);
          const box = boxes.get(id) ?? [];
          box.push({ text: activity.text, ...(activity.inputHint ? { inputHint: activity.inputHint } : {}) });
          boxes.set(id, box);
        }
      } catch {
        // A malformed post is answered like any other: the bot only needs the id back.
      }
      seq += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sim-${seq}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    inbox: (id) => boxes.get(id) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
