import { EventFactory } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asksToLeave, HUB_AGENT } from '../../bot/handoff/relayMiddleware.js';
import { t, translator } from '../../i18n/index.js';
import type { DeskEvent } from '../../bot/handoff/events.js';
import type { TurnRecord } from '../../storage/turnLog.js';
import { sessionsFromRecords } from '../../metrics/sessions.js';
import { Conversation, createTestCore, type TestCore } from '../helpers/harness.js';

const en = (key: string, vars?: Record<string, string | number>) => t('en', key, vars);

let env: TestCore;
const heard: DeskEvent[] = [];
/** Closes the console these tests keep open. */
let closeConsole: () => void;
beforeAll(async () => {
  env = await createTestCore({ HANDOFF_HUB_CHANNELS: 'omnichannel' });
  closeConsole = env.core.handoffs.events.subscribe((e) => heard.push(e));
});
afterAll(async () => env.cleanup());

async function escalated(conversationId: string, channelId?: string): Promise<Conversation> {
  const c = new Conversation(env.core, { conversationId, ...(channelId ? { channelId } : {}) });
  await c.say('I want to talk to a person');
  expect(await env.core.handoffs.openFor(conversationId)).toBeDefined();
  return c;
}

const hubStatus = (conversationId: string, state: string, message?: string) => ({
  ...EventFactory.createHandoffStatus({ id: conversationId, isGroup: false, conversationType: 'personal', name: '' }, state, message),
});

