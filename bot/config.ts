/** Configuration: every environment variable the product reads, validated with zod at start-up. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DataDirOwnerError } from '../storage/dataDirLock.js';
import { HandoffReasonSchema } from '../storage/handoffStore.js';
import { PasswordSchema, UsernameSchema } from '../storage/userStore.js';
import { parseClosures, parseSchedule } from './handoff/businessHours.js';

/** Absolute path of the project checkout; relative defaults hang off it so `npm start` works from any cwd. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SUPPORTED = ['en', 'es', 'zh', 'fa'] as const;
/** Languages the product ships corpora, FAQ and message catalogues for. */
export const LanguageSchema = z.enum(SUPPORTED);
export type Language = z.infer<typeof LanguageSchema>;

/** Written as digits only: Number() would read "1e3" as 1000 and "0x1068" as 4200, which nobody means as a port. */
const intFrom = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .refine((v) => /^[+-]?\d+$/.test(v), { error: (issue) => (/\d/.test(String(issue.input)) ? 'must be a whole number written in digits' : 'must be a number') })
    .transform(Number)
    .pipe(z.number().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }))
    .default(fallback);

const fraction = (fallback: number) =>
  z.coerce.number({ error: 'must be a number' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).default(fallback);

/** A word from a fixed list, read whatever its case and surrounding spaces: `LOG_LEVEL=INFO` was refused. */
const caseless = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), schema);

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

