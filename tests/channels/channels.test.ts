/**
 * Messaging channels: /api/messages replying to the channel's serviceUrl over the real connector protocol, and
 * channel-aware rendering (buttons where the channel has them, numbered text where it does not, numbers as answers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choiceNumber } from '../../dialogs/choices.js';
import { buttons, Conversation, createTestCore, type TestCore } from '../helpers/harness.js';
import { type FakeChannel, startFakeChannel } from '../helpers/fakeChannel.js';
import { customerActivity, postActivity, startTestServer, type TestServer } from '../helpers/server.js';

describe('a channel service at the serviceUrl (real HTTP, real connector protocol)', () => {
  let server: TestServer;
  let channel: FakeChannel;
  beforeAll(async () => {
    [server, channel] = await Promise.all([startTestServer(), startFakeChannel()]);
  });
  afterAll(async () => {
    await server.stop();
    await channel.close();
  });

  /** Posts a customer message the way a channel does (normal delivery: replies go to the serviceUrl). */
  async function say(text: string, conversationId: string, channelId: string) {
    const mark = channel.calls.length;
    const { deliveryMode: _normal, ...activity } = customerActivity(text, conversationId, { channelId, serviceUrl: channel.serviceUrl });
    const res = await postActivity(server.url, activity);
    expect(res.status).toBe(200);
    return { sent: activity, calls: channel.since(mark) };
  }

  it('posts each reply to /v3/conversations/{conversationId}/activities/{replyToId}', async () => {
    const conv = `tg-${Date.now()}`;
    const { sent, calls } = await say('where is my order 10435', conv, 'telegram');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', conversationId: conv, replyToId: sent.id, activity: { type: 'message', replyToId: sent.id } });
    expect(calls[0]?.activity.text).toMatch(/I found order 10435/);
    // Open local mode: no token is sent to the channel (with MicrosoftAppId the adapter would get one from Azure AD).
    expect(calls[0]?.authorization).toBeUndefined();
    const next = await say('02139', conv, 'telegram');
    expect(next.calls[0]?.activity.text).toMatch(/on its way with UPS/);
  });

  it('gives an sms conversation numbered choices, and "1" picks the first', async () => {
    const conv = `sms-${Date.now()}`;
    const hello = await say('hello', conv, 'sms');
    const reply = hello.calls[0]!.activity;
    expect(reply.text).toMatch(/1\. Track an order[\s\S]*4\. Talk to a person/);
    expect(reply.suggestedActions).toBeUndefined();
    const picked = await say('1', conv, 'sms');
    expect(picked.calls[0]?.activity.text).toMatch(/What's your order number\?/);
  });

  it('gives a Web Chat conversation buttons and Teams a card with buttons', async () => {
    const web = await say('hello', `wc-${Date.now()}`, 'webchat');
    expect(web.calls[0]?.activity.suggestedActions?.actions.map((a) => a.title)).toEqual(['Track an order', 'Returns & refunds', 'Make a complaint', 'Talk to a person']);
    const teams = await say('hello', `teams-${Date.now()}`, 'msteams');
    const card = teams.calls[0]?.activity.attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.hero');
    expect(card?.content.buttons.map((b: { title: string }) => b.title)).toContain('Talk to a person');
  });
});