describe('while a handoff is open', () => {
  it('queued: the customer hears their place; the message goes to the consoles, not the dialogs', async () => {
    const c = await escalated('relay-queued');
    const h = (await env.core.handoffs.openFor('relay-queued'))!;
    expect(await c.say('where is my order 10435?')).toEqual([en('handoff.stillQueued', { position: h.position })]);
    expect(heard).toContainEqual({ type: 'message', line: expect.objectContaining({ handoffId: h.id, from: 'customer', text: 'where is my order 10435?' }) });
    const log: TurnRecord[] = [];
    for await (const r of env.core.turnLog.read()) if (r.conversationId === 'relay-queued') log.push(r);
    // The message is classified (intent, sentiment) and marked as one for a person; the bot's "still queued" stays the bot's.
    expect(log.at(-2)).toMatchObject({ direction: 'in', dialog: 'handoff', outcome: 'agent', intent: 'order.status', handoffId: h.id, text: 'where is my order 10435?' });
    expect(log.at(-2)?.sentiment).toEqual({ score: expect.any(Number), label: expect.any(String) });
    expect(log.at(-1)).toMatchObject({ direction: 'out', actor: 'bot', dialog: 'handoff', outcome: 'answered', text: en('handoff.stillQueued', { position: h.position }) });
    // Each later message heard the same fifty words again: one more SMS every time.
    expect(await c.say('it was due on monday')).toEqual([en('handoff.stillQueuedAgain', { position: h.position })]);
  });

  it('queued with no console open: the customer hears that nobody is online, not that someone is coming', async () => {
    const c = await escalated('relay-nobody');
    const h = (await env.core.handoffs.openFor('relay-nobody'))!;
    closeConsole();
    try {
      // "a person will be with you shortly", again and again, while nobody could come.
      expect(await c.say('why is nobody here yet?')).toEqual([en('handoff.stillQueuedNobodyOnline', { position: h.position })]);
      // Shorter the next time, and still saying that nobody is there and how to leave a message.
      expect(await c.say('hello??')).toEqual([en('handoff.stillQueuedAgainNobodyOnline', { position: h.position })]);
    } finally {
      closeConsole = env.core.handoffs.events.subscribe((e) => heard.push(e));
    }
  });

  // With nobody online the customer could only wait, for hours perhaps, or give up: the request and what they wrote
  // were lost to the team unless they knew to come back after hours, when the bot offers to take a message.
  it('queued with no console open: the customer can leave a message instead, and it becomes a ticket', async () => {
    closeConsole();
    try {
      const c = new Conversation(env.core, { conversationId: 'relay-leave-message' });
      const [queued] = await c.send('I want to talk to a person');
      expect(queued?.text).toContain(en('handoff.wait.nobodyOnline'));
      expect(queued?.suggestedActions?.actions.map((a) => a.title)).toEqual([en('handoff.leaveMessageButton')]);
      const h = (await env.core.handoffs.openFor('relay-leave-message'))!;
      const [still] = await c.send('hello?? anyone');
      expect(still?.text).toBe(en('handoff.stillQueuedNobodyOnline', { position: h.position }));
      expect(still?.suggestedActions?.actions.map((a) => a.title)).toEqual([en('handoff.leaveMessageButton')]);
      // No button where the channel shows none (SMS, email): the text says what to type.
      const [sms] = await new Conversation(env.core, { conversationId: 'relay-leave-message-sms', channelId: 'sms' }).send('I want to talk to a person');
      expect(sms?.text).toContain(en('handoff.wait.nobodyOnline'));
      expect(sms?.suggestedActions).toBeUndefined();
      expect(await c.say("I'd like to leave a message please")).toEqual([en('handoff.askMessageFromQueue')]);
      expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'abandoned', endedBy: 'customer', note: 'left a message instead' });
      const message = 'The blender from order 10435 leaks at the base, please email me at sam.lee@example.com';
      const [saved] = await c.say(message);
      const ticket = (await env.core.services.tickets.list()).find((k) => k.conversationId === 'relay-leave-message');
      expect(ticket).toMatchObject({ kind: 'message', status: 'open', description: message, orderNumber: '10435' });
      expect(saved).toContain(ticket!.id);
      // What the customer wrote while queued goes to the team with the ticket, as the prompt promised.
      const transcript = await env.core.handoffs.sessionTranscript(ticket!, ticket!.createdAt, null);
      expect(transcript.map((r) => r.text)).toContain('hello?? anyone');
      // Back with the bot afterwards, not in a queue.
      expect(await env.core.handoffs.openFor('relay-leave-message')).toBeUndefined();
      expect((await c.say('where is my order 10435?'))[0]).toMatch(/order 10435/);
    } finally {
      closeConsole = env.core.handoffs.events.subscribe((e) => heard.push(e));
    }
  });

  it.each([
    ['es', 'dejar un mensaje'],
    ['zh', '我要留言'],
    ['fa', 'میخوام پیام بذارم'],
  ])('in %s too, "%s" in the queue asks for the message', async (locale, text) => {
    const conversationId = `relay-leave-message-${locale}`;
    const c = new Conversation(env.core, { conversationId, locale });
    await c.say(t(locale, 'intent.agent.handoff'));
    expect(await env.core.handoffs.openFor(conversationId)).toBeDefined();
    expect(await c.say(text)).toEqual([t(locale, 'handoff.askMessageFromQueue')]);
  });

  it('"ok" in the queue is not taken as the offer to leave a message', async () => {
    closeConsole();
    try {
      const c = await escalated('relay-ok-wait');
      const h = (await env.core.handoffs.openFor('relay-ok-wait'))!;
      expect(await c.say('ok')).toEqual([en('handoff.stillQueuedNobodyOnline', { position: h.position })]);
      expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'queued' });
    } finally {
      closeConsole = env.core.handoffs.events.subscribe((e) => heard.push(e));
    }
  });

  it('active: the customer\'s messages reach the agent and the bot stays quiet', async () => {
    const c = await escalated('relay-active');
    const h = (await env.core.handoffs.openFor('relay-active'))!;
    await env.core.handoffs.accept(h.id, 'alex');
    expect(await c.say('hello? anyone there?')).toEqual([]);
    expect(heard).toContainEqual({ type: 'message', line: expect.objectContaining({ handoffId: h.id, text: 'hello? anyone there?' }) });
  });

  // "nada, adiós" and "没有了，再见" kept the customer queued, for a person to open a chat nobody was in.
  it.each([
    ['en', 'I want to talk to a person', 'ok bye'],
    ['es', 'quiero hablar con una persona', 'nada, adiós'],
    ['zh', '我要转人工', '没有了，再见'],
  ])('%s: after "%s", "%s" in the queue leaves it with a goodbye; with a person it is theirs', async (lang, ask, text) => {
    const queued = async (conversationId: string) => {
      const c = new Conversation(env.core, { conversationId, locale: lang });
      await c.say(ask);
      return { c, h: (await env.core.handoffs.openFor(conversationId))! };
    };
    const { c, h } = await queued(`relay-bye-${lang}`);
    const [bye] = await c.say(text);
    expect(bye).toBe(`${t(lang, 'handoff.cancelledBye')}${lang === 'zh' ? '' : ' '}${t(lang, 'goodbye.reply', { brand: env.core.config.BRAND_NAME })}`);
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'abandoned', endedBy: 'customer' });
    const active = await queued(`relay-bye-active-${lang}`);
    await env.core.handoffs.accept(active.h.id, 'alex');
    expect(await active.c.say(text)).toEqual([]);
  });

  // Customers who said they would wait were taken out of the queue.
  it.each(["thanks, I'll wait", "ok bye, I'll wait", 'ok, talk soon', 'later', 'bye for now, ping me when someone is free'])('"%s" in the queue stays in it', async (text) => {
    const c = await escalated(`relay-stays-${text}`);
    const h = (await env.core.handoffs.openFor(`relay-stays-${text}`))!;
    expect(await c.say(text)).toEqual([en('handoff.stillQueued', { position: h.position })]);
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'queued' });
  });

  it('a request for another language goes to the person, and what the bot says next is in that language', async () => {
    // The bot answered it itself ("好的，我们用中文继续…") in the middle of the agent's chat, and the agent never saw it.
    const c = await escalated('relay-language');
    const h = (await env.core.handoffs.openFor('relay-language'))!;
    expect(await c.say('中文')).toEqual([t('zh', 'handoff.stillQueued', { position: h.position })]);
    expect(heard).toContainEqual({ type: 'message', line: expect.objectContaining({ handoffId: h.id, text: '中文' }) });
    await env.core.handoffs.accept(h.id, 'alex');
    expect(await c.say('english please')).toEqual([]);
    expect(heard).toContainEqual({ type: 'message', line: expect.objectContaining({ handoffId: h.id, text: 'english please' }) });
    expect(await c.say('back to bot')).toEqual([en('handoff.left')]);
  });

  it('"back to bot" abandons the handoff and the bot answers again', async () => {
    const c = await escalated('relay-cancel');
    const h = (await env.core.handoffs.openFor('relay-cancel'))!;
    expect(await c.say('back to bot')).toEqual([en('handoff.cancelled')]);
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'abandoned', endedBy: 'customer', abandonedAt: expect.any(String) });
    expect((await c.say('where is my order 10435?'))[0]).toMatch(/I found order 10435/);
  });

  it('"cancel" works as well, in any case and with punctuation', async () => {
    const c = await escalated('relay-cancel-2');
    expect(await c.say('Cancel!')).toEqual([en('handoff.cancelled')]);
  });

  // Each got "You're number 1 in the queue" again: only the exact phrases left it.
  it.each(['go back to the bot', 'forget it i dont want to wait', 'actually nevermind, back to bot please', 'nah, back to bot'])('"%s" leaves the queue', async (text) => {
    const c = await escalated(`relay-leave-${text.length}`);
    expect(await c.say(text)).toEqual([en('handoff.cancelled')]);
  });

  // A leave phrase inside a sentence of other words: "please dont end the chat" and "i dont want to wait for a refund"
  // cancelled the request for a person when any short message containing one did.
  it.each(['i want to cancel order 10435 please', 'please dont end the chat', 'i dont want to wait for a refund'])('"%s" in the queue is news for the person', async (text) => {
    const c = await escalated(`relay-stay-${text.length}`);
    const h = (await env.core.handoffs.openFor(`relay-stay-${text.length}`))!;
    expect(await c.say(text)).toEqual([en('handoff.stillQueued', { position: h.position })]);
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'queued' });
  });

  it('with a person, "cancel" is an answer for them; only going back to the bot ends the chat', async () => {
    // Asked "cancel or exchange?" by the agent, the customer's "cancel" ended the handoff and dropped the agent.
    const c = await escalated('relay-active-cancel');
    const h = (await env.core.handoffs.openFor('relay-active-cancel'))!;
    await env.core.handoffs.accept(h.id, 'alex');
    expect(await c.say('cancel')).toEqual([]);
    expect(await c.say('please dont end the chat yet')).toEqual([]);
    expect(heard).toContainEqual({ type: 'message', line: expect.objectContaining({ handoffId: h.id, text: 'cancel' }) });
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'active' });
    expect(await c.say('back to bot')).toEqual([en('handoff.left')]);
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'abandoned', endedBy: 'customer' });
  });

  // The documented "actually nevermind, back to bot please" was relayed to the agent, and the customer heard nothing.
  it('with a person, a "never mind" before going back to the bot still leaves; alone it is for them', async () => {
    const t = translator('en');
    expect(asksToLeave(t, 'actually nevermind, back to bot please', false)).toBe(true);
    expect(asksToLeave(t, 'never mind, end the chat', false)).toBe(true);
    expect(asksToLeave(t, 'never mind', false)).toBe(false);
    expect(asksToLeave(t, 'never mind, I found it', false)).toBe(false);
    const c = await escalated('relay-active-nevermind');
    const h = (await env.core.handoffs.openFor('relay-active-nevermind'))!;
    await env.core.handoffs.accept(h.id, 'alex');
    expect(await c.say('actually nevermind, back to bot please')).toEqual([en('handoff.left')]);
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'abandoned', endedBy: 'customer' });
  });

  it('a channel re-announcing the customer does not get the welcome in the middle of a handoff', async () => {
    const c = await escalated('relay-rejoin');
    expect(await c.send({ type: 'conversationUpdate', membersAdded: [{ id: 'user-1', name: 'Customer' }] })).toEqual([]);
    expect(await env.core.handoffs.openFor('relay-rejoin')).toMatchObject({ status: 'queued' });
  });

  it('the customer leaving the conversation abandons it', async () => {
    const c = await escalated('relay-left');
    const h = (await env.core.handoffs.openFor('relay-left'))!;
    await c.send({ type: 'endOfConversation' });
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'abandoned', endedBy: 'customer' });
  });
});

