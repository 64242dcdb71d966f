/** The terminal chat (`npm run chat`) as a script drives it: plain text on a pipe. */
import { rm } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { dataDirWithModel, startChatProcess } from '../helpers/process.js';

// Piped, the output carried colour codes ("\x1b[36mbot>\x1b[0m"), awkward in scripted checks and log files.
it('writes the bot\'s lines without colour codes when its output is not a terminal', async () => {
  const dataDir = await dataDirWithModel();
  const chat = startChatProcess({ DATA_DIR: dataDir, BUSINESS_HOURS: 'always' });
  try {
    await chat.waitFor(/bot> Hi, I'm/);
    chat.child.stdin?.end('/quit\n');
    expect(await chat.exited).toBe(0);
    expect(chat.output()).not.toContain('\x1b[');
  } finally {
    chat.child.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}, 60_000);
