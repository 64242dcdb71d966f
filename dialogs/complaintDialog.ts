/** Complaint: category, what happened, optional order number; an empathetic reply and a ticket with a promised reply time. */
import { ActionTypes, type TurnContext } from 'botbuilder';
import {
  type DialogContext,
  type DialogInstance,
  type DialogTurnResult,
  type FoundChoice,
  type PromptValidatorContext,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { type ConversationData, getConversationData } from '../bot/conversationData.js';
import { referenceOf } from '../bot/handoff/proactive.js';
import { HANDOFF_INTENT, pendingHandoff, requestHandoff } from '../bot/handoff/triggers.js';
import { redact } from '../bot/redaction.js';
import { markTurn, turnInfo } from '../bot/turnInfo.js';
import { formatDateTime, formatDay } from '../i18n/dates.js';
import { joinSentences, type Translate } from '../i18n/index.js';
import { ORDER_STATUS_INTENT } from '../nlu/corpus.js';
import { NONE_INTENT, type SupportRecognition } from '../nlu/recognizer.js';
import type { Sentiment } from '../nlu/sentiment.js';
import { type ComplaintCategory, ComplaintCategorySchema, type Ticket, type TicketPriority } from '../storage/ticketStore.js';
import { choiceStyle } from './choices.js';
import { givenOrderNumber, orderNumberIn, orderNumbersIn } from './orderStatusDialog.js';
import { MenuPrompt, QuestionPrompt } from './prompts.js';
import type { DialogServices } from './services.js';
import { joinSessionTicket, raisedPriority, rememberTicket } from './sessionTicket.js';
import {
  asksSomething,
  isPhrase,
  mentionsPhrase,
  normalizePhrase,
  phrases,
  type RerouteResult,
  type RouteOptions,
  SupportDialog,
  signsOff,
  SWITCHED,
  wordCount,
} from './supportDialog.js';

export const COMPLAINT_DIALOG = 'complaint';
const FLOW = `${COMPLAINT_DIALOG}.flow`;
const CATEGORY_PROMPT = `${COMPLAINT_DIALOG}.category`;
const DESCRIPTION_PROMPT = `${COMPLAINT_DIALOG}.description`;
const ORDER_PROMPT = `${COMPLAINT_DIALOG}.order`;
const CATEGORIES = ComplaintCategorySchema.options;
/** A first message this long, naming a category, already says what happened. */
const DESCRIPTIVE_WORDS = 5;
/** Words of an opening that tell the whole story: after the category, "what happened?" would make them say it again. */
const STORY_WORDS = 15;
/** How unhappy such an opening must read to be the story rather than a preamble. */
const STORY_SENTIMENT = -0.5;
/** After this many answers that name no category, the complaint goes on as "other" rather than asking for ever. */
const MAX_CATEGORY_ATTEMPTS = 2;
/** Marker the category prompt returns for a reply that gives the order number instead of a category. */
const ORDER_GIVEN = '\u0000orderGiven';
/** The category prompt's result when the reply told what went wrong in words no category names. */
const TOLD = '\u0000told';


/** How the flow starts: the router's options, or the flow asking its first question again with an order number noted. */
interface ComplaintOptions extends RouteOptions {
  notedOrder?: string;
}

/** What the complaint flow collects. */
/** Kept in dialog state between turns: every text in it is redacted when it is set. */
interface ComplaintValues {
  category?: ComplaintCategory;
  description?: string;
  orderNumber?: string;
  sentiment?: Sentiment;
  /** The catalogue key of the apology, when the category's own does not fit (a parcel that never came is no delay). */
  empathy?: string;
  /** The order this conversation verified last, offered when the complaint named none: a yes takes it. */
  offeredOrder?: string;
  /** The opening message when it told something but named no category: it goes at the head of the description. */
  opening?: string;
  /** "What happened?" was asked again after a reply that only gave a number. */
  askedAgain?: boolean;
}

/** What the customer told of the complaint: the opening message when it named no category, then the story asked for. */
function storyOf(v: ComplaintValues): string {
  const story = v.description ?? '';
  return v.opening && !story.includes(v.opening) ? [v.opening, story].filter(Boolean).join('\n') : story;
}

/** "What happened with the late delivery?"; "what happened with the something else?" reads badly, so not for "other". */
function askDescription(t: Translate, category: ComplaintCategory | undefined): string {
  return !category || category === 'other' ? t('complaint.askDescriptionOther') : t('complaint.askDescription', { category: t(`complaint.categoryInText.${category}`) });
}

/** Han characters: Chinese is written without spaces, so its keywords match anywhere (as in the knowledge base). */
const HAN = /[\u3400-\u9fff]/;

/** Category guessed from the customer's words, using the catalogue's keyword lists. */
export function guessCategory(text: string, t: Translate): ComplaintCategory | undefined {
  const padded = ` ${normalizePhrase(text)} `;
  const mentions = (k: string): boolean => (HAN.test(k) ? padded.includes(k) : padded.includes(` ${k}`));
  return CATEGORIES.find((c) => c !== 'other' && phrases(t, `complaint.keywords.${c}`).some(mentions));
}

/**
 * Whether a reply to "which order is this about?" tells more of what happened: "the agent on the phone was rude and hung
 * up on me" was met with "Please type the 5 to 8 digit order number" and then dropped.
 */
function addsToStory(text: string): boolean {
  return wordCount(text.replace(/\p{Nd}+/gu, ' ')) >= DESCRIPTIVE_WORDS;
}

/** Starting priority per category: money problems first, unclassified last. */
const BASE_PRIORITY: Record<ComplaintCategory, TicketPriority> = {
  damaged: 'normal',
  wrong_item: 'normal',
  late: 'normal',
  service: 'normal',
  billing: 'high',
  other: 'low',
};
/** Priority from the category, raised one level when the customer is strongly negative. */
export function complaintPriority(category: ComplaintCategory, sentimentScore: number): TicketPriority {
  return raisedPriority(BASE_PRIORITY[category], sentimentScore);
}

/** Takes a complaint and files a ticket. */
export class ComplaintDialog extends SupportDialog {
  readonly intents = ['complaint'] as const;

  constructor(services: DialogServices) {
    super(COMPLAINT_DIALOG, services);
    this.addDialog(new MenuPrompt(CATEGORY_PROMPT, this.validateCategory.bind(this)))
      .addDialog(new QuestionPrompt(DESCRIPTION_PROMPT, async (pc: PromptValidatorContext<string>) => turnInfo(pc.context).text.length > 0))
      .addDialog(new QuestionPrompt(ORDER_PROMPT, this.validateOrder.bind(this)))
      .addDialog(
        new WaterfallDialog(FLOW, [
          this.categoryStep.bind(this),
          this.descriptionStep.bind(this),
          this.numberOnlyStep.bind(this),
          this.orderStep.bind(this),
          this.fileStep.bind(this),
        ]),
      );
    this.initialDialogId = FLOW;
  }

  /**
   * A message the classifier could not place that tells an unhappy story in the words of a complaint category: "me
   * llego el pedido 10724 pero la tabla de cortar vino rajada" read as None (0.46) and got "didn't quite get that".
   */
  override async claims(context: TurnContext, recognition: SupportRecognition): Promise<boolean> {
    const { text } = turnInfo(context);
    if (recognition.sentiment.label !== 'negative' || wordCount(text) < DESCRIPTIVE_WORDS) return false;
    const t = this.tr(context);
    if (guessCategory(text, t) === undefined) return false;
    if (recognition.intent === NONE_INTENT) return true;
    // Said in so many words: "my parcel was supposed to be here by Friday and the tracking hasn't moved, I want to
    // complain" read as order status (0.93), and the customer was asked for the order number instead.
    // Not when they say it is no complaint ("I don't want to complain, I just want to know where it is").
    return recognition.intent === ORDER_STATUS_INTENT && mentionsPhrase(t, 'complaint.requestWords', text) && !mentionsPhrase(t, 'complaint.notRequestWords', text);
  }

  private values(step: WaterfallStepContext): ComplaintValues {
    return step.values as ComplaintValues;
  }

  /**
   * A button or its label; else a category the reply's own words name ("it came smashed"); else a change of subject;
   * else, after a retry, "other": a customer who will not pick from the list still gets their complaint filed.
   */
  private async validateCategory(pc: PromptValidatorContext<FoundChoice>): Promise<boolean> {
    if (pc.recognized.succeeded) return true;
    const text = turnInfo(pc.context).text;
    const named = guessCategory(text, this.tr(pc.context));
    // "It's order 10231" answers the question after this one: it is no change of subject to order status. A number the
    // order system does not know, after the complaint named an order, is no order: "75011" (a postcode, typed as if
    // for verification) replaced order 10843 on the ticket.
    const order = named ? undefined : givenOrderNumber(text);
    const known = (pc.options.validations as { knownOrder?: string } | undefined)?.knownOrder;
    if (order && known && order !== known && !(await this.services.orders.find(order))) {
      markTurn(pc.context, COMPLAINT_DIALOG, 'prompted');
      return false;
    }
    const told = !named && !order && this.tellsWhatHappened(pc.context);
    const switched = !named && !order && !told && this.isTopicSwitch(pc.context);
    const category = named ?? (order ? ORDER_GIVEN : told ? TOLD : switched ? SWITCHED : pc.attemptCount >= MAX_CATEGORY_ATTEMPTS ? 'other' : undefined);
    if (!category) {
      markTurn(pc.context, COMPLAINT_DIALOG, 'prompted');
      return false;
    }
    pc.recognized.value = { value: category, index: CATEGORIES.indexOf(category as ComplaintCategory), score: 1, synonym: text };
    return true;
  }

  /**
   * Whether a reply to "what is it about?" is the story itself, in words no category names: an unhappy statement of a
   * few words that asks nothing. "the website is really slow and the checkout page crashed twice" read as contact
   * details (0.999) and the complaint was dropped for the opening-hours answer. A request for a person still leaves.
   */
  private tellsWhatHappened(context: TurnContext): boolean {
    const { text, recognition } = turnInfo(context);
    if (!recognition || recognition.sentiment.label !== 'negative' || recognition.intent === HANDOFF_INTENT) return false;
    return !asksSomething(text) && wordCount(text) >= DESCRIPTIVE_WORDS;
  }

  private async validateOrder(pc: PromptValidatorContext<string>): Promise<boolean> {
    const t = this.tr(pc.context);
    const text = turnInfo(pc.context).text;
    if (orderNumberIn(text) || isPhrase(t, 'complaint.skipWords', text) || addsToStory(text)) return true;
    // Yes or no to "is this about order 10792?".
    if ((pc.options.validations as { offeredOrder?: string } | undefined)?.offeredOrder && (isPhrase(t, 'common.yesWords', text) || isPhrase(t, 'common.noWords', text))) return true;
    return pc.attemptCount >= 2; // after one retry, file the ticket without an order number
  }

  /**
   * `number` when it is one of our orders. A complaint's own words may hold other numbers of that shape: "you charged me
   * 12345 dollars" filed a ticket on order 12345 and never asked which order. (An answer to "which order?" is taken as
   * given.)
   */
  private async ourOrder(numbers: readonly string[] | undefined): Promise<string | undefined> {
    // The first that is ours: "you charged me 12345 dollars for order 10231" is about 10231.
    for (const number of numbers ?? []) if (await this.services.orders.find(number)) return number;
    return undefined;
  }

  private async categoryStep(step: WaterfallStepContext<ComplaintOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const text = turnInfo(context).text;
    const v = this.values(step);
    const { notedOrder } = step.options;
    v.sentiment = step.options.recognition.sentiment;
    const missing = await this.missingReport(context);
    if (missing) {
      // Reported after the order's status: the order and what happened are known, so nothing is asked again.
      const delivered = missing.deliveredAt ? formatDay(new Date(missing.deliveredAt), turnInfo(context).locale, this.zoneOf(context)) : '';
      Object.assign(v, {
        category: 'late',
        orderNumber: missing.orderNumber,
        empathy: 'complaint.empathy.missing',
        description: [t('complaint.missingDescription', { number: missing.orderNumber, delivered }), missing.told].filter(Boolean).join('\n'),
      } satisfies ComplaintValues);
      return step.next({ value: 'late' });
    }
    v.orderNumber = notedOrder ?? (await this.ourOrder(step.options.recognition.entities.orderNumber));
    const guessed = notedOrder ? undefined : guessCategory(text, t);
    // Only a message that says what went wrong is a follow-up; "I have another complaint" starts a new one.
    const joined = guessed ? await joinSessionTicket(this.services, context, { text: redact(text), orderNumber: v.orderNumber, sentimentScore: v.sentiment?.score ?? 0 }) : undefined;
    if (joined) {
      const { ticket, raised } = joined;
      markTurn(context, COMPLAINT_DIALOG, 'answered', { data: { ticketId: ticket.id, followUp: true, priority: ticket.priority } });
      // Only a follow-up that made the ticket urgent offers a person; one more line on an urgent ticket does not.
      return this.confirm(context, step, ticket, t('complaint.followUp', { id: ticket.id }), raised);
    }
    // "my order 10809 is taking forever, will it arrive by saturday?" asks when: it got a ticket and a reply within 24
    // hours, and never the new delivery estimate the order holds. Its status answers it (after verification), and a
    // complaint is still one message away.
    if (guessed === 'late' && v.orderNumber && !notedOrder && asksSomething(text)) return step.endDialog({ reroute: true, intent: ORDER_STATUS_INTENT } satisfies RerouteResult);
    // "My lamp arrived smashed, the glass is everywhere" already tells the story; "I want to complain" does not.
    if (guessed && wordCount(text) >= DESCRIPTIVE_WORDS) v.description = redact(text);
    if (guessed) return step.next({ value: guessed });
    // "the speaker in order 10690 makes a buzzing noise since day one" named no category; the ticket kept only the answer
    // to "what happened?", and the speaker was gone. "I want to make a complaint" tells nothing, but the rest of "I want
    // to complain, the courier threw my parcel over the fence" does.
    const told = text
      .split(/[,.;!?，。；！？،؛]+/u)
      .map((clause) => clause.trim())
      .filter((clause) => clause && !mentionsPhrase(t, 'complaint.requestWords', clause))
      .join(', ');
    if (wordCount(told) >= DESCRIPTIVE_WORDS) v.opening = redact(told);
    markTurn(context, COMPLAINT_DIALOG, 'prompted');
    return step.prompt(CATEGORY_PROMPT, {
      prompt: notedOrder ? t('complaint.askCategoryNoted', { number: notedOrder }) : t('complaint.askCategory'),
      retryPrompt: t('complaint.askCategoryRetry'),
      validations: { knownOrder: v.orderNumber },
      choices: CATEGORIES.map((c) => ({
        value: c,
        action: { type: ActionTypes.ImBack, title: t(`complaint.category.${c}`), value: t(`complaint.category.${c}`) },
        synonyms: [t(`complaint.category.${c}`)],
      })),
      style: choiceStyle(step.context, CATEGORIES.length),
    });
  }

  /** The delivered order the customer has just said never came, if any (taken: it is filed once). */
  private async missingReport(context: TurnContext): Promise<ConversationData['missingReport']> {
    const data = await getConversationData(this.services.conversationData, context);
    const report = data.missingReport;
    delete data.missingReport;
    return report;
  }

  private async descriptionStep(step: WaterfallStepContext<ComplaintOptions>): Promise<DialogTurnResult> {
    const v = this.values(step);
    const chosen = (step.result as FoundChoice).value;
    if (chosen === SWITCHED) return step.endDialog({ reroute: true } satisfies RerouteResult);
    // The order number came first: note it, and ask what went wrong with that order.
    if (chosen === TOLD) {
      v.category = 'other';
      v.description = redact(turnInfo(step.context).text);
      v.orderNumber ??= await this.ourOrder(orderNumbersIn(v.description));
      return step.next(v.description);
    }
    if (chosen === ORDER_GIVEN) {
      const notedOrder = givenOrderNumber(turnInfo(step.context).text);
      return step.replaceDialog(FLOW, { recognition: step.options.recognition, notedOrder } satisfies ComplaintOptions);
    }
    v.category = chosen as ComplaintCategory;
    // An answer like "the vase I got was cracked all the way down" is the category and the story at once, and one like
    // "order 10231 came smashed" names the order too.
    const text = turnInfo(step.context).text;
    v.orderNumber ??= await this.ourOrder(orderNumbersIn(text));
    if (!v.description && guessCategory(text, this.tr(step.context)) && wordCount(text) >= DESCRIPTIVE_WORDS) v.description = redact(text);
    // A long opening that named no category was the story: a 370-character account of a late parcel was followed by
    // "Please tell me what happened", once the category was picked.
    // Only a clearly unhappy one tells what went wrong: "Hi, my name is Sarah and I have been a loyal customer for ten
    // years. I want to complain." does not (its one sad word is "complain", -0.2).
    if (!v.description && v.opening && wordCount(v.opening) >= STORY_WORDS && (v.sentiment?.score ?? 0) <= STORY_SENTIMENT) v.description = v.opening;
    if (v.description) return step.next(v.description);
    markTurn(step.context, COMPLAINT_DIALOG, 'prompted');
    return step.prompt(DESCRIPTION_PROMPT, { prompt: askDescription(this.tr(step.context), v.category) });
  }

  /**
   * A reply to "what happened?" that only gives a number is no story: "my order is late", then "10843", filed a ticket
   * whose whole description was "10843", and the postcode sent next for verification was looked up as an order. Our
   * order is noted; either way the question is asked once more.
   */
  private async numberOnlyStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const v = this.values(step);
    const told = String(step.result ?? '');
    const number = v.description || v.askedAgain ? undefined : givenOrderNumber(told);
    if (!number || addsToStory(told)) return step.next(step.result);
    v.askedAgain = true;
    v.orderNumber ??= await this.ourOrder([number]);
    markTurn(step.context, COMPLAINT_DIALOG, 'prompted');
    const t = this.tr(step.context);
    const again = askDescription(t, v.category);
    return step.prompt(DESCRIPTION_PROMPT, { prompt: v.orderNumber === number ? joinSentences(t('complaint.orderNoted', { number }), again) : again });
  }

  private async orderStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const v = this.values(step);
    if (!v.description) {
      // "Skip" is not a story: the ticket goes without a description rather than with the word. Nor is a sign-off ("no
      // thats all thanks"), which became the ticket's whole description.
      const told = String(step.result ?? '');
      v.description = signsOff(step.context) || isPhrase(this.tr(step.context), 'complaint.skipWords', told) ? '' : redact(told);
      // Their own account of what happened says more about their mood than the one-line opener.
      const described = turnInfo(step.context).recognition?.sentiment;
      if (described && described.score < (v.sentiment?.score ?? 0)) v.sentiment = described;
      // "order 10282 was supposed to arrive monday and it is still not here" was followed by "Which order is this about?".
      v.orderNumber ??= await this.ourOrder(orderNumbersIn(v.description));
    }
    if (v.orderNumber) return step.next(v.orderNumber);
    markTurn(step.context, COMPLAINT_DIALOG, 'prompted');
    const t = this.tr(step.context);
    // "where is 10792", then "that is not acceptable, i want to complain": "Which order is this about?" as if the order
    // had never come up. The order just verified is offered.
    v.offeredOrder = (await getConversationData(this.services.conversationData, step.context)).verifiedOrders.at(-1);
    const prompt = v.offeredOrder ? t('complaint.askOrderKnown', { number: v.offeredOrder }) : t('complaint.askOrder');
    return step.prompt(ORDER_PROMPT, { prompt, retryPrompt: t('complaint.askOrderRetry'), validations: { offeredOrder: v.offeredOrder } });
  }

  private async fileStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const v = this.values(step);
    const reply = String(step.result ?? '');
    // More of the story given instead of an order number goes on the ticket too.
    const description = addsToStory(reply) ? [v.description, reply].filter(Boolean).join('\n') : v.description;
    const offered = v.offeredOrder && isPhrase(this.tr(context), 'common.yesWords', reply) ? v.offeredOrder : undefined;
    const told: ComplaintValues = { ...v, description, orderNumber: v.orderNumber ?? offered ?? orderNumberIn(reply) ?? undefined };
    const joined = await this.joinSameMatter(context, told);
    if (joined) return this.confirm(context, step, joined.ticket, this.tr(context)('complaint.followUp', { id: joined.ticket.id }), joined.raised);
    const { ticket, filed } = await this.fileTicket(context, told);
    return this.confirm(context, step, ticket, filed, true);
  }

  /**
   * Adds the complaint to the ticket this session filed for the same order and category: the same matter told again
   * in other words ("the zip came off the first time i used it" after "my rain jacket has a broken zipper") opened a
   * second ticket, since words naming no category make no follow-up at the first question.
   */
  private async joinSameMatter(context: TurnContext, v: ComplaintValues): Promise<{ ticket: Ticket; raised: boolean } | undefined> {
    const last = (await getConversationData(this.services.conversationData, context)).lastTicket;
    const current = last && (await this.services.tickets.get(last.id));
    if (!current || current.kind !== 'complaint' || current.category !== (v.category ?? 'other') || current.orderNumber !== v.orderNumber) return undefined;
    return joinSessionTicket(this.services, context, { text: redact(storyOf(v)), ...(v.orderNumber ? { orderNumber: v.orderNumber } : {}), sentimentScore: v.sentiment?.score ?? 0 });
  }

  /**
   * Files what the flow has gathered when the sentiment trigger cuts it off for a person: an angry customer in the
   * middle of a complaint ("I'm fed up!!!", then "the order is 10622, box was dented and the jar cracked") went to the
   * queue with no ticket. The turn's own words fill in what was not yet asked; the person sees the ticket.
   */
  protected override wrongFlow(): { words: string; reply: string } {
    return { words: 'complaint.notWords', reply: 'complaint.notOne' };
  }

  protected override async beforeHandover(innerDc: DialogContext): Promise<void> {
    const { context } = innerDc;
    const trigger = pendingHandoff(context);
    const state = innerDc.stack.find((entry: DialogInstance) => entry.id === FLOW)?.state as { values?: ComplaintValues } | undefined;
    if (trigger?.reason !== 'negative_sentiment' || !state?.values) return;
    const { text, recognition } = turnInfo(context);
    const v = state.values;
    const now = recognition?.sentiment;
    const told = {
      ...v,
      sentiment: now && now.score < (v.sentiment?.score ?? 0) ? now : v.sentiment,
      category: v.category ?? guessCategory(text, this.tr(context)),
      description: [v.description, text].filter(Boolean).join('\n'),
      orderNumber: v.orderNumber ?? orderNumberIn(text) ?? undefined,
    };
    const { ticket, filed } = await this.fileTicket(context, told);
    requestHandoff(context, this.services.config.HANDOFF_TRIGGERS, { ...trigger, ticketId: ticket.id, preface: filed });
  }

  /** Files the complaint as a ticket and says so (the text the customer is told). */
  private async fileTicket(context: TurnContext, v: ComplaintValues): Promise<{ ticket: Ticket; filed: string }> {
    const t = this.tr(context);
    const info = turnInfo(context);
    const orderNumber = v.orderNumber;
    const category = v.category ?? 'other';
    const score = v.sentiment?.score ?? 0;
    const priority = complaintPriority(category, score);
    const now = this.services.clock.now();
    const dueAt = this.services.handoffs.ticketDue(priority, now);
    const ticket = await this.services.tickets.create({
      kind: 'complaint',
      createdAt: now.toISOString(),
      dueAt: dueAt.toISOString(),
      priority,
      category,
      // Agents read the story; card numbers, emails and phones in it are not theirs to keep.
      description: redact(storyOf(v)),
      ...(orderNumber ? { orderNumber } : {}),
      sentiment: score,
      conversationId: context.activity.conversation.id,
      customerId: info.customerId,
      channel: context.activity.channelId,
      locale: info.locale,
      reference: referenceOf(context),
    });
    markTurn(context, COMPLAINT_DIALOG, 'answered', { data: { ticketId: ticket.id, priority, category } });
    await rememberTicket(this.services, context, ticket);
    const filed = joinSentences(
      t(v.empathy ?? `complaint.empathy.${category}`),
      t('complaint.filed', { id: ticket.id, hours: this.services.config.SLA_HOURS[priority], due: formatDateTime(dueAt, info.locale, this.zoneOf(context)) }),
    );
    return { ticket, filed };
  }

  /** Says `text` about `ticket`; an urgent ticket may also go to a person, the escalation saying `text` first. */
  private async confirm(context: TurnContext, step: WaterfallStepContext<RouteOptions>, ticket: Ticket, text: string, offerPerson: boolean): Promise<DialogTurnResult> {
    const trigger = { reason: 'complaint', priority: 'high', ticketId: ticket.id, preface: text } as const;
    if (offerPerson && ticket.priority === 'high' && requestHandoff(context, this.services.config.HANDOFF_TRIGGERS, trigger)) {
      // As with the sentiment trigger, the log and the handoff's summary keep what the customer said: an urgent
      // complaint was reported as a request for a person, and the complaint figures missed it.
      const info = turnInfo(context);
      if (!info.heard && info.recognition) info.heard = { intent: info.recognition.intent, score: info.recognition.score };
      return step.endDialog({ reroute: true, intent: HANDOFF_INTENT } satisfies RerouteResult);
    }
    await context.sendActivity(text);
    return step.endDialog({ resolved: true, ticketId: ticket.id, priority: ticket.priority });
  }
}
