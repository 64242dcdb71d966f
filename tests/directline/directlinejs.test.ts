/** The official Direct Line client (botframework-directlinejs) against the built-in endpoint, over WebSocket and polling. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installBrowserGlobals } from '../helpers/browserGlobals.js';
import { dl } from '../helpers/directline.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

installBrowserGlobals();
// Imported after the globals exist: the client checks for WebSocket when it is constructed.
const { DirectLine, ConnectionStatus } = await import('botframework-directlinejs');

interface Seen {
  type: string;
  text?: string;
  from: { id: string; role?: string };
  attachments?: Array<{ contentType: string; name?: string; contentUrl?: string }>;
}

/** Collects a client's activities and lets a test wait for one that matches. */
class Watcher {
  readonly seen: Seen[] = [];
  private waiters: Array<{ test: (a: Seen) => boolean; resolve: (a: Seen) => void }> = [];

  push(a: Seen): void {
    this.seen.push(a);
    for (const w of [...this.waiters]) {
      if (w.test(a)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(a);
      }
    }
  }

  /** The first activity (already seen or still to come) that passes `test`. */
  next(test: (a: Seen) => boolean, after = 0): Promise<Seen> {
    const found = this.seen.slice(after).find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

const fromBot = (pattern: RegExp) => (a: Seen) => a.type === 'message' && a.from.role === 'bot' && pattern.test(a.text ?? '');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ DIRECTLINE_SECRET: 'directlinejs-test-secret' });
});
afterAll(async () => server.stop());

async function converse(options: { webSocket: boolean }) {
  const issued = await dl(server.url, '/api/webchat/token', { body: {} });
  expect(issued.status).toBe(200);
  const client = new DirectLine({ token: issued.body.token, domain: `${server.url}/v3/directline`, webSocket: options.webSocket, pollingInterval: 200 });
  const watcher = new Watcher();
  const statuses: number[] = [];
  client.connectionStatus$.subscribe((s) => statuses.push(s));
  // end() makes the stream fail with "conversation ended"; that is the client's way of saying goodbye.
  client.activity$.subscribe({ next: (a) => watcher.push(a as unknown as Seen), error: () => undefined });
  const send = (text: string) =>
    new Promise<string>((resolve, reject) =>
      client.postActivity({ type: 'message', from: { id: issued.body.userId }, text } as never).subscribe({ next: resolve, error: reject }),
    );
  return { client, watcher, statuses, send, userId: issued.body.userId as string };
}

describe.each([
  ['WebSocket', true],
  ['polling', false],
])('botframework-directlinejs over %s', (_name, webSocket) => {
  it('is greeted, asks about an order and gets its status', async () => {
    const { client, watcher, statuses, send, userId } = await converse({ webSocket });
    try {
      await watcher.next(fromBot(/Hi, I'm Brightcart Assistant/));
      const id = await send('where is my order 10435');
      expect(id).toMatch(/\|\d{7}$/);
      const echo = await watcher.next((a) => a.type === 'message' && a.text === 'where is my order 10435');
      expect(echo.from.id).toBe(userId);
      await watcher.next(fromBot(/I found order 10435/));
      const mark = watcher.seen.length;
      await send('02139');
      await watcher.next(fromBot(/on its way with UPS/), mark);
      expect(statuses).toContain(ConnectionStatus.Online);
      // Bot replies arrive in order after the customer's message they answer.
      const texts = watcher.seen.filter((a) => a.type === 'message').map((a) => a.text ?? '');
      expect(texts.indexOf('where is my order 10435')).toBeLessThan(texts.findIndex((t) => /I found order/.test(t)));
    } finally {
      client.end();
    }
  });
});

describe('botframework-directlinejs with the secret', () => {
  it('starts its own conversation and uploads an attachment the bot answers', async () => {
    const client = new DirectLine({ secret: 'directlinejs-test-secret', domain: `${server.url}/v3/directline`, webSocket: true });
    const watcher = new Watcher();
    client.activity$.subscribe({ next: (a) => watcher.push(a as unknown as Seen), error: () => undefined });
    try {
      await watcher.next(fromBot(/Hi, I'm/));
      const photo = `data:image/png;base64,${Buffer.from('not really a png').toString('base64')}`;
      await new Promise<string>((resolve, reject) =>
        client
          .postActivity({ type: 'message', from: { id: 'dl_uploader' }, attachments: [{ contentType: 'image/png', contentUrl: photo, name: 'photo.png' }] } as never)
          .subscribe({ next: resolve, error: reject }),
      );
      const echo = await watcher.next((a) => a.type === 'message' && (a.attachments?.length ?? 0) > 0);
      expect(echo.attachments?.[0]).toMatchObject({ contentType: 'image/png', name: 'photo.png' });
      expect(echo.attachments?.[0]?.contentUrl).toBe(photo);
      await watcher.next(fromBot(/can't open attachments/));
    } finally {
      client.end();
    }
  });
});
