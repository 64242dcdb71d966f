/** The Direct Line's building blocks on their own: tokens, the bounded store with idle expiry, rate limits. */
import { describe, expect, it } from 'vitest';
import { createDirectLineAdapter } from '../../bot/directline/adapter.js';
import { ConversationStore, type Listener } from '../../bot/directline/conversationStore.js';
import { TokenService } from '../../bot/directline/tokens.js';
import { ConfigError, loadConfig } from '../../bot/config.js';
import { RateLimiter } from '../../bot/http/rateLimit.js';

describe('the built-in Direct Line adapter', () => {
  it('sends its key to this server only: a reference pointed elsewhere fails before any request', async () => {
    const adapter = createDirectLineAdapter('internal-key', () => 'http://127.0.0.1:1/');
    const reference = { channelId: 'directline', serviceUrl: 'http://127.0.0.1:2/hijack/', conversation: { id: 'c1', isGroup: false, conversationType: '', name: '' }, bot: { id: 'bot', name: 'Bot' } };
    await expect(adapter.continueConversationAsync('', reference, (context) => context.sendActivity('hello').then(() => undefined))).rejects.toThrow(
      'The built-in Direct Line calls only this server (http://127.0.0.1:1/), not http://127.0.0.1:2',
    );
  });
});

describe('TokenService', () => {
  it('issues tokens that verify, bound to a conversation and a user', () => {
    let now = 1_000_000_000_000;
    const tokens = new TokenService('s', 60, () => now);
    const { token, expiresIn } = tokens.issue('conv-1', 'dl_u');
    expect(expiresIn).toBe(60);
    expect(token.split('.')).toHaveLength(3);
    expect(tokens.authenticate(token)).toMatchObject({ kind: 'token', claims: { conv: 'conv-1', user: 'dl_u' } });
    now += 59_000;
    const caller = tokens.authenticate(token);
    expect('kind' in caller && caller.kind === 'token' && tokens.remaining(caller.claims)).toBe(1);
    now += 1_000;
    expect(tokens.authenticate(token)).toEqual({ problem: 'expired' });
  });

  it('recognises the secret and refuses tampering', () => {
    const tokens = new TokenService('s', 60);
    expect(tokens.authenticate('s')).toEqual({ kind: 'secret' });
    expect(tokens.authenticate(undefined)).toEqual({ problem: 'missing' });
    const { token } = tokens.issue('conv-1', 'dl_u');
    const [h, p, sig] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), conv: 'conv-2' })).toString('base64url');
    expect(tokens.authenticate(`${h}.${forgedPayload}.${sig}`)).toEqual({ problem: 'bad_signature' });
    expect(tokens.authenticate(new TokenService('other', 60).issue('conv-1', 'dl_u').token)).toEqual({ problem: 'bad_signature' });
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(tokens.authenticate(`${none}.${p}.`)).toEqual({ problem: 'malformed' });
  });
});

describe('ConversationStore', () => {
  const limits = { maxConversations: 3, maxActivities: 5, maxLogBytes: 10_000, idleMs: 60_000 };

  it('keeps at most maxActivities and maxLogBytes per conversation, oldest out, watermarks continuing', () => {
    const store = new ConversationStore(limits);
    const c = store.create('conv-1', 'dl_u', 'en');
    for (let i = 1; i <= 8; i += 1) store.append(c, { type: 'message', text: `m${i}` });
    expect(c.size).toBe(5);
    expect(c.since().activities.map((a) => a.text)).toEqual(['m4', 'm5', 'm6', 'm7', 'm8']);
    expect(c.since(6)).toEqual({ activities: [expect.objectContaining({ text: 'm7', id: 'conv-1|0000007' }), expect.objectContaining({ text: 'm8' })], watermark: '8' });
    store.append(c, { type: 'message', text: 'x'.repeat(6000) });
    store.append(c, { type: 'message', text: 'y'.repeat(6000) });
    expect(c.size).toBe(1);
    expect(c.since().activities[0]?.text).toMatch(/^y+$/);
  });

  it('delivers to listeners; ephemeral activities are delivered but not kept', () => {
    const store = new ConversationStore(limits);
    const c = store.create('conv-1', 'dl_u', undefined);
    const got: string[] = [];
    const listener: Listener = { deliver: (s) => got.push(`${s.activities[0]?.type}@${s.watermark ?? '-'}`), end: () => got.push('end') };
    c.listeners.add(listener);
    store.append(c, { type: 'typing' }, false);
    store.append(c, { type: 'message', text: 'hi' });
    store.end('conv-1', 'bye');
    expect(got).toEqual(['typing@-', 'message@1', 'end']);
    expect(c.size).toBe(1);
    expect(store.get('conv-1')).toBeUndefined();
    expect(store.hasEnded('conv-1')).toBe(true);
  });

  it('expires idle conversations and refuses new ones only when full of active ones', () => {
    let now = 0;
    const store = new ConversationStore(limits, () => now);
    store.create('a', 'u', undefined);
    now = 30_000;
    const b = store.create('b', 'u', undefined);
    store.create('c', 'u', undefined);
    expect(() => store.create('d', 'u', undefined)).toThrow(/Too many/);
    now = 61_000;
    store.append(b, { type: 'message' });
    // "a" has been idle for over a minute: it makes room.
    store.create('d', 'u', undefined);
    expect(store.get('a')).toBeUndefined();
    expect(store.sweep()).toBe(0);
    now = 200_000;
    expect(store.sweep()).toBe(3);
    expect(store.size).toBe(0);
  });
});

describe('RateLimiter', () => {
  it('allows the limit per window per key, then says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60_000, 100, () => now);
    expect([limiter.take('ip-1'), limiter.take('ip-1'), limiter.take('ip-1')]).toEqual([0, 0, 60]);
    expect(limiter.take('ip-2')).toBe(0);
    now = 45_000;
    expect(limiter.take('ip-1')).toBe(15);
    now = 60_000;
    expect(limiter.take('ip-1')).toBe(0);
    expect(() => new RateLimiter(0).check('k', 'requests')).toThrow(/Too many requests/);
  });
});

describe('Direct Line and web chat configuration', () => {
  it('has defaults that work on a laptop', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ DIRECTLINE_TOKEN_TTL_SECONDS: 1800, DIRECTLINE_IDLE_MINUTES: 30, BRAND_COLOR: '#0b6e4f', TRUST_PROXY: false, WEBCHAT_FRAME_ANCESTORS: "'self'" });
    expect(c.PUBLIC_URL).toBeUndefined();
    expect(c.DIRECTLINE_SECRET).toBeUndefined();
  });

  it.each([
    [{ BRAND_COLOR: 'green' }, /BRAND_COLOR must be a hex colour/],
    [{ PUBLIC_URL: 'ftp://bot.example.com' }, /PUBLIC_URL must be an http\(s\) URL/],
    [{ DIRECTLINE_TOKEN_TTL_SECONDS: '5' }, /DIRECTLINE_TOKEN_TTL_SECONDS must be at least 60/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY must be true or false/],
    [{ BOT_AVATAR_INITIALS: 'ABCD' }, /BOT_AVATAR_INITIALS must be at most 3 characters/],
    [{ WEBCHAT_FRAME_ANCESTORS: "'self'; script-src *" }, /WEBCHAT_FRAME_ANCESTORS must be a CSP source list/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
