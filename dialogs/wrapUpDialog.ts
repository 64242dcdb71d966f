/** After a resolved flow: "Anything else?" — yes asks what, no ends the conversation (and the survey follows). */
import { InputHints, MessageFactory, type TurnContext } from 'botbuilder';
import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { markTurn, turnInfo } from '../bot/turnInfo.js';
import { COMPLAINT_INTENT, ORDER_STATUS_INTENT } from '../nlu/corpus.js';
import { forceIntent } from '../nlu/recognizer.js';
import { guessCategory } from './complaintDialog.js';
import { confirmPrompt } from './prompts.js';
import type { DialogServices } from './services.js';
import { asksSomething, isPhrase, mentionsPhrase, normalizePhrase, phrases, type RerouteResult, saysThanks, signsOff, SMALL_TALK_INTENTS, SupportDialog, wordCount } from './supportDialog.js';

export const WRAP_UP_DIALOG = 'wrapUp';
const ASK = `${WRAP_UP_DIALOG}.ask`;

/** Sentiment from which a reply naming an order reads as a glad sign-off ("no, that was all about order 10231, thanks": 0.66). */
const GLAD_SIGN_OFF = 0.5;

/** Words a reply needs besides its yes or no to ask a question of its own ("no, but when?" has three). */
const QUESTION_WORDS = 3;

/** Closes a resolved topic. */
export class WrapUpDialog extends SupportDialog {
  /** Started by the router after a flow resolves, never by an intent. */
  readonly intents = [] as const;

  constructor(services: DialogServices) {
    super(WRAP_UP_DIALOG, services);
    this.addDialog(confirmPrompt(ASK, undefined, { yes: 'wrapup.yesButton', no: 'wrapup.noButton' })).addDialog(new WaterfallDialog(`${WRAP_UP_DIALOG}.flow`, [this.askStep.bind(this), this.answerStep.bind(this)]));
    this.initialDialogId = `${WRAP_UP_DIALOG}.flow`;
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // A suggestion, not a required answer: leaving here still counts as a resolved conversation.
    return step.prompt(ASK, { prompt: MessageFactory.text(this.tr(step.context)('wrapup.anythingElse'), undefined, InputHints.AcceptingInput) });
  }

  /**
   * Whether a yes or no comes with a question of its own: "no, but what time today will it come?" was a no, and the
   * customer got "Take care!" and the survey; "yes, can you check my other order?" got "what else can I help with?".
   */
  private asksBesideAnswer(step: WaterfallStepContext): boolean {
    const { text } = turnInfo(step.context);
    return typeof step.result === 'boolean' && asksSomething(text) && wordCount(text) >= QUESTION_WORDS;
  }

  /**
   * Whether the reply names an order outside a sign-off: a new request about that order, whatever yes or no it holds.
   * "no my order 10248 hasnt arrived" and "mi pedido 10248 no llega" were a no, and the customer got "Take care!" and
   * the survey; so did "still no sign of 10231", which the classifier reads as nothing (None), and "no, 10231 is still
   * missing, thanks", read as thanks. Such a reading is taken for a question about the order, so a mistyped number is
   * asked again. A goodbye that tells of no problem ("no, that's all for order 10231", "没有了，就是问一下10231"), a
   * clearly glad thank-you, and an amount ("I spent $10231 this year") end the chat as before; a goodbye that names a
   * complaint's words ("thanks bye, 10231 hasn't arrived") does not.
   */
  private namesOrder(context: TurnContext): boolean {
    const info = turnInfo(context);
    const r = info.recognition;
    const numbers = (r?.entities.orderNumber ?? ([] as string[])).filter((n: string) => !new RegExp(`[$€£¥]\\s*${n}`).test(info.text));
    if (!r || !numbers.length) return false;
    if (r.intent !== 'None' && !SMALL_TALK_INTENTS.has(r.intent)) return true;
    const complains = guessCategory(info.text, this.tr(context)) !== undefined;
    if (!complains && (r.intent === 'goodbye' || r.sentiment.score >= GLAD_SIGN_OFF)) return false;
    // The log keeps what the classifier heard; the forced intent only steers the router.
    info.heard = { intent: r.intent, score: r.score };
    info.recognition = forceIntent(r, ORDER_STATUS_INTENT);
    return true;
  }

  /**
   * Whether a reply botbuilder reads as a yes takes leave instead: "ok thx bye" got "Sure, what else can I help you
   * with?". A thank-you that opens with a yes of the catalogue, a mere "ok" aside ("yes thank you", "sí, muchas
   * gracias", "是的，谢谢"), stays a yes; a goodbye ("yes thanks bye") does not.
   */
  private signsOffInstead(context: TurnContext): boolean {
    // A catalogue yes as it stands ("1 more thing", read as goodbye) is a yes.
    const { text } = turnInfo(context);
    if (!signsOff(context) || isPhrase(this.tr(context), 'common.yesWords', text)) return false;
    return turnInfo(context).recognition?.intent === 'goodbye' || !this.opensWithYes(context);
  }

  /** Whether the reply says there is more, whatever else it says ("yes, one more question", "好的谢谢，我还有一个问题"). */
  private saysMore(context: TurnContext): boolean {
    return mentionsPhrase(this.tr(context), 'common.moreWords', turnInfo(context).text);
  }

  private opensWithYes(context: TurnContext): boolean {
    const t = this.tr(context);
    const said = normalizePhrase(turnInfo(context).text);
    const assent = new Set(phrases(t, 'common.acceptWords'));
    const opens = (w: string) => said === w || said.startsWith(/[\u3400-\u9fff]/.test(w) ? w : `${w} `);
    return phrases(t, 'common.yesWords').some((w) => !assent.has(w) && opens(w));
  }

  /** Whether a reply that reads as nothing or as small talk names a complaint's category in its words. */
  private tellsDamage(context: TurnContext): boolean {
    const { text, recognition: r } = turnInfo(context);
    return r !== undefined && (r.intent === 'None' || SMALL_TALK_INTENTS.has(r.intent)) && guessCategory(text, this.tr(context)) !== undefined;
  }

  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const t = this.tr(context);
    if (this.isNewRequest(context) || this.asksBesideAnswer(step) || this.namesOrder(context)) return step.endDialog({ reroute: true } satisfies RerouteResult);
    // Damage told in words the classifier takes for small talk is more of a complaint: "esta todo rajado" (it is all
    // cracked) read as a goodbye (0.58) and ended the chat with the survey; as a complaint it joins the ticket just filed.
    if (typeof step.result !== 'boolean' && this.tellsDamage(context)) return step.endDialog({ reroute: true, intent: COMPLAINT_INTENT } satisfies RerouteResult);
    if ((step.result === true && !this.signsOffInstead(context)) || this.saysMore(context)) {
      markTurn(context, WRAP_UP_DIALOG, 'answered');
      await context.sendActivity(t('wrapup.askWhat'));
      return step.endDialog();
    }
    // "Thanks" to "anything else?" closes the conversation as "no" would.
    if (step.result === false || saysThanks(context) || this.signsOffInstead(context)) {
      markTurn(context, WRAP_UP_DIALOG, 'answered', { data: { conversationEnded: true } });
      await context.sendActivity(t('goodbye.reply', { brand: this.services.config.BRAND_NAME }));
      return step.endDialog({ conversationEnded: true });
    }
    return step.endDialog({ reroute: true } satisfies RerouteResult);
  }
}
