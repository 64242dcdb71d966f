import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import { extractEntities } from '../../nlu/entities.js';
import { Conversation, createTestCore, type TestCore } from '../helpers/harness.js';

const en = (key: string, vars?: Record<string, string | number>) => t('en', key, vars);

let env: TestCore;
beforeAll(async () => {
  env = await createTestCore();
});
afterAll(async () => env.cleanup());

/** Files a complaint as `userId` in a conversation of its own and returns the ticket id the bot gave. */
async function fileComplaint(userId: string): Promise<string> {
  const [filed] = await new Conversation(env.core, { userId }).say('The mugs in order 10622 arrived damaged, the box was open');
  return /T-\d{6}/.exec(filed ?? '')![0];
}

describe('ticket ids', () => {
  it('are read as tickets, never as order numbers', () => {
    expect(extractEntities('any update on ticket T-000042?')).toEqual({ ticketId: ['T-000042'] });
    expect(extractEntities('t000042 and T 000043, order 10231')).toEqual({ ticketId: ['T-000042', 'T-000043'], orderNumber: ['10231'] });
    expect(extractEntities('order 100042')).toEqual({ orderNumber: ['100042'] });
  });
});

describe('ticket status', () => {
  it('tells the customer who filed a ticket where it stands, in a later conversation', async () => {
    const id = await fileComplaint('ann');
    const ticket = (await env.core.services.tickets.get(id))!;
    // Before, this read as order 000001 ("I couldn't find an order…"), and "any update on ticket…" as returns.
    const replies = await new Conversation(env.core, { userId: 'ann' }).say(`any update on ticket ${id}?`);
    // No "anything else?" after it: the reply itself invites anything to add.
    expect(replies).toEqual([
      en('ticket.open', { id, category: 'Damaged item', opened: 'Wednesday, 25 November at 10:00 Eastern Time', due: 'Friday, 27 November at 10:00 Eastern Time' }),
    ]);
    expect(ticket.dueAt).toBe('2026-11-27T15:00:00.000Z');
  });

  it('more of the story given for the order number goes on the ticket', async () => {
    // "Please type the 5 to 8 digit order number" came back, and what the customer had told was dropped.
    const c = new Conversation(env.core, { userId: 'di' });
    expect(await c.say("I'd like to make a complaint about the customer service")).toEqual([en('complaint.askOrder')]);
    const [filed] = await c.say('the agent on the phone was rude and hung up on me');
    const id = /T-\d{6}/.exec(filed ?? '')?.[0] ?? '';
    expect((await env.core.services.tickets.get(id))?.description).toContain('hung up on me');
  });

  it('a question about a ticket is answered in the middle of a question the bot asked', async () => {
    // At the verification question it was "That doesn't match what we have on file" (a try spent); at the order number
    // question "That doesn't look like an order number"; at "anything else?" a yes ("Sure, what else…").
    const id = await fileComplaint('cy');
    const open = (text: string) => expect(text).toMatch(new RegExp(`^Ticket ${id} \\(Damaged item`));
    const c = new Conversation(env.core, { userId: 'cy' });
    expect((await c.say('where is my order 10435?'))[0]).toBe(en('order.askVerification', { number: '10435' }));
    open((await c.say(`any news on ${id}?`))[0]!);
    const d = new Conversation(env.core, { userId: 'cy' });
    expect(await d.say('where is my order?')).toEqual([en('order.askNumber')]);
    open((await d.say(`any news on ${id}?`))[0]!);
    expect(await d.say('no')).toContain(en('goodbye.reply', { brand: env.core.config.BRAND_NAME }));
    const e = new Conversation(env.core, { userId: 'cy' });
    await e.say('how do I return an item?');
    expect(await e.say('yes')).toContain(en('wrapup.anythingElse'));
    open((await e.say(`any news on ${id}?`))[0]!);
  });

  it('adds what the customer tells next to that ticket instead of filing another', async () => {
    const id = await fileComplaint('bo');
    const before = (await env.core.services.tickets.list()).length;
    const c = new Conversation(env.core, { userId: 'bo' });
    await c.say(`${id}`);
    await c.say('no');
    expect(await c.say('the teapot in that parcel arrived damaged as well')).toEqual([en('complaint.followUp', { id }), en('wrapup.anythingElse')]);
    expect((await env.core.services.tickets.get(id))?.followUps?.map((f) => f.text)).toEqual(['the teapot in that parcel arrived damaged as well']);
    expect((await env.core.services.tickets.list()).length).toBe(before);
  });

  it('adds the message after the status reply to the ticket, as the reply offers, and lets a new request through', async () => {
    const id = await fileComplaint('ed');
    const c = new Conversation(env.core, { userId: 'ed' });
    await c.say(`any news on ${id}?`);
    // Read as the cancellation policy (0.74): "You can cancel an order free of charge…", and nothing reached the ticket.
    expect(await c.say('the stain wont wash out either')).toEqual([en('complaint.followUp', { id }), en('wrapup.anythingElse')]);
    expect((await env.core.services.tickets.get(id))?.followUps?.map((f) => f.text)).toEqual(['the stain wont wash out either']);
    const d = new Conversation(env.core, { userId: 'ed' });
    await d.say(`any news on ${id}?`);
    expect((await d.say('where is my order 10435?'))[0]).toBe(en('order.askVerification', { number: '10435' }));
    const e = new Conversation(env.core, { userId: 'ed' });
    await e.say(`any news on ${id}?`);
    expect(await e.say('ok thanks')).toEqual([en('thanks.reply'), en('wrapup.anythingElse')]);
    // Each was added to the ticket as news for the team.
    for (const ack of ['ok', 'yes', 'great, i will wait then']) {
      const f = new Conversation(env.core, { userId: 'ed' });
      await f.say(`any news on ${id}?`);
      expect(await f.say(ack), ack).toEqual([en('wrapup.anythingElse')]);
    }
    expect((await env.core.services.tickets.get(id))?.followUps).toHaveLength(1);
  });

  it('says sorry for a ticket past its reply time, and when a closed one was closed', async () => {
    const id = await fileComplaint('cy');
    env.clock.advance(3 * 24 * 3600_000);
    try {
      const [overdue] = await new Conversation(env.core, { userId: 'cy' }).say(`what's happening with ${id}`);
      expect(overdue).toBe(en('ticket.overdue', { id, category: 'Damaged item', opened: 'Wednesday, 25 November at 10:00 Eastern Time', due: 'Friday, 27 November at 10:00 Eastern Time' }));
      await env.core.services.tickets.close(id, { by: 'alex', at: env.clock.now().toISOString() });
      const [closed] = await new Conversation(env.core, { userId: 'cy' }).say(`status of ${id} please`);
      expect(closed).toBe(en('ticket.closed', { id, category: 'Damaged item', closed: 'Saturday, 28 November at 10:00 Eastern Time' }));
      // The team's answer, given when the ticket closed, is told again.
      const answered = await fileComplaint('cy');
      const reply = 'We refunded the mugs to your card.';
      await env.core.services.tickets.close(answered, { by: 'alex', at: env.clock.now().toISOString(), reply });
      const [again] = await new Conversation(env.core, { userId: 'cy' }).say(`status of ${answered} please`);
      expect(again).toBe(en('ticket.closedReply', { id: answered, category: 'Damaged item', closed: 'Saturday, 28 November at 10:00 Eastern Time', reply }));
      // Quoted in a sentence that ends after the quotation, the answer's own full stop is the sentence's: "…card.”。"
      const [zh] = await new Conversation(env.core, { userId: 'cy', locale: 'zh-CN' }).say(`工单${answered}怎么样了`);
      expect(zh).toContain(`“${reply}”如果`);
    } finally {
      env.clock.advance(-3 * 24 * 3600_000);
    }
  });

  it('tells nobody else what a ticket is about, and says so when the number is unknown', async () => {
    const id = await fileComplaint('dee');
    const [other] = await new Conversation(env.core, { userId: 'eve' }).say(`any update on ticket ${id}?`);
    expect(other).toBe(en('ticket.notTheirs', { id }));
    expect(other).not.toMatch(/Damaged|mugs/);
    const [unknown] = await new Conversation(env.core, { userId: 'dee' }).say('what about ticket T-999999');
    expect(unknown).toBe(en('ticket.notFound', { id: 'T-999999' }));
  });

  it('leaves a request for a person to the escalation, ticket or not', async () => {
    const id = await fileComplaint('fay');
    const replies = await new Conversation(env.core, { userId: 'fay' }).say(`I want to talk to a person about ${id}`);
    expect(replies.join(' ')).not.toContain(en('ticket.open', { id, category: 'Damaged item', opened: 'Wednesday, 25 November at 10:00 Eastern Time', due: 'Friday, 27 November at 10:00 Eastern Time' }));
    expect(await env.core.handoffs.store.list()).toEqual(expect.arrayContaining([expect.objectContaining({ status: 'queued' })]));
  });
});
