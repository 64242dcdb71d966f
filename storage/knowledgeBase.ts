/** The FAQ knowledge base: one validated JSON file per language under data/faq/. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BASE_LANGUAGE, fill } from '../i18n/index.js';
import { normalizeScript } from '../nlu/normalize.js';
import { DataFileError, parseDocument, uniqueBy } from './jsonDb.js';

/**
 * Placeholders an answer may hold, filled from the configuration when it is sent, so the FAQ never contradicts it:
 * `{hours}` is the team's hours (BUSINESS_HOURS, in the customer's language and with the time zone), `{replyHours}` the
 * working hours a request of normal priority is promised a reply in (SLA_HOURS.normal).
 */
export const FAQ_PLACEHOLDERS = ['hours', 'replyHours'] as const;
export type FaqPlaceholder = (typeof FAQ_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{([^{}\s]*)\}/g;

/** An answer's text: a `{name}` must be a known placeholder, or the customer would see the braces. */
const AnswerText = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    for (const [, name] of text.matchAll(PLACEHOLDER)) {
      if (!(FAQ_PLACEHOLDERS as readonly string[]).includes(name!)) {
        ctx.addIssue({ code: 'custom', message: `unknown placeholder {${name}} (known: ${FAQ_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})` });
      }
    }
  });

// Strict: a misspelt optional key ("variant", "Answer") was dropped without a word, and its answer never given.
const FaqEntrySchema = z.strictObject({
  // The corpus's intent names (nlu/corpus.ts), under "faq.": "faq.gift_cards", "faq.gift.cards".
  intent: z.string().regex(/^faq(\.[a-z_]+)+$/, 'FAQ intents are "faq." and lowercase words (a–z, _) joined by dots, as in the corpus: "faq.gift_cards"'),
  title: z.string().min(1),
  answer: AnswerText,
  variants: z.array(z.strictObject({ keywords: z.array(z.string().min(1)).min(1), answer: AnswerText })).default([]),
});
export type FaqEntry = z.infer<typeof FaqEntrySchema>;

/** A keyword and its English-style plurals, so "po box" matches "po boxes" and "delivery" "deliveries". */
function plurals(keyword: string): string[] {
  const forms = [keyword, `${keyword}s`, `${keyword}es`];
  if (/[^aeiou]y$/.test(keyword)) forms.push(`${keyword.slice(0, -1)}ies`);
  return forms;
}

/** One language's knowledge base file. */
export const FaqFileSchema = z.strictObject({
  locale: z.string().min(2),
  entries: z.array(FaqEntrySchema).superRefine(uniqueBy((e) => e.intent, 'each intent has one entry')),
});

/** Plural, possessive and colloquial "is" endings a Persian keyword may carry ("کارتم", "کارتها", "رایگانه"). */
const PERSIAN_ENDINGS = '(?:ها|های|هایی|هام|هامو|م|ت|ش|مو|تو|شو|مون|تون|شون|ام|ات|اش|ی|ای|رو|و|ه|ست|یه)?';

/** Fills an answer's placeholders as the catalogues' are filled; `{hours}` and the like stay as written when `values` lacks them. */
export function fillAnswer(text: string, values: Partial<Record<FaqPlaceholder, string>>): string {
  return fill(text, values as Record<FaqPlaceholder, string>);
}

/** An answer chosen for a question. */
export interface FaqAnswer {
  intent: string;
  title: string;
  /** The answer as written, placeholders included (`fillAnswer`). */
  text: string;
  /** Which variant matched, when one did. */
  variant?: number;
}

/** Answers FAQ intents per language, picking the variant whose keywords appear in the question. */
export class KnowledgeBase {
  private constructor(private readonly byLang: Map<string, Map<string, FaqEntry>>) {}

  /** Loads `<dir>/<lang>.json` for each language that has one. */
  static async load(dir: string, langs: readonly string[]): Promise<KnowledgeBase> {
    const byLang = new Map<string, Map<string, FaqEntry>>();
    for (const lang of langs) {
      const file = path.join(dir, `${lang}.json`);
      if (!existsSync(file)) continue;
      const doc = parseDocument(file, await readFile(file, 'utf8'), FaqFileSchema, { kind: 'source' });
      // A copied file keeps its locale: "en" inside zh.json says its answers may not be Chinese yet.
      if (doc.locale.slice(0, 2).toLowerCase() !== lang) throw new DataFileError(file, `says "locale": "${doc.locale}", but the file answers ${lang} customers`, 'source');
      byLang.set(lang, new Map(doc.entries.map((e) => [e.intent, e])));
    }
    return new KnowledgeBase(byLang);
  }

  /** The languages that have a file. */
  languages(): string[] {
    return [...this.byLang.keys()];
  }

  /** FAQ intents known in a language. */
  intents(lang: string): string[] {
    return [...(this.byLang.get(lang)?.keys() ?? [])];
  }

  /** The title of `intent`'s entry in `lang`, if that language has one. */
  title(intent: string, lang: string): string | undefined {
    return this.byLang.get(lang)?.get(intent)?.title;
  }

  /**
   * The language whose entry answers `intent` for a customer writing `lang`: theirs, else `fallbackLang` (the
   * configured DEFAULT_LOCALE), else English, else any language that has one. A partly translated knowledge base
   * still answers, in the language most likely to be read.
   */
  answeringLanguage(intent: string, lang: string, fallbackLang = BASE_LANGUAGE): string | undefined {
    return [lang, fallbackLang, BASE_LANGUAGE, ...this.byLang.keys()].find((l) => this.byLang.get(l)?.has(intent));
  }

  /** The answer for `intent` to a customer writing `lang` (see `answeringLanguage`), tailored to `question` when a variant matches. */
  answer(intent: string, lang: string, question: string, fallbackLang = BASE_LANGUAGE): FaqAnswer | undefined {
    const from = this.answeringLanguage(intent, lang, fallbackLang);
    const entry = from && this.byLang.get(from)?.get(intent);
    if (!entry) return undefined;
    // Question and keywords get the same folding, so "می‌خواهم", "میخواهم" and "می خواهم" are one word.
    const words = (text: string): string => normalizeScript(text).toLowerCase().replace(/[^\p{L}\p{N}\s]+/gu, ' ').replace(/\s+/g, ' ').trim();
    const q = ` ${words(question)} `;
    // The variant with the most keyword hits wins; ties go to the first listed.
    let best = -1;
    let bestHits = 0;
    entry.variants.forEach((v, i) => {
      const hits = v.keywords.filter((k) => {
        const kw = words(k);
        // Scripts without spaces (Chinese) match anywhere; others as whole words (plural allowed): "fee" must not fire on "feel".
        if (/[\u3400-\u9fff]/.test(kw)) return q.includes(kw);
        // Persian attaches plural and possessive endings to the word: "کارت" also matches "کارتم", "کارتها".
        // Compounds come with a space or a ZWNJ ("بین المللی", "بین‌المللی" → "بینالمللی"): both spellings match.
        if (/[\u0600-\u06ff]/.test(kw)) return new RegExp(` (?:${kw}|${kw.replace(/ /g, '')})${PERSIAN_ENDINGS} `).test(q);
        return plurals(kw).some((form) => q.includes(` ${form} `));
      }).length;
      if (hits > bestHits) {
        best = i;
        bestHits = hits;
      }
    });
    const variant = best >= 0 ? entry.variants[best] : undefined;
    return { intent, title: entry.title, text: variant ? variant.answer : entry.answer, ...(variant ? { variant: best } : {}) };
  }
}
