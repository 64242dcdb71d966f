/** End-of-conversation survey: CSAT 1–5, then NPS 0–10, then an optional comment. Skippable; offered once. */
import { type Activity, InputHints, MessageFactory, type TurnContext } from 'botbuilder';
import {
  type DialogContext,
  type DialogTurnResult,
  type PromptValidatorContext,
  supportsSuggestedActions,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { getConversationData } from '../bot/conversationData.js';
import { markTurn, turnInfo } from '../bot/turnInfo.js';
import type { Translate } from '../i18n/index.js';
import { HANDOFF_INTENT } from '../bot/handoff/triggers.js';
import { offerChoices } from './choices.js';
import { QuestionPrompt, ScalePrompt } from './prompts.js';
import type { DialogServices } from './services.js';
import { asksSomething, isPhrase, mentionsPhrase, type RerouteResult, SupportDialog, wordCount } from './supportDialog.js';

export const SURVEY_DIALOG = 'survey';
const FLOW = `${SURVEY_DIALOG}.flow`;
const CSAT_PROMPT = `${SURVEY_DIALOG}.csat`;
const NPS_PROMPT = `${SURVEY_DIALOG}.nps`;
const COMMENT_PROMPT = `${SURVEY_DIALOG}.comment`;

/** Numbers up to this are ratings, whatever the scale; a longer one (an order number) may start a new subject. */
const MAX_RATING = 100;
/** The most words an opinion of the chat has ("quick and helpful", "great bot but slow delivery"); a longer one may be a request. */
const VERDICT_WORDS = 6;

/** A reply that opens with a number of one or two digits ("5, order 10435 came fast"). */
const OPENS_WITH_RATING = /^\s*\d{1,2}(?!\d)/;
/** The words a request for a person needs beside an opinion ("useless bot, get me a person"); "useless bot" has two. */
const PERSON_REQUEST_WORDS = 3;

/** What a survey answer turned out to be. */
type Answer = { kind: 'value'; value: number } | { kind: 'skip' } | { kind: 'switch' };

/** Asks the survey; never starts twice in one conversation. */
export class SurveyDialog extends SupportDialog {
  /** Started by the router at the end of a conversation, never by an intent. */
  readonly intents = [] as const;

  constructor(services: DialogServices) {
    super(SURVEY_DIALOG, services);
    this.addDialog(new ScalePrompt(CSAT_PROMPT, this.scale(1, 5), 'survey.csatWords'))
      .addDialog(new ScalePrompt(NPS_PROMPT, this.scale(0, 10), 'survey.npsWords'))
      .addDialog(new QuestionPrompt(COMMENT_PROMPT))
      .addDialog(new WaterfallDialog(FLOW, [this.csatStep.bind(this), this.npsStep.bind(this), this.commentStep.bind(this), this.thanksStep.bind(this)]));
    this.initialDialogId = FLOW;
  }

  /** Whether the survey may still be offered in this conversation. */
  async canOffer(context: TurnContext): Promise<boolean> {
    return !(await getConversationData(this.services.conversationData, context)).surveyOffered;
  }

  /**
   * A number in [min, max], "skip", or a clear change of subject, which ends the survey. A small number out of the
   * range is a rating on the wrong scale, asked again: "maybe an 8" on the 1–5 question read as a complaint (0.80)
   * and left the survey for the complaint flow.
   */
  private scale(min: number, max: number) {
    return async (pc: PromptValidatorContext<number>): Promise<boolean> => {
      const value = pc.recognized.value;
      const rated = pc.recognized.succeeded && value !== undefined;
      if (this.asksInstead(pc.context)) return true;
      if (rated && Number.isInteger(value) && value >= min && value <= max) return true;
      if (this.isSkip(pc.context) || (!(rated && Math.abs(value) <= MAX_RATING) && this.isTopicSwitch(pc.context) && !this.isVerdict(pc.context))) return true;
      markTurn(pc.context, SURVEY_DIALOG, 'survey');
      return false;
    };
  }

  /**
   * Whether a reply with a number word in it is a new request instead of a rating: it names an order, or asks and reads
   * as a request of its own. "wait actually one more thing, where is order 10231" was stored as a rating of 1.
   */
  private asksInstead(context: TurnContext): boolean {
    const { text, recognition } = turnInfo(context);
    // "5, order 10435 came fast" opens with its rating: the order is what the rating is about.
    const namesOrder = Boolean(recognition?.entities.orderNumber?.length) && !OPENS_WITH_RATING.test(text);
    return namesOrder || (asksSomething(text) && this.isTopicSwitch(context));
  }

  /**
   * Whether the reply is a short opinion of the chat rather than a new request: it carries a feeling, asks nothing and
   * names no order. Asked for a rating, "quick and helpful" read as shipping (0.92) and "great, thanks" as a thank-you,
   * and either ended the survey; "terrible" started a complaint about an order.
   */
  private isVerdict(context: TurnContext): boolean {
    const { text, recognition } = turnInfo(context);
    if (!recognition || recognition.entities.orderNumber?.length || asksSomething(text) || wordCount(text) > VERDICT_WORDS) return false;
    // "very likely" to the recommendation question carries no feeling, and read as a thank-you that ended the survey.
    return recognition.sentiment.label !== 'neutral' || this.saysLikelihood(context);
  }

  /** Whether the reply names a likelihood ("very likely", "probably not", "muy probable"): `survey.likelihoodWords`. */
  private saysLikelihood(context: TurnContext): boolean {
    return mentionsPhrase(this.tr(context), 'survey.likelihoodWords', turnInfo(context).text);
  }

  /** "算了" and "不用了" are Chinese skip words as well as cancel words: at the survey they decline it. */
  protected override isAnswer(innerDc: DialogContext): boolean {
    return this.isSkip(innerDc.context) || super.isAnswer(innerDc);
  }

  /**
   * "useless" as the comment, or as the rating, is an opinion of the chat: it read as a request for a person. One that
   * goes on to ask for a person ("useless bot, get me a person") is that request.
   */
  protected override keepsReply(innerDc: DialogContext): boolean {
    const { text } = turnInfo(innerDc.context);
    const words = wordCount(text);
    // A comment is what the customer thought of the chat, people and bot included: "the bot was useless, i had to ask
    // for an agent twice" and "very helpful agent" queued them again and lost the comment. One that asks in so many
    // words ("…, i want to speak to someone": `handoff.personRequestWords`), or a few words that are no opinion
    // ("agent please"), is a request.
    if (innerDc.activeDialog?.id === COMMENT_PROMPT && (words > VERDICT_WORDS || this.isVerdict(innerDc.context))) {
      return !mentionsPhrase(this.tr(innerDc.context), 'handoff.personRequestWords', text);
    }
    return this.isVerdict(innerDc.context) && words < PERSON_REQUEST_WORDS;
  }

  private isSkip(context: TurnContext): boolean {
    return isPhrase(this.tr(context), 'survey.skipWords', turnInfo(context).text);
  }

  private answer(step: WaterfallStepContext, min: number, max: number): Answer {
    const value = step.result as number | undefined;
    if (this.asksInstead(step.context)) return { kind: 'switch' };
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return { kind: 'value', value };
    return this.isSkip(step.context) ? { kind: 'skip' } : { kind: 'switch' };
  }

  /** The question with buttons where the channel has them; plain text (which already names the range) elsewhere. */
  private question(context: TurnContext, text: string, options: string[]): Partial<Activity> {
    if (!supportsSuggestedActions(context.activity.channelId, options.length)) return MessageFactory.text(text, undefined, InputHints.ExpectingInput);
    return MessageFactory.suggestedActions(options, text, undefined, InputHints.ExpectingInput);
  }

  private range(t: Translate, min: number, max: number): string[] {
    return [...Array.from({ length: max - min + 1 }, (_, i) => String(min + i)), t('survey.skip')];
  }

  private async csatStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const data = await getConversationData(this.services.conversationData, context);
    data.surveyOffered = true;
    // Survey questions are logged with outcome "survey" (not "prompted"): an unanswered survey is not an abandonment.
    markTurn(context, SURVEY_DIALOG, 'survey');
    return step.prompt(CSAT_PROMPT, {
      prompt: this.question(context, t('survey.csat'), this.range(t, 1, 5)),
      retryPrompt: this.question(context, t('survey.csatRetry'), this.range(t, 1, 5)),
    });
  }

  private async npsStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const csat = this.answer(step, 1, 5);
    if (csat.kind !== 'value') return this.stop(step, csat);
    markTurn(context, SURVEY_DIALOG, 'survey', { data: { csat: csat.value } });
    return step.prompt(NPS_PROMPT, {
      prompt: this.question(context, t('survey.nps', { brand: this.services.config.BRAND_NAME }), this.range(t, 0, 10)),
      retryPrompt: this.question(context, t('survey.npsRetry'), this.range(t, 0, 10)),
    });
  }

  private async commentStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    const nps = this.answer(step, 0, 10);
    if (nps.kind !== 'value') return this.stop(step, nps);
    markTurn(context, SURVEY_DIALOG, 'survey', { data: { nps: nps.value } });
    return step.prompt(COMMENT_PROMPT, { prompt: this.question(context, t('survey.comment'), [t('survey.skip')]) });
  }

  private async thanksStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const skipped = this.isSkip(context);
    // The comment itself is the turn's text in the log (redacted like any other text).
    markTurn(context, SURVEY_DIALOG, 'survey', { data: skipped ? { surveyComplete: true } : { comment: true, surveyComplete: true } });
    const t = this.tr(context);
    const r = turnInfo(context).recognition;
    if (!skipped && r?.intent === HANDOFF_INTENT && wordCount(turnInfo(context).text) > VERDICT_WORDS) {
      // A comment that speaks of people may also mean "I still need one": a person is one answer away.
      await offerChoices(context, this.services.conversationData, t('survey.thanksOfferPerson'), [t('intent.agent.handoff')], { expectsAnswer: true });
    } else {
      await context.sendActivity(t('survey.thanks'));
    }
    return step.endDialog({ conversationEnded: true });
  }

  /** Ends the survey early: thanks for a skip; hands a new question back to the router. */
  private async stop(step: WaterfallStepContext, answer: Answer): Promise<DialogTurnResult> {
    if (answer.kind === 'switch') return step.endDialog({ reroute: true } satisfies RerouteResult);
    markTurn(step.context, SURVEY_DIALOG, 'survey', { data: { surveySkipped: true } });
    await step.context.sendActivity(this.tr(step.context)('survey.skipped'));
    return step.endDialog({ conversationEnded: true });
  }
}