const jsonOf = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** Text that `parse` must accept; its Error message becomes the configuration error. */
const readableBy = (parse: (text: string) => unknown, fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((s, ctx) => {
      try {
        parse(s);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    });

/**
 * The longest promise SLA_HOURS may make. A due time is found by walking the opening hours day by day on the event
 * loop, so the bound is also a bound on that walk: 720 h is a few milliseconds even at one opening hour a week, where a
 * year would be 60 ms per ticket and a billion hours froze the server. A reply promised for later than a month is no
 * promise anyway.
 */
const SLA_MAX_HOURS = 720;

const slaHours = z
  .number({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a number of hours') })
  .positive({ error: 'must be more than 0 hours' })
  .max(SLA_MAX_HOURS, { error: `must be at most ${SLA_MAX_HOURS} hours (30 days)` });

/** Hours promised for a ticket reply, by priority: each given, none unknown, a higher priority never promised later. */
export const SlaSchema = z
  .strictObject(
    { high: slaHours, normal: slaHours, low: slaHours },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `has no priority ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (the priorities are high, normal and low)`
          : 'must be a JSON object such as {"high":4,"normal":24,"low":72}',
    },
  )
  .refine((sla) => sla.high <= sla.normal && sla.normal <= sla.low, {
    error: 'must promise a higher priority no later than a lower one (high ≤ normal ≤ low)',
    // Only once every priority is valid: a bad value is reported alone, not again as an ordering problem.
    when: (payload) => payload.issues.length === 0,
  });

/** The environment schema: names are fixed by DESIGN §7 plus the documented additions in docs/configuration.md. */
export const EnvSchema = z.object({
  PORT: intFrom(0, 65535, 3978),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, 'data', 'runtime')),
  ORDERS_FILE: z.string().min(1).default(path.join(PROJECT_ROOT, 'data', 'orders.json')),
  FAQ_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, 'data', 'faq')),
  LOG_LEVEL: caseless(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], { error: 'must be one of trace, debug, info, warn, error, fatal, silent' })).default('info'),
  LOG_FORMAT: caseless(z.enum(['json', 'pretty'], { error: 'must be json or pretty' })).optional(),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { error: 'must be MultiTenant, SingleTenant or UserAssignedMSI' }).default('MultiTenant'),
  MicrosoftAppTenantId: optionalText,
  DIRECTLINE_SECRET: optionalText,
  // The users store's own rules, so a bad first admin stops start-up at once instead of after the NLU has trained.
  ADMIN_USER: optionalText.pipe(UsernameSchema.optional()),
  ADMIN_PASSWORD: optionalText.pipe(PasswordSchema.optional()),
  // The HMAC key behind customer ids: a short one can be guessed, and then every id be computed from a user id.
  CUSTOMER_ID_KEY: optionalText.pipe(z.string().min(32, { error: 'must be at least 32 characters (e.g. openssl rand -hex 32)' }).optional()),
  DEFAULT_LOCALE: caseless(z.enum(SUPPORTED, { error: `must be one of ${SUPPORTED.join(', ')}` })).default('en'),
  LANGUAGES: z
    .string()
    .default(SUPPORTED.join(','))
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.enum(SUPPORTED, { error: (issue) => `has ${JSON.stringify(issue.input)}, which is not one of ${SUPPORTED.join(', ')}` }), {
          error: `must be a comma-separated list of ${SUPPORTED.join(', ')}`,
        })
        .min(1),
    ),
  MAX_BODY_KB: intFrom(1, 10_240, 64),
  LOG_WRITE_TIMEOUT_MS: intFrom(10, 60_000, 2000),
  MESSAGES_PER_MINUTE: intFrom(1, 100_000, 60),
  VERIFY_FAILURES_PER_HOUR: intFrom(1, 100_000, 5),
  SESSION_IDLE_MINUTES: intFrom(1, 24 * 60, 30),
  RETENTION_DAYS: intFrom(0, 36500, 0),
  NLU_THRESHOLD: fraction(0.55),
  NLU_AMBIGUITY_MARGIN: fraction(0.15),
  MAX_MESSAGE_CHARS: intFrom(1, 100_000, 2000),
  FALLBACKS_BEFORE_HANDOFF: intFrom(1, 10, 2),
  TIME_ZONE: z
    .string()
    .default('America/New_York')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, { error: 'must be an IANA time zone such as Europe/London' }),
  BRAND_NAME: z.string().min(1).default('Brightcart'),
  BOT_NAME: z.string().min(1).default('Brightcart Assistant'),
  SLA_HOURS: jsonOf(SlaSchema, { high: 4, normal: 24, low: 72 }),
  DEMO_ORDERS_REBASE: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
  // Built-in Direct Line and the web chat page (docs/web-chat.md).
  DIRECTLINE_TOKEN_TTL_SECONDS: intFrom(60, 24 * 3600, 1800),
  DIRECTLINE_IDLE_MINUTES: intFrom(1, 24 * 60, 30),
  DIRECTLINE_MAX_CONVERSATIONS: intFrom(1, 1_000_000, 1000),
  DIRECTLINE_MAX_ACTIVITIES: intFrom(10, 10_000, 200),
  DIRECTLINE_MAX_LOG_KB: intFrom(16, 100_000, 512),
  DIRECTLINE_MAX_SOCKETS: intFrom(1, 100, 4),
  DIRECTLINE_MESSAGES_PER_MINUTE: intFrom(1, 100_000, 30),
  DIRECTLINE_REQUESTS_PER_MINUTE: intFrom(1, 1_000_000, 600),
  WEBCHAT_TOKENS_PER_MINUTE: intFrom(1, 100_000, 10),
  PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://bot.example.com' }).optional()),
  TRUST_PROXY: caseless(z.enum(['true', 'false'], { error: 'must be true or false' }))
    .default('false')
    .transform((v) => v === 'true'),
  BRAND_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a hex colour such as #0b6e4f' })
    .default('#0b6e4f'),
  BOT_AVATAR_INITIALS: optionalText.pipe(z.string().max(3, { error: 'must be at most 3 characters' }).optional()),
  WEBCHAT_FRAME_ANCESTORS: z
    .string()
    .default("'self'")
    .refine((v) => /^[\w\s'*:/.\-]+$/.test(v), { error: "must be a CSP source list such as 'self' https://www.example.com" }),
  // Human escalation (docs/agents.md).
  HANDOFF_TRIGGERS: z
    .string()
    .default(HandoffReasonSchema.options.join(','))
    .transform((s) => (s.trim().toLowerCase() === 'none' ? [] : s.split(',').map((x) => x.trim()).filter(Boolean)))
    .pipe(z.array(z.enum(HandoffReasonSchema.options, { error: `must be "none" or a comma-separated list of ${HandoffReasonSchema.options.join(', ')}` }))),
  // Channels whose handoff.status events come from an external agent hub. None by default: on web chat (our Direct
  // Line or Azure's) a customer's page can post any event, and a forged "completed" closed an agent's live chat.
  HANDOFF_HUB_CHANNELS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\w.-]{1,64}$/, { error: 'must be a comma-separated list of channel ids such as omnichannel' }))),
  HANDOFF_NEGATIVE_SENTIMENT: z.coerce
    .number({ error: 'must be a number' })
    .min(-1, { error: 'must be between -1 and 0' })
    .max(0, { error: 'must be between -1 and 0' })
    .default(-0.75),
  HANDOFF_NEGATIVE_TURNS: intFrom(1, 10, 2),
  HANDOFF_FAQ_NOS: intFrom(1, 10, 2),
  HANDOFF_WAIT_SAMPLE: intFrom(3, 1000, 20),
  BUSINESS_HOURS: readableBy(parseSchedule, 'mon-fri 08:00-20:00, sat 09:00-17:00'),
  BUSINESS_CLOSED: readableBy(parseClosures, ''),
  AUTH_SESSION_HOURS: intFrom(1, 720, 12),
  LOGIN_MAX_ATTEMPTS: intFrom(1, 1000, 5),
  LOGIN_MAX_ATTEMPTS_PER_IP: intFrom(1, 100_000, 20),
  LOGIN_WINDOW_MINUTES: intFrom(1, 24 * 60, 15),
  // Support-lead dashboard: NLU corpora the inbox adds to, alert thresholds, inbox selection (docs/dashboard.md).
  CORPUS_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, 'nlu', 'corpus')),
  ALERT_WINDOW_DAYS: intFrom(1, 90, 7),
  ALERT_MIN_SAMPLE: intFrom(1, 1_000_000, 20),
  ALERT_ESCALATION_RATE_MAX: fraction(0.3),
  ALERT_ABANDONMENT_RATE_MAX: fraction(0.25),
  ALERT_FALLBACK_RATE_MAX: fraction(0.2),
  ALERT_CSAT_MIN: fraction(0.7),
  ALERT_NEGATIVE_SHARE_RISE: fraction(0.1),
  INBOX_SCORE_MAX: fraction(0.7),
  INBOX_SIMILARITY: fraction(0.6),
});

