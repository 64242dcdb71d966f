/** Prompt factories shared by dialogs, so every yes/no question speaks the conversation's language. */
import { ConfirmPrompt, type PromptValidator, PromptCultureModels } from 'botbuilder-dialogs';
import { catalogue, LOCALE_TAGS } from '../i18n/index.js';

/** Accepts any answer: the step after the prompt decides what a non-yes/no reply means (usually a new topic). */
export const acceptAnything: PromptValidator<boolean> = async () => true;

/** A ConfirmPrompt whose Yes/No buttons and accepted words come from our catalogues for every language. */
export function confirmPrompt(id: string, validator: PromptValidator<boolean> = acceptAnything): ConfirmPrompt {
  const prompt = new ConfirmPrompt(id, validator);
  // botbuilder keeps the per-culture defaults private; adding our cultures there is the only per-language hook.
  const defaults = (prompt as unknown as { choiceDefaults: Record<string, { choices: string[]; options: object }> }).choiceDefaults;
  for (const [lang, tag] of Object.entries(LOCALE_TAGS)) {
    const messages = catalogue(lang);
    if (!messages?.['common.yes'] || !messages['common.no']) continue;
    defaults[PromptCultureModels.mapToNearestLanguage(tag)] = {
      choices: [messages['common.yes'], messages['common.no']],
      options: { inlineSeparator: ', ', inlineOr: messages['choice.or'] ?? ' / ', inlineOrMore: messages['choice.orMore'] ?? ', ', includeNumbers: true },
    };
  }
  return prompt;
}
