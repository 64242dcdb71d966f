/**
 * Order status: takes the order number, verifies the customer (email or postcode on file), then tells the status.
 * A cancellation question that names an order comes here too, and is answered with whether that order can still be
 * cancelled or changed.
 */
import { InputHints, MessageFactory, type TurnContext } from 'botbuilder';
import {
  type DialogContext,
  type DialogTurnResult,
  type PromptValidatorContext,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { getConversationData, waitingVerification, type WaitingVerification } from '../bot/conversationData.js';
import { markTurn, turnInfo } from '../bot/turnInfo.js';
import { formatDay, formatDayWithRelative, formatMoney } from '../i18n/dates.js';
import { catalogue, type Translate } from '../i18n/index.js';
import { COMPLAINT_INTENT, ORDER_STATUS_INTENT } from '../nlu/corpus.js';
import { correctsOrderNumber, EMAIL_PATTERN, extractEntities } from '../nlu/entities.js';
import { turnsDown } from '../nlu/engine.js';
import { normalizeScript } from '../nlu/normalize.js';
import type { SupportRecognition } from '../nlu/recognizer.js';
import { normalizeOrderNumber, type Order, type OrderStatus } from '../storage/orderStore.js';
import { offerChoices } from './choices.js';
import type { PendingQuestion } from './mainDialog.js';
import { confirmPrompt, QuestionPrompt } from './prompts.js';
import type { DialogServices } from './services.js';
import {
  isPhrase,
  mentionsPhrase,
  type RerouteResult,
  type RouteOptions,
  saysThanks,
  SMALL_TALK_INTENTS,
  SupportDialog,
  SWITCHED,
  wordCount,
} from './supportDialog.js';

export const ORDER_STATUS_DIALOG = 'orderStatus';
const FLOW = `${ORDER_STATUS_DIALOG}.flow`;
const NUMBER_PROMPT = `${ORDER_STATUS_DIALOG}.number`;
const VERIFY_PROMPT = `${ORDER_STATUS_DIALOG}.verify`;
const MISSING_PROMPT = `${ORDER_STATUS_DIALOG}.missing`;
/** The intent a delivered order that never came is filed under (see `missingStep`). */
/** Wrong-format answers tolerated before the flow gives up. */
const MAX_FORMAT_ATTEMPTS = 3;
/** Verification answers allowed (the second wrong one ends the flow); replies that are no answer are not counted. */
const MAX_VERIFY_ATTEMPTS = 2;
/** Unknown order numbers before a human is offered. */
const MAX_LOOKUPS = 2;

interface FlowOptions extends RouteOptions {
  lookups?: number;
  /** The number the last lookup did not find: the question for another one says so. */
  notFound?: string;
}

/** What the flow keeps between its steps (dialog state is stored: the order's number, never its email or postcode). */
interface FlowValues {
  number?: string;
  /** The flow took up a verification left for another subject, with this turn's detail as its next try. */
  resumed?: boolean;
  /** The verification left waiting when the flow began (its order may be another). */
  waiting?: WaitingVerification;
}

/** What the verification prompt counts across turns: wrong answers, and replies that were no answer at all. */
interface VerifyTries {
  mismatches?: number;
  asides?: number;
}

/** What the verification prompt checks: the order, the question asked about it, and the tries already spent on it. */
interface VerifyFor {
  number: string;
  intent: string;
  spent?: number;
}

/** A lone email or postcode sent when no question asked for it, and the order it was for. */
interface LateDetail {
  number: string;
  /** The order's verification was left for another subject: the detail is its answer. Else its tries are spent. */
  resumes: boolean;
}

/** Whether a reply could be an email or a postcode: every email has an "@", every postcode a digit (in any script). */
const couldVerify = (text: string): boolean => /[@\p{Nd}]/u.test(text);
/**
 * Whether text holds something shaped like an email or a postcode (a word with two digits or more: "10001"; two
 * words in a row with a digit each: "SW1A 1AA"; a postcode spelled out: "7 5 0 2 0"), as against a day or a count
 * ("3 days ago", "by the 5th") beside an order's number. Spelled-out and two-part postcodes went uncounted, so
 * guesses at an order's postcode were free.
 */
function holdsDetail(text: string): boolean {
  if (text.includes('@')) return true;
  const digits = (s: string) => s.match(/\p{Nd}/gu)?.length ?? 0;
  const words = text.split(/\s+/);
  if (words.some((word, i) => digits(word) >= 2 || (i > 0 && digits(word) > 0 && digits(words[i - 1]!) > 0))) return true;
  return [...text.matchAll(SPELLED_OUT)].some((m) => digits(m[0]) >= 2);
}

/** Three or more single letters or digits in a row, split by spaces, dots or dashes: "7 5 0 2 0", "0.2.1.3.9". */
const SPELLED_OUT = /(?<![\p{L}\p{N}])(?:[\p{L}\p{N}][\s.-]+){2,}[\p{L}\p{N}](?![\p{L}\p{N}])/gu;

/** Words beside an email that still make the message the email ("oh wait it's …"). */
const DETAIL_WORDS_BESIDE_EMAIL = 4;
/** A message that is one email address and nothing else (built once, not per turn). */
const LONE_EMAIL = new RegExp(`^${EMAIL_PATTERN.source}$`, 'iv');

/**
 * A message that is nothing but an email address or a postcode ("02139", "SW1A 1AA"): what a customer sends when they
 * remember the right detail after the verification question has gone.
 */
function isLoneDetail(text: string): boolean {
  const t = text.trim();
  if (LONE_EMAIL.test(t)) return true;
  // An email in a few words of its own ("oh wait it's elena.khan@example.com", "my email is …") is the detail too: it
  // got "Sorry, I didn't quite get that" where the bare address got why the order stays locked.
  const rest = t.replace(EMAIL_PATTERN, ' ');
  if (rest !== t && !/\p{Nd}/u.test(rest) && wordCount(rest) <= DETAIL_WORDS_BESIDE_EMAIL) return true;
  return /^[\p{L}\p{N}][\p{L}\p{N} -]{1,8}[\p{L}\p{N}]$/u.test(t) && /\p{Nd}/u.test(t) && t.split(/\s+/).length <= 2;
}

/** What the verification prompt returns for a reply that names another order: a new request, rerouted. */
const ANOTHER_ORDER = '\u0000anotherOrder';

/** What the verification step gets when the tries ran out before a prompt: matches no order. */
const NOT_VERIFIED = '\u0000notVerified';

/** What the verification step gets when the order's details are refused for now (too many wrong ones, anywhere). */
const LOCKED = '\u0000locked';

/** Marker returned by the number prompt when the customer says they do not have the number. */
const NO_NUMBER = '\u0000noNumber';

/** The order number in a reply: a bare number, "#10231", "ORD-10231", or one inside a sentence. */
export function orderNumberIn(text: string): string | null {
  return normalizeOrderNumber(text) ?? extractEntities(text).orderNumber?.[0] ?? null;
}

/** Every order number a text names, in order (`orderNumberIn` is the first of them). */
export function orderNumbersIn(text: string): string[] {
  const bare = normalizeOrderNumber(text);
  return [...new Set([...(bare ? [bare] : []), ...(extractEntities(text).orderNumber ?? [])])];
}

/**
 * Words besides an order number in a reply that only gives the number ("it's order 10231"); a longer one asks
 * something about the order ("actually, where is my order 10435?"), a change of subject.
 */
const NUMBER_ONLY_WORDS = 3;

/** The order number a reply gives and says little else about, if it does. */
export function givenOrderNumber(text: string): string | undefined {
  const number = orderNumberIn(text);
  return number && wordCount(text.replace(/\p{Nd}+/gu, ' ')) <= NUMBER_ONLY_WORDS ? number : undefined;
}

/** Whether a reply is only a yes, a no or a word of assent ("ok", "vale", "باشه"): no change of subject at a question. */
function assents(t: Translate, text: string): boolean {
  return ['common.yesWords', 'common.noWords', 'common.acceptWords'].some((key) => isPhrase(t, key, text));
}

/** The order number the customer's message gave, when it has an order number's shape. */
function usableNumber(recognition: SupportRecognition): string | undefined {
  const first: string | undefined = recognition.entities.orderNumber?.[0];
  return first && /^\d{5,8}$/.test(first) ? first : undefined;
}

/** Whether `answer` is the order's email or postcode (case, spaces and punctuation ignored). */
export function matchesOrder(order: Pick<Order, 'email' | 'postcode'>, answer: string): boolean {
  const squash = (s: string) => s.toLowerCase().replace(/[\s\-.]/g, '');
  const a = answer.trim().toLowerCase();
  const email = extractEntities(answer).email?.[0]?.toLowerCase();
  if (email && email === order.email.toLowerCase()) return true;
  if (a === order.email.toLowerCase()) return true;
  return squash(a) === squash(order.postcode);
}

/**
 * Whether a message already gives the order's email or postcode beside its number ("where is 10554? my email is
 * wei.li@example.com", "订单10333，邮编75011"): the customer was asked for it again, as if unheard. The postcode must stand
 * alone (no letter or digit touching it), in any spacing; the order's own number is no postcode.
 */
export function givesOrderDetails(order: Pick<Order, 'number' | 'email' | 'postcode'>, text: string): boolean {
  if (extractEntities(text).email?.some((e) => e.toLowerCase() === order.email.toLowerCase())) return true;
  const chars = [...order.postcode.replace(/[\s\-.]/g, '')].map((c) => c.replace(/[^\p{L}\p{N}]/gu, '\\$&'));
  if (chars.length === 0) return false;
  const postcode = new RegExp(`(?<![A-Za-z0-9])${chars.join('[\\s.-]?')}(?![A-Za-z0-9])`, 'i');
  return postcode.test(normalizeScript(text).replaceAll(order.number, ' '));
}

/** Whether a reply to the verification question gives the order's email or postcode, alone or in a sentence. */
function verifies(order: Pick<Order, 'number' | 'email' | 'postcode'>, answer: string): boolean {
  return matchesOrder(order, answer) || givesOrderDetails(order, answer);
}

/**
 * A delay reason in the customer's language: a known code ("customs_inspection") from the catalogue, else the order
 * system's own text as it is. The demo orders' English phrases reached Spanish, Chinese and Persian answers untranslated.
 */
function delayReason(reason: string | undefined, lang: string, t: Translate): string {
  if (!reason) return '';
  const key = `order.delayReason.${reason}`;
  return catalogue(lang)?.[key] !== undefined ? t(key) : reason;
}

/** The intent whose questions about one order this dialog answers from that order's state. */
export const CANCEL_INTENT = 'faq.cancel';
/** Returns and refunds: asked about one order ("can I still return order 10673?"), answered from its state too. */
export const RETURNS_INTENT = 'faq.returns';
/** The return window of the returns policy (data/faq: "within 30 days of delivery"). */
const RETURN_DAYS = 30;

/** The catalogue key that answers "can I still return it?" (or "when do I get my money back?") for an order. */
function returnKey(order: Order, now: Date): string {
  switch (order.status) {
    // Not shipped: cancelling is the way to send it back.
    case 'processing':
      return 'order.cancel.possible';
    case 'shipped':
    case 'out_for_delivery':
    case 'delayed':
      return 'order.return.notYet';
    case 'delivered':
      return order.deliveredAt && now.getTime() > returnDeadline(order.deliveredAt).getTime() ? 'order.return.closed' : 'order.return.open';
    // Cancelled or returned: the status sentence says what was refunded, and when.
    case 'cancelled':
    case 'returned':
      return `order.status.${order.status}`;
  }
}

/** The last day an item delivered at `deliveredAt` may be returned. */
function returnDeadline(deliveredAt: string): Date {
  return new Date(Date.parse(deliveredAt) + RETURN_DAYS * 86_400_000);
}

/** Questions about one order that are answered from its state, each with the catalogue key for the answer. */
const ORDER_QUESTIONS: Record<string, { question: string; key: (order: Order, now: Date) => string }> = {
  [CANCEL_INTENT]: { question: 'cancel', key: (order) => cancelKey(order.status) },
  [RETURNS_INTENT]: { question: 'return', key: returnKey },
};

/** Whether an FAQ intent, asked about one particular order, is answered from that order (`ORDER_QUESTIONS`). */
export function asksAboutOneOrder(intent: string): boolean {
  return intent in ORDER_QUESTIONS;
}

/** The catalogue key that answers "can I still cancel or change it?" for an order's status. */
function cancelKey(status: OrderStatus): string {
  switch (status) {
    case 'processing':
      return 'order.cancel.possible';
    case 'shipped':
    case 'out_for_delivery':
    case 'delayed':
      return 'order.cancel.shipped';
    case 'delivered':
      return 'order.cancel.delivered';
    // Already cancelled or returned: the status sentence (date and refund) is the answer.
    case 'cancelled':
    case 'returned':
      return `order.status.${status}`;
  }
}

/** Looks an order up for a verified customer. */
export class OrderStatusDialog extends SupportDialog {
  readonly intents = ['order.status'] as const;

  /**
   * "Cancel order 10435", "can I change order 10435?", or "can I still cancel it?" once this conversation has verified
   * an order: the answer depends on whether that order has shipped. "Can I still return order 10673?" and "order
   * 10894 was cancelled, when do I get my money back?" depend on its delivery date or refund; the general returns
   * policy answered them. A returns question without a number keeps the policy, whose variants (labels, exchanges)
   * say more than one order's state.
   */
  override async claims(context: TurnContext, recognition: SupportRecognition): Promise<boolean> {
    if (await this.lateDetail(context)) return true;
    if (!asksAboutOneOrder(recognition.intent)) return false;
    if (usableNumber(recognition) !== undefined) return true;
    return (await this.orderInQuestion(context, recognition)) !== undefined;
  }

  /**
   * The order this conversation verified last, when a question without a number is about it: "can I still cancel it?";
   * "when will it arrive exactly?" after its status (it asked for the order number again); "how do i return it?"
   * after it was delivered, or "has the refund been processed?" after it was cancelled (both got the general policy).
   * A status question naming another order ("and my other order?") is not about it; nor is a returns question that
   * does not point at it, whose policy variants (labels, exchanges) say more than one order's state.
   */
  private async orderInQuestion(context: TurnContext, recognition: SupportRecognition): Promise<string | undefined> {
    const number = await this.lastVerified(context);
    if (!number) return undefined;
    const t = this.tr(context);
    const { text } = turnInfo(context);
    if (recognition.intent === CANCEL_INTENT) return number;
    if (recognition.intent === ORDER_STATUS_INTENT) return mentionsPhrase(t, 'order.otherWords', text) ? undefined : number;
    if (recognition.intent !== RETURNS_INTENT) return undefined;
    const status = (await this.services.orders.find(number))?.status;
    return status === 'cancelled' || status === 'returned' || mentionsPhrase(t, 'order.itWords', text) ? number : undefined;
  }

  /**
   * The order a lone email or postcode that names no order is for: one whose verification the customer left for
   * another subject ("where is 10503", "thanks", "94110"), else one whose verification failed. Both were looked up as
   * an order number ("I couldn't find an order with the number 94110").
   */
  private async lateDetail(context: TurnContext): Promise<LateDetail | undefined> {
    const data = await getConversationData(this.services.conversationData, context);
    const waiting = waitingVerification(data)?.number;
    const locked = data.unverifiedOrders?.at(-1);
    const { text } = turnInfo(context);
    if ((!waiting && !locked) || !isLoneDetail(text)) return undefined;
    const number = orderNumberIn(text);
    if (number && (await this.services.orders.find(number))) return undefined;
    return waiting ? { number: waiting, resumes: true } : { number: locked as string, resumes: false };
  }

  /** The order this conversation verified last. */
  private async lastVerified(context: TurnContext): Promise<string | undefined> {
    return (await getConversationData(this.services.conversationData, context)).verifiedOrders.at(-1);
  }

  /**
   * "where is 10792", "what's the email or postcode?", "do you ship to canada?": once shipping is answered, the bot
   * asks for the order's detail again. It never did, and the customer was left to guess the order was still waiting.
   */
  override async leftOpen(context: TurnContext, take: boolean): Promise<PendingQuestion | undefined> {
    const data = await getConversationData(this.services.conversationData, context);
    const waiting = waitingVerification(data);
    if (!waiting?.comeBack) return undefined;
    // Once: a lone email or postcode is still this order's afterwards (`lateDetail`).
    data.awaitingVerification = { ...waiting, comeBack: false };
    if (!take) return undefined;
    return { intent: waiting.intent ?? ORDER_STATUS_INTENT, score: 1, text: '', entities: { orderNumber: [waiting.number] } };
  }

  constructor(services: DialogServices) {
    super(ORDER_STATUS_DIALOG, services);
    this.addDialog(new QuestionPrompt(NUMBER_PROMPT, this.validateNumber.bind(this)))
      .addDialog(new QuestionPrompt(VERIFY_PROMPT, this.validateVerification.bind(this)))
      .addDialog(confirmPrompt(MISSING_PROMPT))
      .addDialog(new WaterfallDialog(FLOW, [this.numberStep.bind(this), this.lookupStep.bind(this), this.verifyStep.bind(this), this.missingStep.bind(this)]));
    this.initialDialogId = FLOW;
  }

  /**
   * At the order-number question, a reply that gives the number and the email answers it, though a sentence beside
   * them half reads as a request for a person: "…number 10367, and the email is …. The party is on Sunday so I really
   * need it by Saturday" was queued for a person; so was "10401, no need for a person". Otherwise it is left to the
   * request ("10401, can someone call me" is one, in more wordings than a list holds), as is one that asks in so many
   * words.
   */
  protected override keepsReply(innerDc: DialogContext): boolean {
    if (innerDc.activeDialog?.id !== NUMBER_PROMPT) return false;
    const { text, locale } = turnInfo(innerDc.context);
    if (orderNumberIn(text) === null || mentionsPhrase(this.tr(innerDc.context), 'handoff.personRequestWords', text)) return false;
    return Boolean(extractEntities(text).email?.length) || turnsDown(text, locale);
  }

  private async validateNumber(pc: PromptValidatorContext<string>): Promise<boolean> {
    const { text, recognition } = turnInfo(pc.context);
    if (orderNumberIn(text)) {
      // The number with another question about that order ("can i cancel order 10231") asks that question: it got the
      // order's delivery estimate.
      if (recognition && asksAboutOneOrder(recognition.intent) && this.isTopicSwitch(pc.context)) pc.recognized.value = SWITCHED;
      return true;
    }
    // Checked before a change of subject: the classifier reads "I don't have my order number" as an FAQ.
    if (isPhrase(this.tr(pc.context), 'order.noNumberWords', text)) {
      pc.recognized.value = NO_NUMBER;
      return true;
    }
    // "باشه" (ok) read as a goodbye (0.83) and ended the chat: a word of assent is no change of subject here.
    if ((!assents(this.tr(pc.context), text) && this.isTopicSwitch(pc.context)) || pc.attemptCount >= MAX_FORMAT_ATTEMPTS) {
      pc.recognized.value = SWITCHED;
      return true;
    }
    markTurn(pc.context, ORDER_STATUS_DIALOG, 'prompted');
    return false;
  }

  private async validateVerification(pc: PromptValidatorContext<string>): Promise<boolean> {
    const info = turnInfo(pc.context);
    const { number, spent } = pc.options.validations as VerifyFor;
    if (!couldVerify(info.text) || info.recognition?.entities.ticketId?.length) return this.verificationAside(pc);
    // Another order's number ("where is my order 10401") is a new request, not a wrong answer: it cost this order a try,
    // and a second one locked it before the other order was even looked up.
    const other = orderNumberIn(info.text);
    if (other && other !== number && (await this.services.orders.find(other))) return this.verificationAside(pc, true);
    // Checked before the answer: with many conversations waiting at this question, each could try a guess.
    if (this.services.verificationFailures.full(number)) {
      info.redactAs = '[verification]';
      pc.recognized.value = LOCKED;
      return true;
    }
    const order = await this.services.orders.find(number);
    // "my zip is 02139" was refused: only a reply that was the postcode and nothing else matched.
    const matches = order !== undefined && verifies(order, info.text);
    // Nor is asking about the same order again ("whats the status of 10231"): its number read as a wrong postcode.
    // A bare number may be the postcode, and stays a try; "10231 maya.patel@example.com" verifies; and a detail beside
    // the number ("10231 wrong@example.com", "10231 88888") is a try, or the two-try limit could be walked round.
    if (!matches && other === number && wordCount(info.text) > 1 && !holdsDetail(info.text.replace(number, ' '))) return this.verificationAside(pc);
    // The answer is personal data: the turn log stores a placeholder, never the text.
    info.redactAs = '[verification]';
    const tries = pc.state as VerifyTries;
    tries.mismatches = (tries.mismatches ?? spent ?? 0) + 1;
    if (!matches) this.wrongDetail(number);
    if (matches || tries.mismatches >= MAX_VERIFY_ATTEMPTS) return true;
    markTurn(pc.context, ORDER_STATUS_DIALOG, 'prompted');
    return false;
  }

  /**
   * A reply to the verification question that is no email or postcode: "why is it taking so long??" was told it did
   * not match and spent one of the two tries, so a second aside ended the flow. A change of subject leaves the flow;
   * anything else hears again what is needed (with a person on offer) without spending a try.
   */
  private async verificationAside(pc: PromptValidatorContext<string>, anotherOrder = false): Promise<boolean> {
    // "ya" or "ok" to "please type the email or postcode" reads as goodbye (1.0), and the chat ended: a yes, no or
    // word of assent is no change of subject here; it hears what is needed.
    const t = this.tr(pc.context);
    const { text } = turnInfo(pc.context);
    // "which email? i have two, my work one and personal" read as contact details (0.98) and got our email address:
    // a question about what the bot asks for is answered, and the question stays open. Only a short one ("what
    // postcode?") or one in doubt ("which", "I don't know my email"): "what is your support email?" is a question.
    const inDoubt = wordCount(text) <= 3 || mentionsPhrase(t, 'order.verificationDoubtWords', text);
    const askedWhat = !anotherOrder && inDoubt && mentionsPhrase(t, 'order.verificationWords', text) && !turnInfo(pc.context).recognition?.entities.email?.length;
    // Nor is a "hello?": the greeting's menu read as if the question had gone, while the order still waited for its
    // email or postcode. (A thank-you there may mean "never mind": it still closes the question.)
    const greets = turnInfo(pc.context).recognition?.intent === 'greeting';
    if (anotherOrder || (!assents(t, text) && !greets && !askedWhat && this.isTopicSwitch(pc.context))) {
      // The question stays open: an email or postcode sent after the other subject is this order's, the tries spent
      // stay spent, and after another task the bot comes back to it.
      const { number, intent, spent } = pc.options.validations as VerifyFor;
      const data = await getConversationData(this.services.conversationData, pc.context);
      const other = turnInfo(pc.context).recognition?.intent ?? '';
      data.awaitingVerification = { number, intent, spent: (pc.state as VerifyTries).mismatches ?? spent ?? 0, comeBack: !SMALL_TALK_INTENTS.has(other) };
      pc.recognized.value = anotherOrder ? ANOTHER_ORDER : SWITCHED;
      return true;
    }
    // It may still be personal data (a name, a street): it is redacted as an attempt is.
    turnInfo(pc.context).redactAs = '[verification]';
    const tries = pc.state as VerifyTries;
    tries.asides = (tries.asides ?? 0) + 1;
    if (tries.asides >= MAX_FORMAT_ATTEMPTS) {
      pc.recognized.value = SWITCHED;
      return true;
    }
    markTurn(pc.context, ORDER_STATUS_DIALOG, 'prompted');
    // Sent here, so the prompt's "that doesn't match" retry is not (botbuilder skips it once the turn has replied).
    await offerChoices(pc.context, this.services.conversationData, t(askedWhat ? 'order.verificationHelp' : 'order.verificationNeeded'), [t('intent.agent.handoff')], { expectsAnswer: true });
    return false;
  }

  private async numberStep(step: WaterfallStepContext<FlowOptions>): Promise<DialogTurnResult> {
    const t = this.tr(step.context);
    const { recognition } = step.options;
    // Two failed tries are the limit for an order in a conversation, however the detail comes back.
    const late = step.options.lookups ? undefined : await this.lateDetail(step.context);
    // Any order flow settles the verification that was waiting: this one answers it, or moves on.
    const data = await getConversationData(this.services.conversationData, step.context);
    const values = step.values as FlowValues;
    values.waiting = waitingVerification(data);
    delete data.awaitingVerification;
    if (late?.resumes) {
      values.resumed = true;
      return step.next(late.number);
    }
    if (late) {
      turnInfo(step.context).redactAs = '[verification]';
      if (this.services.verificationFailures.full(late.number)) return this.lockedForNow(step, late.number);
      markTurn(step.context, ORDER_STATUS_DIALOG, 'answered', { data: { verified: false } });
      await offerChoices(step.context, this.services.conversationData, t('order.lateDetail', { number: late.number }), [t('intent.agent.handoff')], { expectsAnswer: true });
      return step.endDialog();
    }
    // A question without a number may be about the order this conversation has just been talking about.
    const known = usableNumber(recognition) ?? (step.options.notFound ? undefined : await this.orderInQuestion(step.context, recognition));
    if (known) return step.next(known);
    markTurn(step.context, ORDER_STATUS_DIALOG, 'prompted');
    // After a number we could not find, "check it and type it again" is the question; "what's your order number?"
    // on top of it would read as if nothing had been said.
    const notFound = step.options.notFound;
    const prompt = notFound ? t('order.notFound', { number: notFound }) : t('order.askNumber');
    return step.prompt(NUMBER_PROMPT, { prompt, retryPrompt: t('order.badFormat') });
  }

  private async lookupStep(step: WaterfallStepContext<FlowOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const raw = String(step.result ?? '');
    if (raw === NO_NUMBER) {
      markTurn(context, ORDER_STATUS_DIALOG, 'answered', { data: { orderNumberMissing: true } });
      await offerChoices(context, this.services.conversationData, t('order.noNumber'), [t('intent.agent.handoff')], { expectsAnswer: true });
      return step.endDialog();
    }
    if (raw === SWITCHED) {
      if (this.isTopicSwitch(context)) return step.endDialog({ reroute: true } satisfies RerouteResult);
      markTurn(context, ORDER_STATUS_DIALOG, 'answered');
      await offerChoices(context, this.services.conversationData, t('order.giveUpFormat'), [t('intent.agent.handoff')], { expectsAnswer: true });
      return step.endDialog();
    }
    const number = orderNumberIn(raw) ?? raw;
    const order = await this.services.orders.find(number);
    if (!order) {
      const lookups = (step.options.lookups ?? 0) + 1;
      if (lookups < MAX_LOOKUPS) {
        const { orderNumber: _used, ...entities } = step.options.recognition.entities;
        return step.replaceDialog(FLOW, { recognition: { ...step.options.recognition, entities }, lookups, notFound: number } satisfies FlowOptions);
      }
      markTurn(context, ORDER_STATUS_DIALOG, 'answered', { data: { orderFound: false } });
      await offerChoices(context, this.services.conversationData, t('order.notFoundAgain', { number }), [t('intent.agent.handoff')], { expectsAnswer: true });
      return step.endDialog();
    }
    // Dialog state is stored between turns: it keeps the order's number, never its email or postcode.
    (step.values as Pick<Order, 'number'>).number = order.number;
    const data = await getConversationData(this.services.conversationData, context);
    if (data.verifiedOrders.includes(order.number)) return step.next(order.email);
    // While the order is locked for every conversation, that is what the customer hears, whatever else is true.
    if (this.services.verificationFailures.full(order.number)) {
      if (holdsDetail(turnInfo(context).text.replace(order.number, ' '))) turnInfo(context).redactAs = '[verification]';
      return this.lockedForNow(step, order.number);
    }
    // Asking about the order again would otherwise buy two more tries, as often as the customer liked.
    if (data.unverifiedOrders?.includes(order.number)) {
      markTurn(context, ORDER_STATUS_DIALOG, 'answered', { data: { verified: false } });
      await offerChoices(context, this.services.conversationData, t('order.locked', { number: order.number }), [t('intent.agent.handoff')], { expectsAnswer: true });
      return step.endDialog();
    }
    if (givesOrderDetails(order, turnInfo(context).text)) {
      const info = turnInfo(context);
      info.redactAs = '[verification]';
      // "order 10401, 98101": the postcode is no second order to look up next.
      const postcode = order.postcode.replace(/[\s-]/g, '');
      if (extractEntities(info.text).orderNumber?.includes(postcode)) info.postcodes = [...(info.postcodes ?? []), postcode];
      return step.next(order.email);
    }
    // A detail beside the number that does not match is a guess at the order's postcode or email, or the customer's
    // own: "where is order 10860? my postcode is 10116" was logged word for word, where the right one was not.
    if (holdsDetail(turnInfo(context).text.replace(order.number, ' '))) turnInfo(context).redactAs = '[verification]';
    // A detail sent after a change of subject that does not match was a try: "try once more", not the question. Tries
    // spent before the customer turned away stay spent.
    const { resumed, waiting } = step.values as FlowValues;
    if (resumed) turnInfo(context).redactAs = '[verification]';
    // So is an email in the request that does not match ("where is order 10435? lucas.silva@…"): it was passed over
    // without a word, and the customer had a third guess.
    const wrongEmail = !resumed && Boolean(extractEntities(turnInfo(context).text).email?.length);
    // Any detail here is a wrong one: one guess per new conversation went uncounted.
    if (resumed || turnInfo(context).redactAs === '[verification]') this.wrongDetail(order.number);
    const spent = (waiting?.number === order.number ? (waiting.spent ?? 0) : 0) + (resumed || wrongEmail ? 1 : 0);
    if (spent >= MAX_VERIFY_ATTEMPTS) return step.next(NOT_VERIFIED);
    markTurn(context, ORDER_STATUS_DIALOG, 'prompted');
    return step.prompt(VERIFY_PROMPT, {
      prompt: resumed || wrongEmail ? t('order.verificationRetry') : t('order.askVerification', { number: order.number }),
      retryPrompt: t('order.verificationRetry'),
      validations: { number: order.number, intent: step.options.recognition.intent, spent } satisfies VerifyFor,
    });
  }

  /** Counts a wrong detail for `number`; the one that reaches the limit is logged, as guessing may be under way. */
  private wrongDetail(number: string): void {
    const failures = this.services.verificationFailures;
    const wasFull = failures.full(number) > 0;
    failures.take(number);
    const seconds = failures.full(number);
    if (!wasFull && seconds > 0) {
      this.services.logger.warn({ orderNumber: number, limit: this.services.config.VERIFY_FAILURES_PER_HOUR, lockedForSeconds: seconds }, 'Too many wrong emails or postcodes for one order: the chat stops checking it for now');
    }
  }

  /**
   * Says the order cannot be checked in the chat for now, offering a person, and ends the flow. The order counts as
   * unverified here, so an email or postcode the customer sends next is taken for it (`lateDetail`) and hears this
   * again: it got "Sorry, I didn't quite get that", and a Spanish postcode was looked up as an order number.
   */
  private async lockedForNow(step: WaterfallStepContext<FlowOptions>, number: string): Promise<DialogTurnResult> {
    const t = this.tr(step.context);
    const data = await getConversationData(this.services.conversationData, step.context);
    data.unverifiedOrders = [...(data.unverifiedOrders ?? []).filter((n) => n !== number), number];
    markTurn(step.context, ORDER_STATUS_DIALOG, 'answered', { data: { verified: false } });
    await offerChoices(step.context, this.services.conversationData, t('order.lockedForNow', { number }), [t('intent.agent.handoff')], { expectsAnswer: true });
    return step.endDialog();
  }

  private async verifyStep(step: WaterfallStepContext<FlowOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    // "Oh wait sorry, I meant 10384, not 10367" asks the same about the other order: its own words read as returns.
    if (step.result === ANOTHER_ORDER) {
      const same = correctsOrderNumber(turnInfo(step.context).text) ? { intent: step.options.recognition.intent } : {};
      return step.endDialog({ reroute: true, ...same } satisfies RerouteResult);
    }
    if (step.result === LOCKED) return this.lockedForNow(step, (step.values as Pick<Order, 'number'>).number);
    if (step.result === SWITCHED) {
      // The validator left the question open (`awaitingVerification`).
      if (this.isTopicSwitch(context)) return step.endDialog({ reroute: true } satisfies RerouteResult);
      markTurn(context, ORDER_STATUS_DIALOG, 'answered', { data: { verified: false } });
      await offerChoices(context, this.services.conversationData, t('order.verificationGiveUp'), [t('intent.agent.handoff')], { expectsAnswer: true });
      return step.endDialog();
    }
    const order = await this.services.orders.find((step.values as Pick<Order, 'number'>).number);
    if (!order || !verifies(order, String(step.result ?? ''))) {
      const data = await getConversationData(this.services.conversationData, context);
      const number = (step.values as Pick<Order, 'number'>).number;
      data.unverifiedOrders = [...(data.unverifiedOrders ?? []).filter((n) => n !== number), number];
      markTurn(context, ORDER_STATUS_DIALOG, 'answered', { data: { verified: false } });
      await offerChoices(context, this.services.conversationData, t('order.verificationFailed'), [t('intent.agent.handoff')], { expectsAnswer: true });
      return step.endDialog();
    }
    const data = await getConversationData(this.services.conversationData, context);
    if (!data.verifiedOrders.includes(order.number)) data.verifiedOrders.push(order.number);
    const asked = ORDER_QUESTIONS[step.options.recognition.intent];
    markTurn(context, ORDER_STATUS_DIALOG, 'answered', { data: { orderStatus: order.status, ...(asked ? { question: asked.question } : {}) } });
    await context.sendActivity(this.describe(order, t, turnInfo(context).locale, this.zoneOf(context), asked?.key(order, this.services.clock.now())));
    // "Delivered" is often the one answer that does not help: the customer has nothing. The status used to say "let me
    // know and I'll help", and "still can't find it" then got "Sorry, I didn't quite get that".
    if (order.status === 'delivered' && !asked) {
      return step.prompt(MISSING_PROMPT, { prompt: MessageFactory.text(t('order.askMissing'), undefined, InputHints.ExpectingInput) });
    }
    return step.endDialog({ resolved: true });
  }

  /**
   * After a delivered order: yes (or the customer's own account, "my neighbours don't have it either") reports it
   * missing, which the complaint flow files as a ticket with the order noted; no, or thanks, resolves the question.
   */
  private async missingStep(step: WaterfallStepContext<FlowOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    // "ok thanks" and "great, found it" hold a yes-word ("ok", "great"), but nobody reports a parcel missing gladly:
    // both opened a ticket.
    const glad = saysThanks(context) || turnInfo(context).recognition?.sentiment.label === 'positive';
    if (step.result === false || glad) {
      markTurn(context, ORDER_STATUS_DIALOG, 'answered');
      return step.endDialog({ resolved: true });
    }
    if (step.result !== true && this.isNewRequest(context)) return step.endDialog({ reroute: true } satisfies RerouteResult);
    const number = (step.values as Pick<Order, 'number'>).number;
    const order = await this.services.orders.find(number);
    const text = turnInfo(context).text;
    const data = await getConversationData(this.services.conversationData, context);
    data.missingReport = {
      orderNumber: number,
      ...(order?.deliveredAt ? { deliveredAt: order.deliveredAt } : {}),
      ...(step.result !== true ? { told: text } : {}),
    };
    return step.endDialog({ reroute: true, intent: COMPLAINT_INTENT } satisfies RerouteResult);
  }

  /** The customer-facing status sentence for an order (or the catalogue's `key` sentence, with the same facts). */
  describe(order: Order, t: Translate, lang: string, tz: string, key = `order.status.${order.status}`): string {
    const now = this.services.clock.now();
    const eta = order.estimatedDelivery ? formatDayWithRelative(now, new Date(order.estimatedDelivery), lang, tz) : '';
    const day = (iso?: string) => (iso ? formatDay(new Date(iso), lang, tz) : '');
    const vars = {
      number: order.number,
      name: order.customerName,
      eta,
      carrier: order.carrier ?? '',
      tracking: order.trackingNumber ?? '',
      delivered: day(order.deliveredAt),
      returnBy: order.deliveredAt ? formatDay(returnDeadline(order.deliveredAt), lang, tz) : '',
      cancelled: day(order.cancelledAt),
      returned: day(order.returnedAt),
      reason: delayReason(order.delayReason, lang, t),
      refund: formatMoney(order.refundAmount ?? order.total, order.currency, lang),
    };
    return t(key, vars);
  }
}