describe('handoff.status events from an external agent hub', () => {
  it('accepted → active with the hub as agent; completed → resolved and the bot takes back', async () => {
    const c = await escalated('hub-1', 'omnichannel');
    const h = (await env.core.handoffs.openFor('hub-1'))!;
    expect(await c.send(hubStatus('hub-1', 'accepted'))).toEqual([]);
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'active', agent: HUB_AGENT });
    const back = await c.say('hmm'); // relayed, silent
    expect(back).toEqual([]);
    const done = await c.send(hubStatus('hub-1', 'completed', 'sorted by phone'));
    // Back with the bot, the customer is offered the survey (agent-handled CSAT).
    expect(done.map((a) => a.text)).toEqual([en('handoff.handBack', { agent: HUB_AGENT, bot: env.core.config.BOT_NAME }), en('survey.csat')]);
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'resolved', endedBy: 'hub', note: 'sorted by phone' });
    expect((await c.say('where is my order 10435?'))[0]).toMatch(/I found order 10435/);
    // The hand-back ends the conversation (DESIGN §4): the question after it starts another, not part of the escalation.
    const log: TurnRecord[] = [];
    for await (const r of env.core.turnLog.read()) if (r.conversationId === 'hub-1') log.push(r);
    expect(log.filter((r) => r.data?.handoffResolved === true).map((r) => r.handoffId)).toContain(h.id);
    const sessions = sessionsFromRecords(log, env.core.config.SESSION_IDLE_MINUTES * 60_000);
    expect(sessions.map((s) => [s.handoffIds, s.topic])).toEqual([[[h.id], 'agent.handoff'], [[], 'order.status']]);
  });

  it('failed → abandoned; the customer is told and stays with the bot', async () => {
    const c = await escalated('hub-2', 'omnichannel');
    const h = (await env.core.handoffs.openFor('hub-2'))!;
    expect((await c.send(hubStatus('hub-2', 'failed', 'no agents'))).map((a) => a.text)).toEqual([en('handoff.failed')]);
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'abandoned', endedBy: 'hub', note: 'no agents' });
  });

  it('a malformed status, or one for a conversation without a handoff, is ignored', async () => {
    const c = await escalated('hub-3', 'omnichannel');
    expect(await c.send({ type: 'event', name: 'handoff.status', value: { state: 'exploded' } })).toEqual([]);
    expect(await env.core.handoffs.openFor('hub-3')).toMatchObject({ status: 'queued' });
    const other = new Conversation(env.core, { conversationId: 'hub-none', channelId: 'omnichannel' });
    expect(await other.send(hubStatus('hub-none', 'completed'))).toEqual([]);
  });

  it('from a channel not in HANDOFF_HUB_CHANNELS, is ignored: the customer may have sent it', async () => {
    // A web chat page posted handoff.status "completed" and closed the chat an agent was having with the customer.
    const c = await escalated('hub-forged');
    const h = (await env.core.handoffs.openFor('hub-forged'))!;
    expect(await env.core.handoffs.accept(h.id, 'alex')).toMatchObject({ ok: true });
    expect(await c.send(hubStatus('hub-forged', 'completed', 'closed by the customer'))).toEqual([]);
    expect(await env.core.handoffs.store.get(h.id)).toMatchObject({ status: 'active', agent: 'alex', note: null });
    const queued = await escalated('hub-forged-2', 'webchat');
    expect(await queued.send(hubStatus('hub-forged-2', 'accepted'))).toEqual([]);
    expect(await env.core.handoffs.openFor('hub-forged-2')).toMatchObject({ status: 'queued', agent: null });
  });
});

