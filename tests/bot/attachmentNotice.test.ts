/** A file sent with words: the note that it was not opened opens the first reply, in the chat and in the turn log. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import type { TurnRecord } from '../../storage/turnLog.js';
import { Conversation, createTestCore, type TestCore } from '../helpers/harness.js';

let env: TestCore;
beforeAll(async () => {
  env = await createTestCore();
});
afterAll(async () => env.cleanup());

it('is logged as the customer saw it', async () => {
  const c = new Conversation(env.core, { conversationId: 'file-note', channelId: 'telegram' });
  const replies = await c.send({ type: 'message', text: 'how long does shipping take, screenshot attached', attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/s.png' }] });
  const first = replies.find((r) => r.type === 'message')?.text ?? '';
  expect(first.startsWith(`${t('en', 'input.attachmentIgnored')} `)).toBe(true);
  const log: TurnRecord[] = [];
  for await (const r of env.core.turnLog.read()) if (r.conversationId === 'file-note' && r.direction === 'out') log.push(r);
  expect(log[0]?.text).toBe(first);
});
