/**
 * A local stand-in for an Azure Bot Service channel's connector service: it answers the Bot Connector API calls a
 * bot makes to its serviceUrl (POST /v3/conversations/{conversationId}/activities[/{replyToId}]) and records them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made. */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  replyToId?: string;
  authorization?: string;
  activity: { type: string; text?: string; replyToId?: string; suggestedActions?: { actions: Array<{ title: string }> }; attachments?: Array<{ contentType: string; content?: any }> };
}

/** A running fake channel. */
export interface FakeChannel {
  serviceUrl: string;
  calls: ConnectorCall[];
  /** Calls recorded since `mark` (an index into `calls`). */
  since(mark: number): ConnectorCall[];
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

/** Starts the fake on 127.0.0.1:<free port>. */
export async function startFakeChannel(): Promise<FakeChannel> {
  const calls: ConnectorCall[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = ROUTE.exec(req.url ?? '');
      // (restify patches http.ServerResponse in this process, and its writeHead does not return `res`.)
      res.setHeader('content-type', 'application/json');
      if (req.method !== 'POST' || !match) {
        res.statusCode = 404;
        res.end('{"error":{"code":"not_found","message":"fake channel"}}');
        return;
      }
      calls.push({
        method: req.method,
        path: req.url ?? '',
        conversationId: decodeURIComponent(match[1]!),
        ...(match[2] ? { replyToId: decodeURIComponent(match[2]) } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        activity: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      n += 1;
      res.statusCode = 200;
      res.end(JSON.stringify({ id: `fake-${n}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    since: (mark) => calls.slice(mark),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