/**
 * Bytes one character of a message can take in a JSON body: the limit counts characters (code points), and a client
 * may send one as \u escapes (Python's json.dumps does by default): six bytes, or twelve for an emoji's pair.
 */
const MAX_UTF8_BYTES_PER_CHAR = 12;
/** Room for the rest of an activity around its text (ids, addresses, channel data, entities). */
const ACTIVITY_ENVELOPE_BYTES = 8 * 1024;

/** Validated configuration as the rest of the code sees it. */
export type Config = z.infer<typeof EnvSchema> & { openMode: boolean };

/** Thrown when the environment holds a bad value; the message is one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Variables whose value an error message must not repeat. */
const SECRETS = new Set(['ADMIN_PASSWORD', 'MicrosoftAppPassword', 'DIRECTLINE_SECRET', 'CUSTOMER_ID_KEY']);

/**
 * Parses `env` (default `process.env`); throws ConfigError with one clear line per bad variable. A blank value counts
 * as unset: `PORT=` in a shell or `PORT=${PORT}` in a compose file means "not given", not port 0.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = EnvSchema.safeParse(given, { reportInput: true });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      // A field inside a JSON value (SLA_HOURS.normal) is named with the value it holds, not the whole variable; an
      // item of a list (LANGUAGES) is shown in the variable as given.
      if (typeof issue.path[1] === 'string') {
        const got = issue.input === undefined || SECRETS.has(name) ? '' : ` (got ${JSON.stringify(issue.input)})`;
        return `Invalid configuration: ${issue.path.map(String).join('.')}: ${issue.message}${got}`;
      }
      const raw = given[name];
      // A message that quotes the whole value already ("cannot read "weekdays"") needs no "(got …)" repeating it.
      const quoted = raw !== undefined && issue.message.toLowerCase().includes(JSON.stringify(raw.trim().toLowerCase()));
      const got = raw === undefined || quoted || SECRETS.has(name) ? '' : ` (got ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)})`;
      return `Invalid configuration: ${name} ${issue.message}${got}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const cfg = parsed.data;
  if (cfg.MicrosoftAppId && !cfg.MicrosoftAppPassword && cfg.MicrosoftAppType !== 'UserAssignedMSI') {
    throw new ConfigError('Invalid configuration: MicrosoftAppPassword is required when MicrosoftAppId is set');
  }
  // Each of these started the bot in open mode, or failed only after the model loaded, with botbuilder's own message.
  if (!cfg.MicrosoftAppId && (cfg.MicrosoftAppPassword || cfg.MicrosoftAppTenantId)) {
    throw new ConfigError(`Invalid configuration: ${cfg.MicrosoftAppPassword ? 'MicrosoftAppPassword' : 'MicrosoftAppTenantId'} is set but MicrosoftAppId is not: set both, or neither for open mode`);
  }
  if (!cfg.MicrosoftAppId && (cfg.MicrosoftAppType === 'SingleTenant' || cfg.MicrosoftAppType === 'UserAssignedMSI')) {
    throw new ConfigError(`Invalid configuration: MicrosoftAppId is required when MicrosoftAppType is ${cfg.MicrosoftAppType}`);
  }
  if ((cfg.MicrosoftAppType === 'SingleTenant' || cfg.MicrosoftAppType === 'UserAssignedMSI') && !cfg.MicrosoftAppTenantId) {
    throw new ConfigError(`Invalid configuration: MicrosoftAppTenantId is required when MicrosoftAppType is ${cfg.MicrosoftAppType}`);
  }
  if (!cfg.LANGUAGES.includes(cfg.DEFAULT_LOCALE)) {
    throw new ConfigError(`Invalid configuration: DEFAULT_LOCALE must be one of LANGUAGES (${cfg.LANGUAGES.join(', ')}), got "${cfg.DEFAULT_LOCALE}"`);
  }
  // A message the chat would refuse politely got a bare 413 instead when its body was over the HTTP limit.
  const bodyKbNeeded = Math.ceil((cfg.MAX_MESSAGE_CHARS * MAX_UTF8_BYTES_PER_CHAR + ACTIVITY_ENVELOPE_BYTES) / 1024);
  if (cfg.MAX_BODY_KB < bodyKbNeeded) {
    throw new ConfigError(
      `Invalid configuration: MAX_BODY_KB ${cfg.MAX_BODY_KB} is too small for MAX_MESSAGE_CHARS ${cfg.MAX_MESSAGE_CHARS}: a message that long takes up to ${bodyKbNeeded} KB as an activity, so raise MAX_BODY_KB to at least ${bodyKbNeeded} or lower MAX_MESSAGE_CHARS`,
    );
  }
  if (Boolean(cfg.ADMIN_USER) !== Boolean(cfg.ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid configuration: ADMIN_USER and ADMIN_PASSWORD must be set together');
  }
  return {
    ...cfg,
    DATA_DIR: path.resolve(cfg.DATA_DIR),
    ORDERS_FILE: path.resolve(cfg.ORDERS_FILE),
    FAQ_DIR: path.resolve(cfg.FAQ_DIR),
    CORPUS_DIR: path.resolve(cfg.CORPUS_DIR),
    openMode: !cfg.MicrosoftAppId,
  };
}

/**
 * `command` as this process's operator must type it: prefixed with those of `names` whose value differs from its
 * default. A hint saying "npm run -s nlu -- train" to a bot on DATA_DIR=/srv/bot trained a model it never read.
 */
