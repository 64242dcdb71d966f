import { describe, expect, it } from 'vitest';
import { commandFor, ConfigError, loadConfig } from '../../bot/config.js';

describe('configuration', () => {
  it('has working defaults for a laptop', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3978);
    expect(c.DATA_DIR).toMatch(/data[/\\]runtime$/);
    expect(c.openMode).toBe(true);
    expect(c.SLA_HOURS).toEqual({ high: 4, normal: 24, low: 72 });
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be a number \(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must be at most 65535/],
    // Number() read these as ports 1000 and 4200.
    [{ PORT: '1e3' }, /^Invalid configuration: PORT must be a whole number written in digits \(got "1e3"\)$/],
    [{ PORT: '0x1068' }, /^Invalid configuration: PORT must be a whole number written in digits/],
    // "Invalid option: expected one of …" did not say which entry was wrong.
    [{ LANGUAGES: 'en,de' }, /^Invalid configuration: LANGUAGES has "de", which is not one of en, es, zh, fa/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL must be one of/],
    [{ DEFAULT_LOCALE: 'de' }, /^Invalid configuration: DEFAULT_LOCALE/],
    [{ SLA_HOURS: '{high: 4}' }, /^Invalid configuration: SLA_HOURS must be valid JSON/],
    [{ SLA_HOURS: '{"high": -1, "normal": 1, "low": 2}' }, /^Invalid configuration: SLA_HOURS/],
    [{ TIME_ZONE: 'Mars/Olympus' }, /^Invalid configuration: TIME_ZONE must be an IANA time zone/],
    [{ MicrosoftAppId: 'abc' }, /MicrosoftAppPassword is required/],
    // Open mode before, with only the usual warning; the two after failed only once the model had loaded.
    [{ MicrosoftAppPassword: 'secret-without-an-id' }, /^Invalid configuration: MicrosoftAppPassword is set but MicrosoftAppId is not/],
    [{ MicrosoftAppType: 'SingleTenant' }, /^Invalid configuration: MicrosoftAppId is required when MicrosoftAppType is SingleTenant$/],
    [{ MicrosoftAppId: 'abc', MicrosoftAppType: 'UserAssignedMSI' }, /^Invalid configuration: MicrosoftAppTenantId is required when MicrosoftAppType is UserAssignedMSI$/],
    [{ ADMIN_USER: 'root' }, /ADMIN_USER and ADMIN_PASSWORD must be set together/],
    [{ ADMIN_USER: 'bob', ADMIN_PASSWORD: 'short' }, /^Invalid configuration: ADMIN_PASSWORD must be at least 10 characters$/],
    [{ ADMIN_USER: 'b', ADMIN_PASSWORD: 'long-enough-1' }, /^Invalid configuration: ADMIN_USER must be 2–64 characters/],
    [{ CUSTOMER_ID_KEY: 'k'.repeat(31) }, /^Invalid configuration: CUSTOMER_ID_KEY must be at least 32 characters \(e\.g\. openssl rand -hex 32\)$/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats a secret in its error', () => {
    expect(() => loadConfig({ ADMIN_USER: 'bob', ADMIN_PASSWORD: 'hunter2' })).toThrow(ConfigError);
    expect(() => loadConfig({ ADMIN_USER: 'bob', ADMIN_PASSWORD: 'hunter2' })).not.toThrow(/hunter2/);
    expect(() => loadConfig({ CUSTOMER_ID_KEY: 'short-hmac-key' })).not.toThrow(/short-hmac-key/);
  });

  // LOG_LEVEL=INFO and TRUST_PROXY=TRUE were refused; DEFAULT_LOCALE=EN got zod's "Invalid option" without the value.
  it('reads words from a fixed list whatever their case', () => {
    const c = loadConfig({ LOG_LEVEL: 'INFO', LOG_FORMAT: 'Pretty', TRUST_PROXY: 'TRUE', DEFAULT_LOCALE: 'EN' });
    expect([c.LOG_LEVEL, c.LOG_FORMAT, c.TRUST_PROXY, c.DEFAULT_LOCALE]).toEqual(['info', 'pretty', true, 'en']);
    expect(() => loadConfig({ DEFAULT_LOCALE: 'de' })).toThrow('Invalid configuration: DEFAULT_LOCALE must be one of en, es, zh, fa (got "de")');
  });

  it('reads a blank value as unset (PORT= is the default port, not a random one)', () => {
    const c = loadConfig({ PORT: '', MAX_BODY_KB: ' ', HANDOFF_TRIGGERS: '', ADMIN_USER: '', ADMIN_PASSWORD: '' });
    expect(c.PORT).toBe(3978);
    expect(c.MAX_BODY_KB).toBe(64);
    expect(c.HANDOFF_TRIGGERS).toContain('requested');
    expect(c.ADMIN_USER).toBeUndefined();
  });

  it.each([
    ['{"high":4}', 'Invalid configuration: SLA_HOURS.normal: required\nInvalid configuration: SLA_HOURS.low: required'],
    ['{"high":1000000000,"normal":24,"low":72}', 'Invalid configuration: SLA_HOURS.high: must be at most 720 hours (30 days) (got 1000000000)'],
    ['{"high":0,"normal":24,"low":72}', 'Invalid configuration: SLA_HOURS.high: must be more than 0 hours (got 0)'],
    ['{"high":"4","normal":24,"low":72}', 'Invalid configuration: SLA_HOURS.high: must be a number of hours (got "4")'],
    ['{"high":4,"normal":24,"low":72,"urgent":1}', /^Invalid configuration: SLA_HOURS has no priority "urgent" \(the priorities are high, normal and low\)/],
    ['{"high":100,"normal":24,"low":1}', /^Invalid configuration: SLA_HOURS must promise a higher priority no later than a lower one \(high ≤ normal ≤ low\)/],
    ['[4, 24, 72]', /^Invalid configuration: SLA_HOURS must be a JSON object such as/],
  ])('refuses SLA_HOURS=%s, naming the field once', (value, message) => {
    const error = (() => {
      try {
        loadConfig({ SLA_HOURS: value });
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.message.split('\n')).toHaveLength(typeof message === 'string' ? message.split('\n').length : 1);
  });

  it('takes SLA_HOURS in order up to 720 hours, equal priorities included', () => {
    expect(loadConfig({ SLA_HOURS: '{"high":0.5,"normal":0.5,"low":720}' }).SLA_HOURS).toEqual({ high: 0.5, normal: 0.5, low: 720 });
  });

  it('refuses a MAX_BODY_KB too small for a message of MAX_MESSAGE_CHARS, saying how large it must be', () => {
    // A message the chat refuses politely got a bare 413 when its activity was over the body limit.
    expect(() => loadConfig({ MAX_MESSAGE_CHARS: '100000' })).toThrow(
      new ConfigError('Invalid configuration: MAX_BODY_KB 64 is too small for MAX_MESSAGE_CHARS 100000: a message that long takes up to 1180 KB as an activity, so raise MAX_BODY_KB to at least 1180 or lower MAX_MESSAGE_CHARS'),
    );
    expect(loadConfig({ MAX_MESSAGE_CHARS: '100000', MAX_BODY_KB: '1180' }).MAX_BODY_KB).toBe(1180);
    expect(loadConfig({ MAX_MESSAGE_CHARS: '4500' }).MAX_MESSAGE_CHARS).toBe(4500);
  });

  it('takes a CUSTOMER_ID_KEY of 32 characters or more', () => {
    expect(loadConfig({ CUSTOMER_ID_KEY: 'k'.repeat(32) }).CUSTOMER_ID_KEY).toBe('k'.repeat(32));
  });

  it('writes a command with the settings that differ from the defaults, quoted for a shell', () => {
    expect(commandFor(loadConfig({}), 'npm start', ['DATA_DIR', 'PORT', 'LANGUAGES'])).toBe('npm start');
    const config = loadConfig({ DATA_DIR: '/srv/bot data', PORT: '4000', LANGUAGES: 'en,es' });
    expect(commandFor(config, 'npm start', ['DATA_DIR', 'PORT', 'LANGUAGES', 'FAQ_DIR'])).toBe("DATA_DIR='/srv/bot data' PORT=4000 LANGUAGES=en,es npm start");
    expect(commandFor(loadConfig({ DATA_DIR: "/srv/o'neil" }), 'x', ['DATA_DIR'])).toBe("DATA_DIR='/srv/o'\\''neil' x");
  });
});
