/** Choices rendered for the channel: buttons where it has them, numbered text where it does not. */
import { InputHints, type TurnContext } from 'botbuilder';
import { ChoiceFactory, ListStyle, supportsSuggestedActions } from 'botbuilder-dialogs';
import { type ConversationDataAccessor, getConversationData } from '../bot/conversationData.js';
import type { Translate } from '../i18n/index.js';
import { isPhraseRun } from './supportDialog.js';

/**
 * Channels whose buttons show titles of any length. botbuilder assumes 20 characters on every channel and falls
 * back to a numbered list above that, which gave web chat and Telegram customers in Spanish a list where English had
 * buttons ("Devoluciones y reembolsos" is 25). Telegram's keyboard buttons wrap long labels.
 */
const LONG_TITLE_CHANNELS = new Set(['webchat', 'directline', 'emulator', 'test', 'telegram']);

/** How a prompt should show `count` choices on the turn's channel (pass as the prompt's `style`). */
export function choiceStyle(context: TurnContext, count: number): ListStyle {
  const { channelId } = context.activity;
  return LONG_TITLE_CHANNELS.has(channelId) && supportsSuggestedActions(channelId, count) ? ListStyle.suggestedAction : ListStyle.auto;
}

/**
 * Sends `text` with `choices`; remembers them so a reply of "2" on a text-only channel means the second.
 */
export async function offerChoices(
  context: TurnContext,
  accessor: ConversationDataAccessor,
  text: string,
  choices: string[],
  options: { expectsAnswer?: boolean } = {},
): Promise<void> {
  const data = await getConversationData(accessor, context);
  data.offeredChoices = choices;
  const activity =
    choiceStyle(context, choices.length) === ListStyle.suggestedAction
      ? ChoiceFactory.suggestedAction(choices, text)
      : ChoiceFactory.forChannel(context.activity.channelId, choices, text);
  // "Expecting" marks a question the customer was left with (an offer of a person after a failure): leaving
  // there counts as abandoned. A menu after an answer is only a suggestion.
  activity.inputHint = options.expectsAnswer ? InputHints.ExpectingInput : InputHints.AcceptingInput;
  await context.sendActivity(activity);
}

/** Zero of each decimal digit script customers of our languages type: ASCII, Arabic-Indic, Persian, full-width. */
const DIGIT_ZEROS = [0x30, 0x660, 0x6f0, 0xff10];

/** The value of one decimal digit in any of those scripts, or undefined. */
function digitValue(ch: string): number | undefined {
  const cp = ch.codePointAt(0) ?? -1;
  const zero = DIGIT_ZEROS.find((z) => cp >= z && cp <= z + 9);
  return zero === undefined ? undefined : cp - zero;
}

/**
 * The choice number in a reply that is only a number, the way customers answer a numbered list: "2", "2.", "(2)",
 * "#2", "٢", "۲", "２". Undefined for anything else (including longer numbers such as order numbers).
 */
export function choiceNumber(text: string): number | undefined {
  const match = /^\s*[(\[#]?\s*(\p{Nd}{1,2})\s*[)\].:]?\s*$/u.exec(text);
  if (!match) return undefined;
  let value = 0;
  for (const ch of match[1]!) {
    const d = digitValue(ch);
    if (d === undefined) return undefined;
    value = value * 10 + d;
  }
  return value;
}

/** How many choices the catalogue's choice words name ("two", "the second one", "la segunda", "第二个", "دومی"). */
const CHOICE_WORD_COUNT = 5;

/**
 * The choice a reply names in words, the way customers answer a menu: "two", "the second one please", "la segunda",
 * "我选第二个", "دومی". Undefined for anything else. botbuilder's prompts read such words themselves (in English,
 * Spanish and Chinese); menus offered outside a prompt need this.
 */
export function choiceWordNumber(t: Translate, text: string): number | undefined {
  for (let n = 1; n <= CHOICE_WORD_COUNT; n++) if (isPhraseRun(t, [`common.choiceWords${n}`], text)) return n;
  return undefined;
}
