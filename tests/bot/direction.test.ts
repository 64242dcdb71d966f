/** Right-to-left messages that open with a Latin word are laid out right to left (bot/middleware/directionMiddleware.ts). */
import { type Activity, TestAdapter } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { DirectionMiddleware, startRightToLeft } from '../../bot/middleware/directionMiddleware.js';
import { turnInfo } from '../../bot/turnInfo.js';

const RLM = '\u200f';

describe('right-to-left messages', () => {
  // "admin از تیم ما به گفتگو پیوست." showed as ".از تیم ما به گفتگو پیوست admin" on the Persian page.
  it('open with a right-to-left mark when their first letter is Latin, and only then', () => {
    expect(startRightToLeft('admin از تیم ما به گفتگو پیوست.')).toBe(`${RLM}admin از تیم ما به گفتگو پیوست.`);
    expect(startRightToLeft('10435 سفارش')).toBe('10435 سفارش');
    expect(startRightToLeft('سفارش 10435 از طریق UPS ارسال شد.')).toBe('سفارش 10435 از طریق UPS ارسال شد.');
    expect(startRightToLeft('alex joined the chat.')).toBe('alex joined the chat.');
  });

  it('are marked on their way out in a right-to-left conversation, with a person\'s label; others are left alone', async () => {
    const sent: Array<Partial<Activity>> = [];
    const run = async (locale: string) => {
      const adapter = new TestAdapter(async (context) => {
        await context.sendActivity({ type: 'message', text: 'admin از تیم ما به گفتگو پیوست.', channelData: { agent: { name: 'admin', label: 'admin از تیم ما' } } });
      });
      adapter.use({ onTurn: async (context, next) => ((turnInfo(context).locale = locale), next()) });
      adapter.use(new DirectionMiddleware());
      await adapter.send('سلام').assertReply((a) => void sent.push(a));
    };
    await run('fa');
    await run('en');
    expect(sent.map((a) => [a.text?.startsWith(RLM), (a.channelData as { agent: { label: string } }).agent.label.startsWith(RLM)])).toEqual([
      [true, true],
      [false, false],
    ]);
  });
});
