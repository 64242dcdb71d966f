/** FAQ: answers from the knowledge base, then asks whether that answered the question (recorded on the turn). */
import { InputHints, MessageFactory, type TurnContext } from 'botbuilder';
import {
  type DialogTurnResult,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { getConversationData } from '../bot/conversationData.js';
import { HANDOFF_INTENT, requestHandoff } from '../bot/handoff/triggers.js';
import { markTurn, turnInfo } from '../bot/turnInfo.js';
import { formatList } from '../i18n/dates.js';
import { joinSentences, t } from '../i18n/index.js';
import { splitClauses, splitSentences } from '../nlu/engine.js';
import type { SupportRecognition } from '../nlu/recognizer.js';
import { type FaqAnswer, fillAnswer } from '../storage/knowledgeBase.js';
import { offerChoices } from './choices.js';
import { asksAboutOneOrder, givenOrderNumber } from './orderStatusDialog.js';
import { confirmPrompt } from './prompts.js';
import type { DialogServices } from './services.js';
import {
  asksSomething,
  isPhraseRun,
  mentionsPhrase,
  readsAsTask,
  type RerouteResult,
  type RouteOptions,
  saysThanks,
  SupportDialog,
} from './supportDialog.js';

export const FAQ_DIALOG = 'faq';
/** The catalogue lists of replies saying an answer did not help, and did. */
const FEEDBACK_WORDS = ['faq.unhelpedWords', 'faq.helpedWords'] as const;
/** The score a reply to "did that answer your question?" needs to be another subject without a question mark. */
const CLEAR_OTHER_SUBJECT = 0.9;
const FEEDBACK_PROMPT = 'faq.feedback';
const GOODBYE_INTENT = 'goodbye';
/** How sure the classifier must be that a reply to "did that answer your question?" also says goodbye. */
const CLEAR_GOODBYE = 0.85;

/** Answers every `faq.*` intent from `data/faq/<lang>.json`. */
export class FaqDialog extends SupportDialog {
  readonly intents = ['faq.*'] as const;

  constructor(services: DialogServices) {
    super(FAQ_DIALOG, services);
    // Any reply is accepted: an answer that is not yes/no is a new question, rerouted in feedbackStep.
    this.addDialog(confirmPrompt(FEEDBACK_PROMPT))
      .addDialog(new WaterfallDialog(`${FAQ_DIALOG}.flow`, [this.answerStep.bind(this), this.feedbackStep.bind(this)]));
    this.initialDialogId = `${FAQ_DIALOG}.flow`;
  }

  private async answerStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const info = turnInfo(context);
    const t = this.tr(context);
    const { intent } = step.options.recognition;
    // The recognition's own text: a second question is answered from its sentence, on a later turn.
    const answer = this.answerFor(intent, info.locale, step.options.recognition.text ?? info.text);
    if (!answer) {
      markTurn(context, FAQ_DIALOG, 'fallback');
      await context.sendActivity(t('faq.missing'));
      return step.endDialog();
    }
    const data = await getConversationData(this.services.conversationData, context);
    const key = `${answer.intent}#${answer.variant ?? ''}`;
    const again = data.lastFaq === key;
    data.lastFaq = key;
    markTurn(context, FAQ_DIALOG, 'answered', { data: { faq: answer.intent, variant: answer.variant ?? null, ...(again ? { repeated: true } : {}) } });
    if (again) {
      // "i see two charges of $94 on my card", twice: the same answer and "did that answer your question?" again. Asked
      // twice, the answer did not settle it: it is said once more, briefly, with a person on offer.
      await offerChoices(context, this.services.conversationData, joinSentences(this.filled(answer.text, info.locale), t('faq.again')), [t('intent.agent.handoff')], { expectsAnswer: true });
      return step.endDialog();
    }
    await context.sendActivity(this.filled(answer.text, info.locale));
    return step.prompt(FEEDBACK_PROMPT, {
      prompt: MessageFactory.text(t('faq.didThatHelp'), undefined, InputHints.AcceptingInput),
    });
  }

  /**
   * The knowledge base's answer to `text`, with one variant per part when its parts ask about different ones: "do i
   * have to pay for the return shipping? and how long until i get my money back?" got only the refund times.
   */
  private answerFor(intent: string, lang: string, text: string): FaqAnswer | undefined {
    const kb = this.services.knowledgeBase;
    const fallback = this.services.config.DEFAULT_LOCALE;
    // A menu button or a typed label names the whole topic: "Returns & refunds" got only the refund times (a variant's
    // keyword), not how to return something.
    if (this.services.intentLabels.intentOf(text, lang) === intent) return kb.answer(intent, lang, '', fallback);
    const whole = kb.answer(intent, lang, text, fallback);
    const parts = splitSentences(text).flatMap((sentence) => splitClauses(sentence, lang));
    if (!whole || parts.length < 2) return whole;
    const picked: FaqAnswer[] = [];
    for (const part of parts) {
      const a = kb.answer(intent, lang, part, fallback);
      if (a?.variant !== undefined && !picked.some((p) => p.variant === a.variant)) picked.push(a);
    }
    const [first, second] = picked;
    return first && second ? { ...first, text: joinSentences(first.text, second.text) } : whole;
  }

  /**
   * The answer with its placeholders filled from the configuration, and the closed days of the next fortnight after an
   * answer about the team's hours.
   */
  private filled(text: string, lang: string): string {
    const replyHours = String(this.services.config.SLA_HOURS.normal);
    if (!text.includes('{hours}')) return fillAnswer(text, { replyHours });
    const { hours, closedDays } = this.services.handoffs.teamHours(lang);
    const answer = fillAnswer(text, { hours, replyHours });
    return closedDays.length ? joinSentences(answer, t(lang, 'faq.closedSoon', { days: formatList(closedDays, lang) })) : answer;
  }

  /**
   * Whether the reply asks a clear question (a question mark) that the answer just given did not answer: another
   * subject, or another answer of the same one ("how long does the refund take?", then "ok and do i have to pay for
   * the return shipping?").
   */
  private asksAnother(context: TurnContext, answered: SupportRecognition): boolean {
    const { recognition: r, text, locale } = turnInfo(context);
    if (!r || r.ambiguous || !readsAsTask(r)) return false;
    // Another subject may come without a question mark ("ok what about returns") when it reads clearly.
    if (r.intent !== answered.intent) return asksSomething(text) || r.score >= CLEAR_OTHER_SUBJECT;
    if (!asksSomething(text)) return false;
    const before = this.answerFor(answered.intent, locale, answered.text ?? '');
    return this.answerFor(r.intent, locale, text)?.text !== before?.text;
  }

  /**
   * Whether a reply the yes/no prompt could not read says the answer helped or not, in the words of the catalogue lists
   * `faq.unhelpedWords` (looked for first: "not helpful" holds "helpful") and `faq.helpedWords`. "that didn't help at
   * all" got "Sorry, I didn't quite get that", "没用" (useless) and "نه، کمکی نکرد" (no, it didn't help) a goodbye and
   * the survey.
   */
  private saysHelped(context: TurnContext): boolean | undefined {
    const t = this.tr(context);
    const { text } = turnInfo(context);
    const [unhelped, helped] = FEEDBACK_WORDS;
    if (mentionsPhrase(t, unhelped, text)) return false;
    return mentionsPhrase(t, helped, text) ? true : undefined;
  }

  private async feedbackStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const answer = typeof step.result === 'boolean' ? step.result : this.saysHelped(context);
    // A reply that is nothing but its verdict asks nothing else, whatever the classifier makes of it ("不太有用", "not
    // very useful", read as account help at 1.0).
    const onlyVerdict = typeof step.result !== 'boolean' && isPhraseRun(t, FEEDBACK_WORDS, turnInfo(context).text, ['common.yesWords', 'common.noWords']);
    // "ok, and do i have to pay for the return shipping?" holds a yes, and the question in it was dropped: "Great, glad
    // that helped!". A clear question about another subject is answered; the yes or no still counts as feedback. So is
    // a clear request beside a verdict in words: "that didn't help with the return label I need" got "Sorry that
    // didn't answer it" where it had got the return label's answer.
    const besideVerdict = answer !== undefined && typeof step.result !== 'boolean' && !onlyVerdict && readsAsTask(turnInfo(context).recognition ?? { intent: 'None', score: 0 });
    if (answer !== undefined && !onlyVerdict && (besideVerdict || this.asksAnother(context, step.options.recognition))) {
      markTurn(context, FAQ_DIALOG, 'answered', { feedback: answer ? 'yes' : 'no' });
      return step.endDialog({ reroute: true } satisfies RerouteResult);
    }
    // "Thanks!" to "Did that answer your question?" says yes: it counts as confirmed, not as a change of subject.
    const helped = answer === true || (answer === undefined && saysThanks(context));
    // A verdict and a goodbye, "yes thanks, that's all, bye" or "sí, gracias. adiós": the customer is leaving. It got
    // "Great, glad that helped!" and "Is there anything else?", and the goodbye and the survey only after another no.
    // A bare "no" reads as a goodbye too ("no, that's all"): only words beyond the verdict say so here.
    const recognition = turnInfo(context).recognition;
    const bareVerdict = isPhraseRun(t, [...FEEDBACK_WORDS, 'common.yesWords', 'common.noWords'], turnInfo(context).text);
    // Or a goodbye word of the catalogue (`handoff.byeWords`): "بله ممنون خداحافظ" read as thanks (0.67) and went on.
    const saysBye = (recognition?.intent === GOODBYE_INTENT && recognition.score >= CLEAR_GOODBYE) || mentionsPhrase(t, 'handoff.byeWords', turnInfo(context).text);
    if ((helped || answer === false) && !bareVerdict && saysBye) {
      markTurn(context, FAQ_DIALOG, 'answered', { feedback: helped ? 'yes' : 'no' });
      return step.endDialog({ reroute: true, intent: GOODBYE_INTENT } satisfies RerouteResult);
    }
    if (!helped && answer === undefined) {
      // An order number after the cancellation (or returns) policy asks about that order: "10435" got the order's
      // delivery status instead.
      const asked = step.options.recognition.intent;
      if (asksAboutOneOrder(asked) && givenOrderNumber(turnInfo(context).text)) return step.endDialog({ reroute: true, intent: asked } satisfies RerouteResult);
      // Not a yes/no: the customer moved on; route what they said as a new topic.
      return step.endDialog({ reroute: true } satisfies RerouteResult);
    }
    const data = await getConversationData(this.services.conversationData, context);
    if (helped) {
      markTurn(context, FAQ_DIALOG, 'answered', { feedback: 'yes' });
      await context.sendActivity(t('faq.glad'));
      return step.endDialog({ resolved: true });
    }
    data.faqNoCount += 1;
    markTurn(context, FAQ_DIALOG, 'answered', { feedback: 'no' });
    const { config } = this.services;
    if (data.faqNoCount >= config.HANDOFF_FAQ_NOS && requestHandoff(context, config.HANDOFF_TRIGGERS, { reason: 'faq_unhelpful' })) {
      return step.endDialog({ reroute: true, intent: HANDOFF_INTENT } satisfies RerouteResult);
    }
    await offerChoices(context, this.services.conversationData, t('faq.sorry'), [t('intent.agent.handoff')], { expectsAnswer: true });
    return step.endDialog();
  }
}