export function commandFor(config: Config, command: string, names: readonly (keyof Config & string)[]): string {
  const defaults = EnvSchema.parse({}) as Record<string, unknown>;
  const given = config as unknown as Record<string, unknown>;
  const shown = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));
  const settings = names
    .filter((name) => shown(given[name]) !== shown(defaults[name]))
    .map((name) => `${name}=${shellWord(shown(given[name]))}`);
  return [...settings, command].join(' ');
}

/** `word` quoted for a POSIX shell when it holds anything but plain path characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Throws ConfigError unless `dir` is an existing directory. Tools that work on a server's data (`npm run privacy`,
 * `npm run report`) call it first: a mistyped DATA_DIR would otherwise be created, trained and reported on as empty.
 */
export async function requireDataDir(dir: string): Promise<void> {
  const found = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new ConfigError(`DATA_DIR ${dir} cannot be read (${error.code ?? error.message}).`);
  });
  if (!found) throw new ConfigError(`DATA_DIR ${dir} does not exist: set DATA_DIR to the bot's data directory (the server creates it on its first start).`);
  if (!found.isDirectory()) throw notADirectory(dir);
}

function notADirectory(dir: string): ConfigError {
  return new ConfigError(`DATA_DIR ${dir} is not a directory: set DATA_DIR to the bot's data directory.`);
}

/**
 * The ConfigError for `error`, met creating DATA_DIR or writing its lock file, when DATA_DIR itself is the cause (a
 * file, or a directory this user may not write); any other error is returned as it is. Before, the operator saw a bare
 * `EEXIST: file already exists, mkdir …` with exit code 1.
 */
export function dataDirError(dir: string, error: unknown): unknown {
  if (error instanceof DataDirOwnerError) return new ConfigError(error.message);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR') return notADirectory(dir);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ConfigError(`DATA_DIR ${dir} is not writable (${code}): let the bot's user write there, or set DATA_DIR to a directory it can write.`);
  }
  return error;
}
