import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttons, Conversation, createTestCore, type TestCore } from '../helpers/harness.js';
import { CASES, type Expect } from './cases.js';

let env: TestCore;
beforeAll(async () => {
  env = await createTestCore();
});
afterAll(async () => env.cleanup());

function check(replies: Awaited<ReturnType<Conversation['send']>>, expected: Expect, label: string): void {
  const messages = replies.filter((a) => a.type === 'message');
  const texts = messages.map((a) => a.text ?? '');
  for (const pattern of expected.says ?? []) {
    expect(texts.some((t) => (typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t))), `${label}: expected a reply matching ${pattern}, got ${JSON.stringify(texts)}`).toBe(true);
  }
  for (const pattern of expected.never ?? []) {
    expect(texts.some((t) => (typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t))), `${label}: no reply may match ${pattern}, got ${JSON.stringify(texts)}`).toBe(false);
  }
  if (expected.buttons) expect(buttons(messages.at(-1)), `${label}: buttons`).toEqual(expected.buttons);
  if (expected.replies !== undefined) expect(messages.length, `${label}: number of replies`).toBe(expected.replies);
}

describe('dialog cases', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const conversation = new Conversation(env.core, { channelId: c.channelId ?? 'directline' });
      for (const [i, step] of c.steps.entries()) {
        const replies = await conversation.send(step.user);
        check(replies, step.expect, `step ${i + 1} (${typeof step.user === 'string' ? JSON.stringify(step.user.slice(0, 40)) : step.user.type})`);
      }
    });
  }
});
