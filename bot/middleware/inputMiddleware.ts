/** First stop for a customer message: cleans the text, refuses what the bot cannot read, maps "2" to offered choice 2. */
import { ActivityTypes, Channels, type Middleware, type TurnContext } from 'botbuilder';
import { LOCALE_TAGS, type Translate, t, translator } from '../../i18n/index.js';
import { choiceNumber, choiceWordNumber } from '../../dialogs/choices.js';
import { isPhrase } from '../../dialogs/supportDialog.js';
import { type ConversationDataAccessor, getConversationData } from '../conversationData.js';
import { ownWords } from '../emailText.js';
import { markTurn, turnInfo } from '../turnInfo.js';

/** Persian and Arabic-Indic digits. */
const EASTERN_DIGITS = /[\u06F0-\u06F9\u0660-\u0669]/g;
/**
 * Full-width digits, Latin letters and the signs of order numbers and emails ("１０２３１", "＃", "＠"), as a Chinese or
 * Japanese keyboard types them. Full-width punctuation ("，", "？") is how Chinese is written, and stays.
 */
const FULL_WIDTH_ALPHANUMERICS = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF03\uFF20\uFF0E\uFF0D\uFF3F\uFF0B]/g;
/** Digits said as words, in English and Spanish ("oh" for zero as people read numbers out). */
const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  cero: '0', uno: '1', dos: '2', tres: '3', cuatro: '4', cinco: '5', seis: '6', siete: '7', ocho: '8', nueve: '9',
};
/**
 * An order number or postcode as voice typing writes it: five to eight digit words ("one oh four oh one") or digits in
 * small groups ("10 4 01"). Both got "That doesn't look like an order number" on SMS. Fewer digits (a quantity, "two
 * four-packs") or longer runs (a phone number) stay as they are.
 */
const DIGIT_WORD = `(?:${Object.keys(DIGIT_WORDS).join('|')})`;
const SPOKEN_NUMBER = new RegExp(`(?<![\\p{L}\\p{N}])${DIGIT_WORD}(?:[\\s,-]+${DIGIT_WORD}){4,7}(?![\\p{L}\\p{N}])`, 'giu');
const GROUPED_DIGITS = /(?<![\p{L}\p{N}.,-])(?<!\d[ -])\d{1,3}(?:[ -]\d{1,3}){1,5}(?![\p{L}\p{N}.,-])(?![ -]\d)/gu;

/** `text` with an order number or postcode said in words or small groups written as one number. */
export function spokenNumbers(text: string): string {
  const words = text.replace(SPOKEN_NUMBER, (run) => run.split(/[\s,-]+/).map((w) => DIGIT_WORDS[w.toLowerCase()]).join(''));
  return words.replace(GROUPED_DIGITS, (run) => {
    const digits = run.replace(/[ -]/g, '');
    return digits.length >= 5 && digits.length <= 8 ? digits : run;
  });
}

/** Words for an address's signs, as said aloud in English and Spanish. */
const SPOKEN_SIGNS: Record<string, string> = { dot: '.', punto: '.', underscore: '_', 'guion bajo': '_', dash: '-', hyphen: '-', guion: '-', at: '@', arroba: '@' };
const SIGN = '(?:dot|punto|underscore|guion bajo|dash|hyphen|guion)';
/**
 * An email address as voice typing writes it: "diego dot dubois at example dot com", "ana punto ruiz arroba correo punto
 * es". It read as a question about our contact details. Only a name with a sign in it, or one in a message that speaks
 * of an email, is taken: "look at example dot com" is no address.
 */
const SPOKEN_EMAIL = new RegExp(
  `(?<![\\p{L}\\p{N}'])([a-z0-9]+(?:\\s+${SIGN}\\s+[a-z0-9]+)*)\\s+(?:at|arroba)\\s+([a-z0-9]+(?:\\s+(?:dot|punto|dash|guion)\\s+[a-z0-9]+)*\\s+(?:dot|punto)\\s+[a-z]{2,6})(?![\\p{L}\\p{N}])`,
  'giu',
);
const MENTIONS_EMAIL = /\b(?:e-?mail|mail|correo)\b/iu;
/** A sign said between two parts of an address's name ("diego dot dubois"). */
const SIGN_BETWEEN = new RegExp(`\\s${SIGN}\\s`, 'iu');
/** Every sign said in an address, "at" included, with the spaces around it. */
const SAID_SIGN = new RegExp(`\\s+(${SIGN}|at|arroba)\\s+`, 'giu');

/** `text` with an email address said aloud written as one. */
export function spokenEmails(text: string): string {
  return text.replace(SPOKEN_EMAIL, (run, local: string) => {
    if (!SIGN_BETWEEN.test(local) && !MENTIONS_EMAIL.test(text)) return run;
    return run.replace(SAID_SIGN, (_m, sign: string) => SPOKEN_SIGNS[sign.toLowerCase()] ?? sign).toLowerCase();
  });
}

/** Text the cleaning changes beyond its edges: prompts read the activity, so they must see it cleaned as well. */
const KEYBOARD_FORMS = new RegExp(`${EASTERN_DIGITS.source}|${FULL_WIDTH_ALPHANUMERICS.source}`);

