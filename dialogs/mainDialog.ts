/** The router: maps the turn's intent to the dialog that handles it, asking first when two intents are close. */
import { ActionTypes, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  type DialogTurnResult,
  type FoundChoice,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { markTurn, turnInfo } from '../bot/turnInfo.js';
import { translator } from '../i18n/index.js';
import { EMAIL_PATTERN } from '../nlu/entities.js';
import { COMPLAINT_INTENT, ORDER_STATUS_INTENT } from '../nlu/corpus.js';
import type { SecondRequest } from '../nlu/engine.js';
import { forceIntent, NONE_INTENT, type SupportRecognition } from '../nlu/recognizer.js';
import { choiceStyle } from './choices.js';
import type { IntentLabels } from './intentLabels.js';
import { asksAboutOneOrder, CANCEL_INTENT, RETURNS_INTENT } from './orderStatusDialog.js';
import { MenuPrompt } from './prompts.js';
import { asksForHelp, isReroute, routeOptions, saidInAnger, type SupportDialog, storable, TOPIC_SWITCH_SCORE, wordCount } from './supportDialog.js';
import { SURVEY_DIALOG, type SurveyDialog } from './surveyDialog.js';
import { WRAP_UP_DIALOG, type WrapUpDialog } from './wrapUpDialog.js';

export const MAIN_DIALOG = 'main';
const ROUTE_WATERFALL = 'main.route';
const WHICH_PROMPT = 'main.which';
/** Where the router keeps the first intent it offered while "which did you mean?" waits. */
const ASKED = 'asked';
/** The other intent "which did you mean?" offered. */
const ASKED_TOO = 'askedToo';
/** The order numbers of the message "which did you mean?" asks about. */
const ASKED_ORDERS = 'askedOrders';
/** Whether a flow asks about one order, so an order number given alone is its answer. */
const takesAnOrder = (intent: string): boolean => intent === ORDER_STATUS_INTENT || intent === COMPLAINT_INTENT || asksAboutOneOrder(intent);
/** The most words besides an order number or email address that make a reply details rather than a new request. */
const DETAIL_WORDS = 3;
/** The choice that means "neither of those". */
const NEITHER = 'None';
/** Where the router keeps a second question of the message it routed, until the first is resolved. */
const PENDING = 'pending';

/** A second question waiting for the first to be resolved, with the entities of the message that asked it. */
export interface PendingQuestion extends SecondRequest {
  entities: SupportRecognition['entities'];
}

/**
 * How the router is started: normally on the turn's intent; `begin` starts a named dialog instead, `second` answers
 * a question left waiting, and `pending` is a waiting question carried over a change of subject.
 */
export interface MainOptions {
  begin?: string;
  second?: PendingQuestion;
  pending?: PendingQuestion;
}

/** What routed dialogs may end with, besides a reroute. */
interface FlowResult {
  /** The customer's need was met: ask whether there is anything else. */
  resolved?: boolean;
  /** The customer is leaving (goodbye, "that's all"): offer the survey once. */
  conversationEnded?: boolean;
  /** The conversation went to a person's queue. */
  handoffId?: string;
  /** The customer stopped the flow ("cancel", "never mind"): nothing more is pushed on them. */
  cancelled?: boolean;
}

/** Intents whose flow looks up the message's first order number (order status, and questions about one order). */
const ORDER_INTENTS = new Set([ORDER_STATUS_INTENT, CANCEL_INTENT, RETURNS_INTENT]);

/**
 * The same question about the next order a message names: "where are my orders 10452 and 10469" was answered for
 * 10452 and never for 10469. The order dialog takes the first number; this one waits its turn with the rest.
 */
function nextOrder(recognition: Pick<SupportRecognition, 'intent' | 'score' | 'text' | 'entities'>): PendingQuestion | undefined {
  const [, ...rest] = recognition.entities.orderNumber ?? [];
  if (rest.length === 0 || !ORDER_INTENTS.has(recognition.intent)) return undefined;
  return { intent: recognition.intent, score: recognition.score, text: recognition.text, entities: { ...recognition.entities, orderNumber: rest } };
}

/**
 * `pending` without the numbers the message gave as an order's postcode; a question about the next order that named
 * only such numbers is none: "order 10401, 98101" was told the status, then "I couldn't find an order 98101".
 */
function withoutPostcodes(pending: PendingQuestion | undefined, postcodes: string[] | undefined): PendingQuestion | undefined {
  const numbers = pending?.entities?.orderNumber;
  if (!pending || !numbers || !postcodes?.length) return pending;
  const left = numbers.filter((n: string) => !postcodes.includes(n));
  if (left.length === numbers.length) return pending;
  if (left.length === 0 && ORDER_INTENTS.has(pending.intent)) return undefined;
  return { ...pending, entities: { ...pending.entities, orderNumber: left } };
}

/**
 * Routes each new topic to one registered dialog; the fallback dialog takes what no dialog claims.
 * After a flow it closes the loop: a resolved topic gets "anything else?", an ending conversation the survey.
 */
export class MainDialog extends ComponentDialog {
  constructor(
    private readonly routes: SupportDialog[],
    private readonly fallback: SupportDialog,
    wrapUp: WrapUpDialog,
    private readonly survey: SurveyDialog,
    private readonly labels: IntentLabels,
  ) {
    super(MAIN_DIALOG);
    const ids = new Map<string, string>();
    for (const dialog of [...routes, fallback, wrapUp, survey]) {
      // DialogSet silently renames a duplicate id; a clash would route to the wrong dialog, so refuse it.
      const first = ids.get(dialog.id);
      if (first) throw new Error(`${first} and ${dialog.constructor.name} both have the dialog id "${dialog.id}"; give each its own`);
      ids.set(dialog.id, dialog.constructor.name);
      this.addDialog(dialog);
    }
    // Any reply ends "which did you mean?": one that picks no choice is routed in `chosenStep`. The prompt's own retry
    // asked the same question word for word for as long as the customer wrote anything else.
    this.addDialog(new MenuPrompt(WHICH_PROMPT, async () => true))
      .addDialog(new WaterfallDialog(ROUTE_WATERFALL, [this.routeStep.bind(this), this.chosenStep.bind(this), this.finalStep.bind(this)]));
    this.initialDialogId = ROUTE_WATERFALL;
  }

  /** Whether a registered dialog handles `intent` (else it reaches the fallback). */
  routesIntent(intent: string): boolean {
    return this.routes.some((d) => d.handles(intent));
  }

  /** The dialog registered for `intent`, or the fallback. */
  dialogFor(intent: string): SupportDialog {
    return this.routes.find((d) => d.handles(intent)) ?? this.fallback;
  }

  /** The dialog that claims the turn, else the one registered for its intent. */
  async routeFor(context: TurnContext, recognition: SupportRecognition): Promise<SupportDialog> {
    for (const d of this.routes) if (await d.claims(context, recognition)) return d;
    return this.dialogFor(recognition.intent);
  }

  private recognition(context: TurnContext): SupportRecognition | undefined {
    return turnInfo(context).recognition;
  }

  private async routeStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    if (step.options?.begin) return step.next({ begin: step.options.begin });
    if (step.options?.second) {
      // A third order waits behind the second.
      const more = nextOrder(step.options.second);
      if (more) (step.values as Record<string, unknown>)[PENDING] = more;
      return step.next({ second: step.options.second });
    }
    const recognition = this.recognition(step.context);
    if (!recognition) return step.endDialog();
    // A second question ("… also, can I change the address?") waits until the first is resolved; a new message's own
    // second question replaces one carried over.
    const pending: PendingQuestion | undefined = recognition.also ? { ...recognition.also, entities: recognition.entities } : (nextOrder(recognition) ?? step.options?.pending);
    if (pending) (step.values as Record<string, unknown>)[PENDING] = storable(pending);
    // Reports see the second question on the message that asked it, not only the first's intent.
    if (recognition.also) turnInfo(step.context).also = recognition.also.intent;
    // "What can you do?" and "menu" are the catalogue's exact phrases, routed as a greeting (which offers the menu):
    // the classifier reads them as None or as whichever FAQ shares a word ("what are my options" as shipping).
    if (asksForHelp(step.context)) return step.next('greeting');
    if (recognition.ambiguous) {
      const { locale } = turnInfo(step.context);
      const t = translator(locale);
      const [a, b] = recognition.ambiguous;
      markTurn(step.context, MAIN_DIALOG, 'prompted');
      (step.values as Record<string, unknown>)[ASKED] = a.intent;
      (step.values as Record<string, unknown>)[ASKED_TOO] = b.intent;
      // The order the message named goes with the choice (its number only: state keeps no email or postcode).
      if (recognition.entities.orderNumber?.length) (step.values as Record<string, unknown>)[ASKED_ORDERS] = recognition.entities.orderNumber;
      return step.prompt(WHICH_PROMPT, {
        prompt: t('router.which'),
        retryPrompt: t('router.which'),
        choices: [a.intent, b.intent, NEITHER].map((intent) => {
          const label = this.labels.label(intent, locale);
          return { value: intent, action: { type: ActionTypes.ImBack, title: label, value: label }, synonyms: [label] };
        }),
        style: choiceStyle(step.context, 3),
      });
    }
    // "thanks for nothing, my parcel is lost" read as thanks, and the customer was told "you're welcome": thanks (or a
    // greeting) this negative is no small talk but a complaint. The log keeps what the classifier read.
    if (saidInAnger(recognition)) {
      turnInfo(step.context).heard = { intent: recognition.intent, score: recognition.score };
      return step.next(COMPLAINT_INTENT);
    }
    return step.next(recognition.intent);
  }

  private async chosenStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const { begin, second } = (step.result ?? {}) as { begin?: string; second?: PendingQuestion };
    if (begin) return step.beginDialog(begin);
    if (second) return this.answerSecond(step, second);
    const recognition = this.recognition(step.context);
    if (!recognition) return step.endDialog();
    const chosen = typeof step.result === 'string' ? step.result : ((step.result as FoundChoice | undefined)?.value ?? this.unchosen(step, recognition));
    // After "which did you mean?", the answer turn is recognised again; route on the choice, keep its entities, or the
    // order the question named: "pedido 10775 con correo …", then "Seguir un pedido", asked for the order number.
    const asked = (step.values as Record<string, unknown>)[ASKED_ORDERS] as string[] | undefined;
    const entities = recognition.entities.orderNumber?.length || !asked ? recognition.entities : { ...recognition.entities, orderNumber: asked };
    const routed: SupportRecognition = { ...recognition, intent: chosen, ambiguous: undefined, entities } as SupportRecognition;
    turnInfo(step.context).recognition = routed;
    return step.beginDialog((await this.routeFor(step.context, routed)).id, routeOptions(routed));
  }

  /**
   * Routes a question the customer asked beside one now resolved, as if it had been asked on its own: its sentence
   * picks the answer's variant, the message's entities (an order number) go with it. This turn's own reading stays
   * as it was in the turn log.
   */
  private async answerSecond(step: WaterfallStepContext<MainOptions>, second: PendingQuestion): Promise<DialogTurnResult> {
    const current = this.recognition(step.context);
    if (!current) return step.endDialog();
    const { locale } = turnInfo(step.context);
    await step.context.sendActivity(translator(locale)('router.alsoAsked', { topic: this.labels.label(second.intent, locale) }));
    const routed: SupportRecognition = { ...forceIntent(current, second.intent), score: second.score, text: second.text, entities: second.entities };
    return step.beginDialog((await this.routeFor(step.context, routed)).id, routeOptions(routed));
  }

  /** The question a routed dialog left open for the subject just finished, if any; `take` false forgets them all. */
  private async leftOpen(context: TurnContext, take: boolean): Promise<PendingQuestion | undefined> {
    for (const d of this.routes) {
      const open = await d.leftOpen(context, take);
      if (open) return open;
    }
    return undefined;
  }

  /**
   * The intent of a reply to "which did you mean?" that picks none of the choices: a clear new request stands; details
   * ("10248", an email address) or another unclear message go with the first guess, which the details then serve.
   */
  private unchosen(step: WaterfallStepContext<MainOptions>, reply: SupportRecognition): string {
    const asked = (step.values as Record<string, unknown>)[ASKED] as string | undefined;
    const details = reply.entities.orderNumber?.length || reply.entities.email?.length;
    const words = wordCount(step.context.activity.text?.replace(EMAIL_PATTERN, ' ').replace(/\d+/g, ' ') ?? '');
    const clear = !reply.ambiguous && reply.intent !== NONE_INTENT && reply.score >= TOPIC_SWITCH_SCORE;
    if (clear && !(details && words <= DETAIL_WORDS)) return reply.intent;
    // An order number for an answer goes with the first offered flow that takes one (a complaint, order status, or
    // cancelling or returning one order), else to the order's status: after "pedido?" (shipping prices or
    // cancelling?), "10231" got the shipping prices.
    if (reply.entities.orderNumber?.length && words <= DETAIL_WORDS) {
      const offered = [asked, (step.values as Record<string, unknown>)[ASKED_TOO] as string | undefined];
      return offered.find((intent) => intent !== undefined && takesAnOrder(intent)) ?? ORDER_STATUS_INTENT;
    }
    return asked ?? NONE_INTENT;
  }

  private async finalStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    let pending = (step.values as Record<string, unknown>)[PENDING] as PendingQuestion | undefined;
    // A flow that ended because the customer changed the subject: route this same turn again.
    if (isReroute(step.result)) {
      const info = turnInfo(step.context);
      if (step.result.intent && info.recognition) info.recognition = forceIntent(info.recognition, step.result.intent);
      // Sent on to the second question's own topic, the turn answers it now: "where is my order 10843? it's so late"
      // (a complaint, asking the status) got the order's status twice.
      // Another order waiting its turn ("where are 10231 and 10367?") names other numbers, and stays.
      const orders = (entities: SupportRecognition['entities'] | undefined) => (entities?.orderNumber ?? []).join(' ');
      if (step.result.intent && pending?.intent === step.result.intent && orders(pending.entities) === orders(info.recognition?.entities)) pending = undefined;
      return step.replaceDialog(ROUTE_WATERFALL, (pending ? { pending } : undefined) satisfies MainOptions | undefined);
    }
    pending = withoutPostcodes(pending, turnInfo(step.context).postcodes);
    const result = (step.result ?? {}) as FlowResult;
    if (result.conversationEnded && (await this.survey.canOffer(step.context))) {
      return step.replaceDialog(ROUTE_WATERFALL, { begin: SURVEY_DIALOG } satisfies MainOptions);
    }
    // The second question comes before "anything else?": it was asked already, and an answer to the first that did
    // not help ("no") is no reason to drop it. A person on the way will answer it instead. So does a question a flow
    // left open for this one ("where is 10792", "what's the email or postcode?", "do you ship to canada?").
    const goOn = !result.handoffId && !result.cancelled && !result.conversationEnded;
    const next = pending ?? (await this.leftOpen(step.context, goOn));
    if (next && goOn) return step.replaceDialog(ROUTE_WATERFALL, { second: next } satisfies MainOptions);
    if (result.resolved) return step.replaceDialog(ROUTE_WATERFALL, { begin: WRAP_UP_DIALOG } satisfies MainOptions);
    return step.endDialog();
  }
}
