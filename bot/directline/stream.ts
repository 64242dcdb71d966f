/**
 * The Direct Line WebSocket stream (`streamUrl`), which Web Chat uses by default: on connect it sends what the
 * client has not seen (after `watermark`), then every new activity as `{ activities, watermark }`. Clients only
 * send empty keep-alive messages; the server pings to find dead connections.
 */
import { STATUS_CODES, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { clientIp, type RateLimiter } from '../http/rateLimit.js';
import type { Logger } from '../logger.js';
import type { Listener } from './conversationStore.js';
import { WatermarkSchema } from './schemas.js';
import type { DirectLineService } from './service.js';
import { bearerOf } from './tokens.js';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([\w-]{8,64})\/stream$/;
/** A client this far behind is dropped rather than buffered without bound; it reconnects with its watermark. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const PING_MS = 30_000;

/** Options of the stream endpoint. */
export interface StreamOptions {
  logger: Logger;
  perIp: RateLimiter;
  trustProxy: boolean;
  maxSocketsPerConversation: number;
}

/** Answers an upgrade request with a plain HTTP error in the usual JSON shape. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Serves the stream on `httpServer`'s upgrade event; returns a closer. */
export function attachStream(httpServer: HttpServer, service: DirectLineService, options: StreamOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match) {
      // The stream is the app's only WebSocket endpoint. restify listens for upgrades too, only to re-emit them, so a
      // socket left unanswered here stayed open for good (an unauthenticated way to hold the server's descriptors).
      refuse(socket, 404, 'not_found', 'No WebSocket endpoint here.');
      return;
    }
    const conversationId = match[1]!;
    if (options.perIp.take(clientIp(req, options.trustProxy)) > 0) {
      refuse(socket, 429, 'rate_limited', 'Too many requests from this address.');
      return;
    }
    const caller = service.tokens.authenticate(url.searchParams.get('t') ?? bearerOf(req.headers.authorization));
    if (!('kind' in caller)) {
      if (caller.problem === 'expired') refuse(socket, 403, 'token_expired', 'The token has expired; get a new one.');
      else refuse(socket, 401, 'unauthorized', 'Pass the Direct Line token as ?t= or an Authorization header.');
      return;
    }
    if (caller.kind === 'token' && caller.claims.conv !== conversationId) {
      refuse(socket, 403, 'forbidden', 'This token belongs to another conversation.');
      return;
    }
    const conversation = service.store.get(conversationId);
    if (!conversation) {
      refuse(socket, 404, 'not_found', 'No such conversation.');
      return;
    }
    const watermark = WatermarkSchema.safeParse(url.searchParams.get('watermark') || undefined);
    if (!watermark.success) {
      refuse(socket, 400, 'invalid_request', 'Invalid watermark: must be a whole number.');
      return;
    }
    if (conversation.listeners.size >= options.maxSocketsPerConversation) {
      refuse(socket, 429, 'too_many_connections', `At most ${options.maxSocketsPerConversation} connections per conversation.`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.add(ws);
      const listener: Listener = {
        deliver(set) {
          if (ws.readyState !== ws.OPEN) return;
          if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
            ws.terminate();
            return;
          }
          ws.send(JSON.stringify(set));
        },
        end(reason) {
          ws.close(1000, reason.slice(0, 100));
        },
      };
      const backlog = conversation.since(watermark.data);
      if (backlog.activities.length > 0) ws.send(JSON.stringify(backlog));
      conversation.listeners.add(listener);
      ws.on('pong', () => alive.add(ws));
      ws.on('message', () => {
        // Only empty keep-alives are expected; Direct Line clients post activities over HTTP.
      });
      ws.on('error', (error) => options.logger.debug({ err: error, conversationId }, 'Direct Line socket error'));
      ws.on('close', () => conversation.listeners.delete(listener));
    });
  };
  httpServer.on('upgrade', onUpgrade);

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, PING_MS).unref();

  return {
    close() {
      clearInterval(pinger);
      httpServer.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(1001, 'server stopping');
      wss.close();
    },
  };
}