/**
 * Removes control characters (keeping newlines and tabs) and unpaired surrogates; normalises to NFC; reads Persian and
 * Arabic-Indic digits ("۲", "۰۲۱۳۹") and full-width ones ("１０２３１") as ASCII, so choice numbers, order numbers and
 * postcodes work from any keyboard.
 */
export function cleanText(raw: string): string {
  return raw
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u2028\u2029\uFEFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(EASTERN_DIGITS, (d) => String(d.charCodeAt(0) % 16))
    .replace(FULL_WIDTH_ALPHANUMERICS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .normalize('NFC')
    .trim();
}

/**
 * Whether a reply takes the one choice the bot offered: a yes-word, or a word of assent ("ok", "go ahead") that is no
 * answer to a yes/no question ("did that answer your question?" "ok" is not a yes) but is to a lone offer.
 */
function acceptsOffer(t: Translate, text: string): boolean {
  return isPhrase(t, 'common.yesWords', text) || isPhrase(t, 'common.acceptWords', text);
}

/**
 * The text a button press or card submission carries when the message has none: Teams' messageBack and Adaptive Card
 * submits send `value` alone. A string value is the text; an object's `text` (or `value`) string is. Nothing else is
 * read: the bot offers no card whose data it would have to interpret.
 */
export function textOfValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
  const record = value as Record<string, unknown>;
  for (const key of ['text', 'value']) if (typeof record[key] === 'string') return record[key] as string;
  return '';
}

/** Validates and normalises message text before any other middleware sees it. */
export class InputMiddleware implements Middleware {
  constructor(
    private readonly conversationData: ConversationDataAccessor,
    private readonly maxChars: number,
    /** Whether a question is waiting for the customer's answer (SupportBot.waitingForAnswer). */
    private readonly waiting: (context: TurnContext) => Promise<boolean> = async () => false,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type !== ActivityTypes.Message) return next();
    const info = turnInfo(context);
    const written = cleanText(typeof context.activity.text === 'string' ? context.activity.text : '');
    // An email is read without the thread it quotes, its signature, salutation and sign-off.
    const typed = context.activity.channelId === Channels.Email ? ownWords(written) : written;
    const text = typed || cleanText(textOfValue(context.activity.value));
    // Prompts and the NLU read the activity's text: a card's submitted text, or an email's own words, must reach them
    // as if typed.
    if ((!typed && text) || typed !== written) context.activity.text = text;
    info.text = text;
    if ([...text].length > this.maxChars) {
      markTurn(context, 'input', 'fallback', { redactAs: '[too long]' });
      // In the customer's own figures: "2,000" read as two in Spanish.
      await context.sendActivity(t(info.locale, 'input.tooLong', { max: this.maxChars.toLocaleString(LOCALE_TAGS[info.locale] ?? 'en-US') }));
      return;
    }
    if (!text) {
      const hasAttachment = (context.activity.attachments?.length ?? 0) > 0;
      markTurn(context, 'input', 'fallback');
      // With a question open, the customer is asked for the answer: "What can I help you with?" after a sticker sent at
      // the postcode question read as if the question had gone, and it was still waiting.
      const inFlow = await this.waiting(context);
      await context.sendActivity(t(info.locale, hasAttachment ? (inFlow ? 'input.attachmentWaiting' : 'input.attachmentOnly') : inFlow ? 'input.emptyWaiting' : 'input.empty'));
      return;
    }
    // Prompts read the activity itself: digits typed on a Persian or Chinese keyboard ("۲", "０２１３９") reach them as ASCII
    // too, and a number said aloud ("one oh four oh one") as the number.
    const spoken = spokenEmails(spokenNumbers(text));
    if (spoken !== text) info.text = spoken;
    if (typeof context.activity.text === 'string' && (KEYBOARD_FORMS.test(context.activity.text) || spoken !== text)) context.activity.text = spoken;
    const data = await getConversationData(this.conversationData, context);
    const offered = data.offeredChoices?.length ?? 0;
    const inWords = offered > 0 ? choiceWordNumber(translator(info.locale), text) : undefined;
    const picked = choiceNumber(text) ?? (inWords !== undefined && inWords <= offered ? inWords : undefined);
    if (picked !== undefined) {
      // A suggestion offered outside a prompt: the number means its label. Otherwise plain ASCII digits, which
      // ChoicePrompt and ConfirmPrompt recognise in every language ("۲" or "(2)" they would not).
      const answer = data.offeredChoices?.[picked - 1] ?? String(picked);
      info.text = answer;
      context.activity.text = answer;
    } else if (data.offeredChoices?.length === 1 && acceptsOffer(translator(info.locale), text)) {
      // "Yes please" or "ok" to a lone offer ("a person from our team can help. (1) Talk to a person") takes it: it got
      // "Sorry, I didn't quite get that", or the greeting menu.
      info.text = data.offeredChoices[0]!;
      context.activity.text = info.text;
    }
    data.offeredChoices = undefined;
    return next();
  }
}
