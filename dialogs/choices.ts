/** Suggested replies outside a prompt, rendered for the channel (buttons, or numbered text where buttons are missing); yes/no prompts. */
import { InputHints, type TurnContext } from 'botbuilder';
import { ChoiceFactory, ConfirmPrompt, PromptCultureModels, type PromptOptions, type PromptRecognizerResult, type PromptValidator } from 'botbuilder-dialogs';
import { LanguageSchema } from '../bot/config.js';
import { type ConversationDataAccessor, getConversationData } from '../bot/conversationData.js';
import { turnInfo } from '../bot/turnInfo.js';
import { t } from '../i18n/index.js';

/**
 * Sends `text` with `choices`; remembers them so a reply of "2" on a text-only channel means the second.
 * The hint is "accepting input": a suggestion, not a question the customer must answer.
 */
export async function offerChoices(
  context: TurnContext,
  accessor: ConversationDataAccessor,
  text: string,
  choices: string[],
): Promise<void> {
  const data = await getConversationData(accessor, context);
  data.offeredChoices = choices;
  const activity = ChoiceFactory.forChannel(context.activity.channelId, choices, text);
  activity.inputHint = InputHints.AcceptingInput;
  await context.sendActivity(activity);
}

/** Separators for languages botbuilder has no prompt culture for: punctuation only, so no English "or" slips in. */
const NEUTRAL_LIST = { inlineSeparator: ', ', inlineOr: ' / ', inlineOrMore: ', ', includeNumbers: true };

/**
 * A yes/no prompt in the conversation's language. botbuilder picks the yes/no words from the activity's locale, which
 * text channels often leave empty, and knows no Persian; this prompt uses the turn's language and, where botbuilder
 * has no culture for it, the catalogue's `common.yes` / `common.no` ("بله" / "نه"), typed or numbered.
 */
export class LocalizedConfirmPrompt extends ConfirmPrompt {
  constructor(dialogId: string, validator?: PromptValidator<boolean>) {
    const defaults: Record<string, { choices: string[]; options: typeof NEUTRAL_LIST }> = {};
    for (const culture of PromptCultureModels.getSupportedCultures()) {
      defaults[culture.locale] = {
        choices: [culture.yesInLanguage, culture.noInLanguage],
        options: { inlineSeparator: culture.separator, inlineOr: culture.inlineOr, inlineOrMore: culture.inlineOrMore, includeNumbers: true },
      };
    }
    for (const lang of LanguageSchema.options) {
      const culture = PromptCultureModels.mapToNearestLanguage(lang);
      if (!defaults[culture]) defaults[culture] = { choices: [t(lang, 'common.yes'), t(lang, 'common.no')], options: NEUTRAL_LIST };
    }
    super(dialogId, validator, undefined, defaults);
  }

  protected override onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    return inTurnLanguage(context, () => super.onPrompt(context, state, options, isRetry));
  }

  protected override onRecognize(context: TurnContext, state: object, options: PromptOptions): Promise<PromptRecognizerResult<boolean>> {
    return inTurnLanguage(context, () => super.onRecognize(context, state, options));
  }
}

/** Runs `work` with the activity's locale set to the conversation's language, then puts the channel's value back. */
async function inTurnLanguage<T>(context: TurnContext, work: () => Promise<T>): Promise<T> {
  const original = context.activity.locale;
  context.activity.locale = turnInfo(context).locale;
  try {
    return await work();
  } finally {
    context.activity.locale = original;
  }
}
