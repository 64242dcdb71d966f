/** The web chat page and its assets over plain HTTP: security headers, caching, compression, no secret in sight. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../bot/directline/tokens.js';
import { initialsOf } from '../../bot/pages/routes.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SECRET = 'page-test-secret-value';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ DIRECTLINE_SECRET: SECRET, WEBCHAT_TOKENS_PER_MINUTE: '100', BOT_NAME: 'Help <Bot> & Co', WEBCHAT_FRAME_ANCESTORS: "'self' https://shop.example.com" });
});
afterAll(async () => server.stop());

describe('GET /', () => {
  it('serves the page with a strict CSP and security headers, names escaped, no secret', async () => {
    const res = await fetch(`${server.url}/`, { headers: { 'accept-language': 'de-DE,en;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'self' https://shop.example.com");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Chat with Help &#60;Bot&#62; &#38; Co');
    expect(html).not.toContain('<Bot>');
    expect(html).not.toContain(SECRET);
    expect(html).toContain('src="/webchat/webchat.js"');
  });

  it('answers HEAD too', async () => {
    expect((await fetch(`${server.url}/`, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('/webchat/* assets', () => {
  it('serves the installed Web Chat bundle compressed, cacheable and revalidatable', async () => {
    const res = await fetch(`${server.url}/webchat/webchat.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const body = await res.text(); // fetch decompresses
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body).toContain('renderWebChat');
    const again = await fetch(`${server.url}/webchat/webchat.js`, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('serves only the listed files', async () => {
    for (const name of ['page.js', 'page.css']) expect((await fetch(`${server.url}/webchat/${name}`)).status).toBe(200);
    for (const name of ['..%2Fconfig.ts', 'routes.ts', 'webchat.html', 'constructor']) {
      const res = await fetch(`${server.url}/webchat/${name}`);
      expect(res.status, name).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });
});

describe('POST /api/webchat/token', () => {
  it('gives the page a conversation token, never the secret', async () => {
    const res = await fetch(`${server.url}/api/webchat/token`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['conversationId', 'expires_in', 'resumed', 'token', 'userId']);
    expect(body.resumed).toBe(false);
    expect(JSON.stringify(body)).not.toContain(SECRET);
  });

  it('keeps a returning visitor\'s user id when it shows a token we issued (even expired), never one it made up', async () => {
    const ask = async (previousToken?: string) => {
      const res = await fetch(`${server.url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ previousToken }) });
      return (await res.json()) as { token: string; userId: string; conversationId: string };
    };
    const first = await ask();
    const again = await ask(first.token);
    expect(again.userId).toBe(first.userId);
    expect(again.conversationId).not.toBe(first.conversationId);
    const expired = new TokenService(SECRET, 60, () => Date.now() - 86_400_000).issue('old-conversation', 'dl_returning');
    expect((await ask(expired.token)).userId).toBe('dl_returning');
    const forged = new TokenService('not-the-secret', 60).issue('c', 'dl_victim').token;
    expect((await ask(forged)).userId).not.toBe('dl_victim');
  });

  it('resumes the open conversation of a token it signed (a reload, a second tab), else starts a new one', async () => {
    type Session = { token: string; userId: string; conversationId: string; resumed: boolean };
    const ask = async (body: Record<string, unknown>): Promise<Session> => {
      const res = await fetch(`${server.url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      return (await res.json()) as Session;
    };
    const dl = (path: string, token: string, init: RequestInit = {}) =>
      fetch(`${server.url}/v3/directline${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    const first = await ask({});
    // Not started yet (no POST /conversations): nothing to resume.
    const unstarted = await ask({ previousToken: first.token, resume: true });
    expect(unstarted).toMatchObject({ resumed: false, userId: first.userId });
    expect(unstarted.conversationId).not.toBe(first.conversationId);
    expect((await dl('/conversations', first.token, { method: 'POST', body: '{}' })).status).toBe(201);

    const again = await ask({ previousToken: first.token, resume: true });
    expect(again).toMatchObject({ resumed: true, conversationId: first.conversationId, userId: first.userId });
    // The new token reconnects (Direct Line's GET …/conversations/{id}) to the conversation so far, greeted once.
    expect((await dl(`/conversations/${first.conversationId}?watermark=`, again.token)).status).toBe(200);
    const log = (await (await dl(`/conversations/${first.conversationId}/activities`, again.token)).json()) as { activities: Array<{ type: string }> };
    expect(log.activities.filter((a) => a.type === 'message')).toHaveLength(1);
    // Without asking to resume, a new conversation, as before.
    expect((await ask({ previousToken: first.token })).conversationId).not.toBe(first.conversationId);

    // A token that expired a little while ago (a page asleep) still resumes; one expired longer than the idle limit,
    // one for another user, a forged one or one for an ended conversation start afresh.
    const at = (msAgo: number, user = first.userId) => new TokenService(SECRET, 60, () => Date.now() - msAgo).issue(first.conversationId, user).token;
    expect((await ask({ previousToken: at(5 * 60_000), resume: true })).resumed).toBe(true);
    expect((await ask({ previousToken: at(2 * 3600_000), resume: true })).resumed).toBe(false);
    expect((await ask({ previousToken: at(0, 'dl_someone_else'), resume: true })).resumed).toBe(false);
    expect((await ask({ previousToken: new TokenService('not-the-secret', 60).issue(first.conversationId, first.userId).token, resume: true })).resumed).toBe(false);
    server.app.directLine.service.store.end(first.conversationId, 'conversation expired');
    const ended = await ask({ previousToken: again.token, resume: true });
    expect(ended).toMatchObject({ resumed: false, userId: first.userId });
    expect(ended.conversationId).not.toBe(first.conversationId);
  });
});

describe('initialsOf', () => {
  it('takes the first letters of the first two words', () => {
    expect(initialsOf('Brightcart Assistant')).toBe('BA');
    expect(initialsOf('ayuda')).toBe('A');
    expect(initialsOf('Émile Zola Bot')).toBe('ÉZ');
  });
});
