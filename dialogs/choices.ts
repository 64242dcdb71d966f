/** Suggested replies outside a prompt, rendered for the channel (buttons, or numbered text where buttons are missing). */
import { InputHints, type TurnContext } from 'botbuilder';
import { ChoiceFactory } from 'botbuilder-dialogs';
import { type ConversationDataAccessor, getConversationData } from '../bot/conversationData.js';

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
  const activity = ChoiceFactory.forChannel(context.activity.channelId, choices, text);
  // "Expecting" marks a question the customer was left with (an offer of a person after a failure): leaving
  // there counts as abandoned. A menu after an answer is only a suggestion.
  activity.inputHint = options.expectsAnswer ? InputHints.ExpectingInput : InputHints.AcceptingInput;
  await context.sendActivity(activity);
}
