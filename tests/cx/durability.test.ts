import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirWithModel, startServerProcess } from '../helpers/process.js';
import { customerActivity, postActivity } from '../helpers/server.js';

describe('durability of the turn log', () => {
  it('every turn whose reply was received is in the log after kill -9', async () => {
    const dataDir = await dataDirWithModel();
    try {
      const p = startServerProcess({ DATA_DIR: dataDir });
      const url = await p.url();
      const acknowledged = new Map<string, number>();
      // Sequential and concurrent turns, then SIGKILL the moment the last reply is in.
      const turn = async (conversationId: string, text: string) => {
        const res = await postActivity(url, customerActivity(text, conversationId));
        expect(res.status).toBe(200);
        // Every activity the bot answered with is logged: messages, and events such as handoff.initiate in business hours.
        acknowledged.set(conversationId, (res.body.activities as unknown[]).length);
      };
      for (let i = 0; i < 10; i += 1) await turn(`seq-${i}`, 'how long does shipping take?');
      await Promise.all(Array.from({ length: 30 }, (_, i) => turn(`par-${i}`, i % 2 ? 'where is my order 10435' : 'I want to speak to a person')));
      p.child.kill('SIGKILL');
      await p.exited;

      const dir = path.join(dataDir, 'turns');
      const lines = (await Promise.all((await readdir(dir)).filter((f) => f.endsWith('.jsonl')).map((f) => readFile(path.join(dir, f), 'utf8'))))
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { conversationId: string; direction: string });
      expect(acknowledged.size).toBe(40);
      for (const [conversationId, replies] of acknowledged) {
        const records = lines.filter((r) => r.conversationId === conversationId);
        expect(records.filter((r) => r.direction === 'in'), conversationId).toHaveLength(1);
        expect(records.filter((r) => r.direction === 'out'), conversationId).toHaveLength(replies);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