describe('every place choices are offered, on channels without buttons', () => {
  let env: TestCore;
  beforeAll(async () => {
    env = await createTestCore();
  });
  afterAll(async () => env.cleanup());

  const texts = (replies: Array<{ type?: string; text?: string }>) => replies.filter((r) => r.type === 'message').map((r) => r.text ?? '');

  it.each(['sms', 'email', 'console'])('%s: menu, FAQ feedback, complaint category and the offer of a person are numbered; numbers answer them', async (channelId) => {
    const faq = new Conversation(env.core, { channelId });
    const menu = await faq.send('hi');
    expect(buttons(menu[0])).toEqual([]);
    expect(texts(menu)[0]).toMatch(/2\. Returns & refunds/);
    // offerChoices → "2" means its second suggestion.
    expect(texts(await faq.send('2')).join(' ')).toMatch(/Did that answer your question\? \(1\) Yes or \(2\) No/);
    // ConfirmPrompt → "1" is yes.
    expect(texts(await faq.send('1'))).toEqual([expect.stringMatching(/glad that helped/), expect.stringMatching(/anything else I can help you with\? \(1\) Yes or \(2\) No/)]);

    const complaint = new Conversation(env.core, { channelId });
    expect(texts(await complaint.send('I want to complain'))[0]).toMatch(/1\. Damaged item[\s\S]*6\. Something else/);
    // ChoicePrompt → "3" is the third category.
    expect(texts(await complaint.send('3'))[0]).toMatch(/late delivery/);

    const lost = new Conversation(env.core, { channelId });
    await lost.send('asdkj qwe');
    expect(texts(await lost.send('zzzz xx'))[0]).toMatch(/talk to a person from our team\? \(1\) Yes or \(2\) No/);
    // ConfirmPrompt → "2" is no, and the menu comes back numbered.
    expect(texts(await lost.send('2'))[0]).toMatch(/Here's what I can help with[\s\S]*1\. Track an order/);
  });

  it('email: reads the customer\'s own words, not the quoted thread, signature, salutation or sign-off', async () => {
    // A reply quoting the thread was refused as too long; "Thanks,\nPat" under a request for a person got "You're
    // welcome!"; the menu quoted under "2" filed the complaint as damaged.
    const person = new Conversation(env.core, { channelId: 'email' });
    expect(texts(await person.send('Hi,\n\nI want to speak to a real person about my refund.\n\nThanks,\nPat')).join(' ')).not.toMatch(/welcome/i);
    const status = new Conversation(env.core, { channelId: 'email' });
    const thread = `\n\nOn Fri, 27 Nov 2026 at 10:00, Brightcart <support@brightcart.example> wrote:\n${'> an earlier message of the thread\n'.repeat(80)}`;
    expect(texts(await status.send(`Where is my order 10435? Postcode 02139.\n\nBest regards,\nPat\nSent from my iPhone${thread}`))[0]).toMatch(/UPS/);
    const complaint = new Conversation(env.core, { channelId: 'email' });
    await complaint.send('I want to complain');
    expect(texts(await complaint.send('2\n\nOn Fri, 27 Nov 2026, Brightcart wrote:\n> 1. Damaged item\n> 2. Wrong item'))[0]).toMatch(/wrong item/i);
  });

  it('understands the number the way customers type it: (2), #2, 2., Persian and full-width digits', async () => {
    for (const typed of ['(2)', '#2', '2.', '۲', '٢', '２']) {
      const c = new Conversation(env.core, { channelId: 'sms' });
      await c.send('hello');
      expect(texts(await c.send(typed)).join(' '), typed).toMatch(/Did that answer your question/);
    }
    const prompt = new Conversation(env.core, { channelId: 'sms' });
    await prompt.send('I want to complain');
    expect(texts(await prompt.send('(۳)'))[0]).toMatch(/late delivery/);
  });

  // "two" at the menu got "Sorry, I didn't quite get that" and the menu again: the words were read as a request.
  it('understands a choice named in words, in each language: "the second one", "la segunda", "第二个", "دومی"', async () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ['en-US', 'hello', 'the second one please', /return most items within 30 days/],
      ['en-US', 'hello', 'two', /return most items within 30 days/],
      ['es-ES', 'hola', 'la segunda', /30 días/],
      ['zh-CN', '你好', '我选第二个', /30 天内/],
      ['fa-IR', 'سلام', 'دومی', /۳۰ روز/],
    ];
    for (const [locale, hello, typed, answer] of cases) {
      const c = new Conversation(env.core, { channelId: 'sms', locale });
      await c.send(hello);
      expect(texts(await c.send(typed)).join(' '), typed).toMatch(answer);
    }
    // A number word beyond the menu, or inside a sentence, is no choice.
    const sentence = new Conversation(env.core, { channelId: 'sms' });
    await sentence.send('hello');
    expect(texts(await sentence.send('I bought two mugs')).join(' ')).not.toMatch(/return most items/);
  });

  // A Teams or Slack customer saw the complaint categories as "damaged", "wrong_item", "late"…, and "which did you
  // mean?" as "faq.contact", "greeting": botbuilder's hero card titles a button with the choice's value, a code here.
  it.each(['msteams', 'slack'])('%s: the buttons of a card carry their labels, and pressing one answers', async (channelId) => {
    const cardButtons = (replies: Array<{ attachments?: Array<{ content?: { buttons?: Array<{ title: string; value: string }> } }> }>) =>
      replies.flatMap((r) => r.attachments ?? []).flatMap((a) => a.content?.buttons ?? []);
    const complaint = new Conversation(env.core, { channelId });
    const categories = cardButtons(await complaint.send('I want to make a complaint'));
    expect(categories.map((b) => b.title)).toEqual(['Damaged item', 'Wrong item', 'Late delivery', 'Customer service', 'Billing', 'Something else']);
    expect(texts(await complaint.send(categories[2]!.value))[0]).toMatch(/late delivery/);

    const unsure = new Conversation(env.core, { channelId });
    const which = cardButtons(await unsure.send('is there a live agent available'));
    expect(which.map((b) => b.title)).toEqual(['Contact details', 'Talk to a person', 'Something else']);
  });

  it('choiceNumber takes only bare small numbers', () => {
    expect(['1', ' 2 ', '(3)', '[4]', '#5', '6.', '7)', '12', '۱۲'].map(choiceNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 12, 12]);
    expect(['10231', 'order 2', '2 please', '', 'two', '1.5'].map(choiceNumber)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