describe('a message made only of leave phrases, in every language', () => {
  const run = (lang: string, text: string) => asksToLeave(translator(lang), text, true);
  it.each([
    ['en', 'actually nevermind, back to bot please'],
    ['es', 'bueno ya no quiero esperar mas'],
    ['zh', '算了不等了'],
    ['zh', '我不等了'],
    // Each got "You're number 4 in the queue" again: one more SMS every time.
    ['en', 'nvm'],
    ['en', 'ok no need'],
    ['es', 'ya no hace falta, gracias'],
    ['zh', '不用了，谢谢'],
    ['fa', 'نیازی نیست'],
    // A "no" first got "Thanks, I've passed that on" again, though the bot had told them to type "back to bot".
    ['en', 'nah, back to bot'],
    // Kept the customer queued (read as order status, 0.995).
    ['en', 'never mind, I will stay with the bot'],
    ['en', 'actually no, back to bot please'],
    ['es', 'mejor no, volver al bot'],
    // Relayed to the agent, the handoff left active: "vuelvo al bot" was not listed.
    ['es', 'olvídalo, vuelvo al bot'],
    ['zh', '不，回到机器人'],
    // Relayed to nobody ("Thanks, I've passed that on"), the customer still queued.
    ['en', 'You can cancel the request for a human'],
    ['en', "ok I don't need a person anymore"],
  ])('%s "%s" leaves', (lang, text) => expect(run(lang, text)).toBe(true));
  it.each([
    ['es', 'no quiero esperar otra semana por el reembolso'],
    ['zh', '明天不到我就不等了'],
    ['en', 'ok please'],
    ['en', 'no need to refund, just send the right size'],
    // A goodbye or "I'll come back later" is no cancel: the idle reminder says any message keeps the place, and the
    // request the customer described would be thrown away.
    ['en', 'ok thanks, bye'],
    ['en', "ok i'll come back later"],
    ['es', 'adiós'],
    ['zh', '再见'],
    ['en', 'no, please dont end the chat'],
    ['en', 'no'],
    ['zh', '不结束对话'],
  ])('%s "%s" does not', (lang, text) => expect(run(lang, text)).toBe(false));
});
