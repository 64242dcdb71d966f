import { describe, expect, it } from 'vitest';
import { toCsv } from '../../bot/api/csv.js';
import { FailureLimiter } from '../../bot/api/rateLimit.js';
import { type ProactiveMessenger, routedMessenger } from '../../bot/handoff/proactive.js';
import { FixedClock } from '../../storage/clock.js';

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas in text', () => {
    const csv = toCsv(['a', 'b', 'c'] as const, [
      { a: 'plain', b: 'has, comma', c: 'say "hi"' },
      { a: 'two\nlines', b: '=HYPERLINK("x")', c: -0.5 },
      { a: null, b: undefined, c: 0 },
    ]);
    expect(csv).toBe('a,b,c\r\nplain,"has, comma","say ""hi"""\r\n"two\nlines","\'=HYPERLINK(""x"")",-0.5\r\n,,0\r\n');
  });

  it('writes a mean without float noise, and whole numbers as they are', () => {
    expect(toCsv(['m', 'n'] as const, [{ m: -0.7987500000000001, n: 1_764_150_000_000 }, { m: 0.1 + 0.2, n: 3 }])).toBe('m,n\r\n-0.79875,1764150000000\r\n0.3,3\r\n');
  });
});

describe('login limiter', () => {
  it('blocks after max failures within the window, says for how long, and forgets them later', () => {
    const clock = new FixedClock(new Date('2026-11-25T10:00:00Z'));
    const limiter = new FailureLimiter(3, 60_000, clock);
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.retryAfter('ip:1')).toBe(0);
      limiter.fail('ip:1');
      clock.advance(10_000);
    }
    expect(limiter.retryAfter('ip:1')).toBe(30); // the first failure leaves the window at +60 s
    expect(limiter.retryAfter('ip:2')).toBe(0);
    clock.advance(30_000);
    expect(limiter.retryAfter('ip:1')).toBe(0);
    limiter.fail('ip:1');
    limiter.reset('ip:1');
    expect(limiter.retryAfter('ip:1')).toBe(0);
  });
});

describe('proactive messenger routing', () => {
  it('sends through the adapter that owns the conversation, else the public one', async () => {
    const used: string[] = [];
    const via = (name: string): ProactiveMessenger => ({ send: async () => void used.push(name) });
    const messenger = routedMessenger(via('public'), { owns: (r) => r.channelId === 'directline', messenger: via('directline') });
    await messenger.send({ channelId: 'directline' }, async () => undefined);
    await messenger.send({ channelId: 'msteams' }, async () => undefined);
    expect(used).toEqual(['directline', 'public']);
  });
});

describe('CSV formulas', () => {
  it('defuses a formula behind leading spaces, and leaves text that merely contains a sign alone', () => {
    // " =1+1" and "\u00a0=HYPERLINK(…)" went out as written; some spreadsheets trim a cell before reading it.
    const csv = toCsv(['a', 'b', 'c'] as const, [{ a: ' =1+1', b: '\u00a0=HYPERLINK("x")', c: 'a = b' }]);
    expect(csv).toBe(`a,b,c\r\n' =1+1,"'\u00a0=HYPERLINK(""x"")",a = b\r\n`);
  });
});
