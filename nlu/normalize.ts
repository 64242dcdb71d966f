/**
 * Script normalisation shared by every language. Persian text reaches the bot in many spellings of the same word:
 * with or without the zero-width non-joiner ("می‌خواهم", "میخواهم", "می خواهم"), with Arabic letters from Arabic
 * keyboards ("ي", "ك"), Persian or Arabic-Indic digits ("۱۰۴۳۵"), diacritics, letters stretched for emphasis, and
 * Persian punctuation ("؟", "،") that NLP.js's tokenizer does not split on. Folding them here keeps training,
 * classification, sentiment and keyword matching on one spelling. Text without Arabic-script characters or
 * zero-width marks comes back with only its apostrophes folded.
 */

const PERSIAN_DIGITS = /[\u06F0-\u06F9]/g;
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669]/g;
const LETTERS: Record<string, string> = {
  '\u064A': '\u06CC', // Arabic yeh ي → Persian yeh ی
  '\u0649': '\u06CC', // alef maksura ى → ی
  '\u0643': '\u06A9', // Arabic kaf ك → Persian kaf ک
  '\u0629': '\u0647', // teh marbuta ة → ه
  '\u06C0': '\u0647', // heh with yeh above ۀ → ه
  '\u0623': '\u0627', // أ → ا
  '\u0625': '\u0627', // إ → ا
  '\u0671': '\u0627', // ٱ → ا
  '\u0622': '\u0627', // آ → ا ("ادرس" is typed as often as "آدرس")
  '\u0624': '\u0648', // ؤ → و
};
const LETTER_PATTERN = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');
/** Harakat, superscript alef and tatweel. */
const DIACRITICS = /[\u064B-\u065F\u0670\u0640]/g;
/** Zero-width non-joiner and joiner, and direction marks. */
const INVISIBLES = /[\u200C\u200D\u200E\u200F]/g;
const PUNCTUATION: Record<string, string> = { '\u061F': '?', '\u060C': ',', '\u061B': ';', '\u00AB': '"', '\u00BB': '"', '\u066A': '%' };
const PUNCTUATION_PATTERN = new RegExp(`[${Object.keys(PUNCTUATION).join('')}]`, 'g');
const ARABIC_LETTER = '[\\u0600-\\u06FF]';
/** A letter typed three or more times for emphasis: "سلااام", "مرسیییی" → "سلام", "مرسی". */
const ELONGATION = new RegExp(`(${ARABIC_LETTER})\\1{2,}`, 'g');
/** Prefixes written as a separate word: "می خواهم", "نمی دونم", "بی ادب" → "میخواهم", "نمیدونم", "بیادب". */
const PREFIX = new RegExp(`(^|\\s)(ن?می|بی)\\s+(?=${ARABIC_LETTER})`, 'g');
/** The plural suffix written as a separate word: "بسته ها", "کالا های" → "بستهها", "کالاهای". */
const PLURAL_SUFFIX = new RegExp(`(?<=${ARABIC_LETTER})\\s+(ها(?:ی|یی|یم|یت|یش|مون|تون|شون|یمان|یتان|یشان|مو|تو|شو|رو|م|ت|ش)?)(?=[\\s?!.,;:"]|$)`, 'g');

/**
 * An apostrophe typed as a typographic one inside a word: phones put "’" in "don’t" by default, and some keyboards "´"
 * or "`". "my order hasn’t arrived" read as neutral where "hasn't" read as negative.
 */
const APOSTROPHE = /(?<=\p{L})[\u2019\u2018\u02BC\u00B4`](?=\p{L})/gu;

/** Folds apostrophes, and digits, Arabic letter variants, diacritics, ZWNJ and Persian punctuation, to one spelling. */
export function normalizeScript(raw: string): string {
  const text = raw.replace(APOSTROPHE, "'");
  if (!/[\u0600-\u06FF\u200C-\u200F]/.test(text)) return text;
  return text
    .replace(PERSIAN_DIGITS, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(ARABIC_INDIC_DIGITS, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(LETTER_PATTERN, (c) => LETTERS[c] ?? c)
    .replace(DIACRITICS, '')
    .replace(INVISIBLES, '')
    .replace(PUNCTUATION_PATTERN, (c) => PUNCTUATION[c] ?? c)
    .replace(ELONGATION, '$1')
    .replace(PREFIX, '$1$2')
    .replace(PLURAL_SUFFIX, '$1');
}

/**
 * A text reduced to what tells utterances apart: script spelling (`normalizeScript`), compatibility forms, case,
 * punctuation and spacing aside. "Where's my order?" and "where s my order" are one utterance.
 */
export function comparableText(text: string): string {
  return normalizeScript(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A letter typed three times or more in a row: "hellooooo", "pleaseee", "sooo". */
const STRETCHED = /(\p{L})\1{2,}/u;

/** `token` with its stretched runs cut to two letters where `known` takes that, else to one; undefined if none is stretched. */
export function unstretchedBy(token: string, known: (candidate: string) => boolean): string | undefined {
  if (!STRETCHED.test(token)) return undefined;
  const double = token.replace(/(\p{L})\1{2,}/gu, '$1$1');
  return known(double) ? double : token.replace(/(\p{L})\1{2,}/gu, '$1');
}
