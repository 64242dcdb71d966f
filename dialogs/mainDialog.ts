/** The router: maps the turn's intent to the dialog that handles it, asking first when two intents are close. */
import { ActionTypes, type TurnContext } from 'botbuilder';
import {
  ChoicePrompt,
  ComponentDialog,
  type DialogTurnResult,
  type FoundChoice,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { turnInfo } from '../bot/turnInfo.js';
import { translator } from '../i18n/index.js';
import { forceIntent, NONE_INTENT, type SupportRecognition } from '../nlu/recognizer.js';
import { choiceStyle } from './choices.js';
import type { IntentLabels } from './intentLabels.js';
import { asksForHelp } from './smallTalkDialog.js';
import { isReroute, type RouteOptions, type SupportDialog } from './supportDialog.js';
import { SURVEY_DIALOG, type SurveyDialog } from './surveyDialog.js';
import { WRAP_UP_DIALOG, type WrapUpDialog } from './wrapUpDialog.js';

export const MAIN_DIALOG = 'main';
const ROUTE_WATERFALL = 'main.route';
const WHICH_PROMPT = 'main.which';
/** The choice that means "neither of those". */
const NEITHER = 'None';

/** How the router is started: normally on the turn's intent; `begin` starts a named dialog instead. */
export interface MainOptions {
  begin?: string;
}

/** What routed dialogs may end with, besides a reroute. */
interface FlowResult {
  /** The customer's need was met: ask whether there is anything else. */
  resolved?: boolean;
  /** The customer is leaving (goodbye, "that's all"): offer the survey once. */
  conversationEnded?: boolean;
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
    const ids = new Set<string>();
    for (const dialog of [...routes, fallback, wrapUp, survey]) {
      // DialogSet silently renames a duplicate id; a clash would route to the wrong dialog, so refuse it.
      if (ids.has(dialog.id)) throw new Error(`Two dialogs share the id "${dialog.id}"`);
      ids.add(dialog.id);
      this.addDialog(dialog);
    }
    this.addDialog(new ChoicePrompt(WHICH_PROMPT))
      .addDialog(new WaterfallDialog(ROUTE_WATERFALL, [this.routeStep.bind(this), this.chosenStep.bind(this), this.finalStep.bind(this)]));
    this.initialDialogId = ROUTE_WATERFALL;
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
    const recognition = this.recognition(step.context);
    if (!recognition) return step.endDialog();
    // "What can you do?" and "menu" are the catalogue's exact phrases, routed as a greeting (which offers the menu):
    // the classifier reads them as None or as whichever FAQ shares a word ("what are my options" as shipping).
    if (asksForHelp(step.context)) return step.next('greeting');
    if (recognition.ambiguous) {
      const { locale } = turnInfo(step.context);
      const t = translator(locale);
      const [a, b] = recognition.ambiguous;
      turnInfo(step.context).dialog = MAIN_DIALOG;
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
    return step.next(recognition.intent);
  }

  private async chosenStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const begin = (step.result as { begin?: string } | undefined)?.begin;
    if (begin) return step.beginDialog(begin);
    const recognition = this.recognition(step.context);
    const chosen = typeof step.result === 'string' ? step.result : ((step.result as FoundChoice | undefined)?.value ?? NONE_INTENT);
    if (!recognition) return step.endDialog();
    // After "which did you mean?", the answer turn is recognised again; route on the choice, keep its entities.
    const routed: SupportRecognition = { ...recognition, intent: chosen, ambiguous: undefined } as SupportRecognition;
    turnInfo(step.context).recognition = routed;
    const options: RouteOptions = { recognition: routed };
    return step.beginDialog((await this.routeFor(step.context, routed)).id, options);
  }

  private async finalStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    // A flow that ended because the customer changed the subject: route this same turn again.
    if (isReroute(step.result)) {
      const info = turnInfo(step.context);
      if (step.result.intent && info.recognition) info.recognition = forceIntent(info.recognition, step.result.intent);
      return step.replaceDialog(ROUTE_WATERFALL);
    }
    const result = (step.result ?? {}) as FlowResult;
    if (result.conversationEnded && (await this.survey.canOffer(step.context))) {
      return step.replaceDialog(ROUTE_WATERFALL, { begin: SURVEY_DIALOG } satisfies MainOptions);
    }
    if (result.resolved) return step.replaceDialog(ROUTE_WATERFALL, { begin: WRAP_UP_DIALOG } satisfies MainOptions);
    return step.endDialog();
  }
}
