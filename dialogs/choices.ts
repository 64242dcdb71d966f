/** Suggested replies outside a prompt, rendered for the channel (buttons, or numbered text where buttons are missing). */
import { InputHints, type TurnContext } from 'botbuilder';
import { ChoiceFactory } from 'botbuilder-dialogs';
import { type ConversationDataAccessor, getConversationData } from '../bot/conversationData.js';

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
