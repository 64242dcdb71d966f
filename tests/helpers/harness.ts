/** Builds a real bot core on a temporary data directory and talks to it through botbuilder's TestAdapter. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { TestAdapter } from 'botbuilder';
import { type BotCore, createBotCore } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { type Logger, silentLogger } from '../../bot/logger.js';
import { type Clock, FixedClock } from '../../storage/clock.js';
import { TEST_MODEL_FILE } from './paths.js';

/** The instant tests run at unless they say otherwise: the seed day of data/orders.json, 10:00 in New York. */
export const TEST_NOW = new Date('2026-11-25T15:00:00Z');

/** A bot core plus its temporary directory. */
export interface TestCore {
  core: BotCore;
  dataDir: string;
  clock: FixedClock;
  cleanup(): Promise<void>;
}

/** Creates a core with its own data directory; `env` overrides configuration. */
export async function createTestCore(env: Record<string, string> = {}, clock: FixedClock = new FixedClock(TEST_NOW), logger: Logger = silentLogger): Promise<TestCore> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-test-'));
  // The cases share the demo orders and a clock that stands still: wrong answers would add up across them.
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', VERIFY_FAILURES_PER_HOUR: '100000', ...env });
  const core = await createBotCore(config, { logger, clock: clock as Clock, nluModelFile: TEST_MODEL_FILE }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    core,
    dataDir,
    clock,
    cleanup: async () => {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One conversation with the bot: send a message or activity, get back the replies of that turn. */
export class Conversation {
  readonly adapter: TestAdapter;

  constructor(
    core: BotCore,
    /** `locale: null` sends no locale, as some channels do. */
    options: { channelId?: string; locale?: string | null; conversationId?: string; userId?: string } = {},
  ) {
    this.adapter = new TestAdapter(async (context) => core.bot.run(context), {
      channelId: options.channelId ?? 'directline',
      ...(options.locale === null ? {} : { locale: options.locale ?? 'en-US' }),
      conversation: { id: options.conversationId ?? `conv-${Math.random().toString(36).slice(2)}`, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: options.userId ?? 'user-1', name: 'Customer' },
      recipient: { id: 'bot', name: 'Bot' },
      serviceUrl: 'https://test.invalid',
    });
    core.attach(this.adapter);
  }

  /** Sends text (or a partial activity) and returns the bot's replies to it. */
  async send(input: string | Partial<Activity>): Promise<Partial<Activity>[]> {
    await this.adapter.receiveActivity(input);
    return this.adapter.activeQueue.splice(0);
  }

  /** Sends text and returns the replies' texts. */
  async say(text: string): Promise<string[]> {
    return (await this.send(text)).filter((a) => a.type === 'message').map((a) => a.text ?? '');
  }
}

/** Button titles of a reply. */
export function buttons(activity: Partial<Activity> | undefined): string[] {
  return (activity?.suggestedActions?.actions ?? []).map((a) => a.title ?? String(a.value));
}
