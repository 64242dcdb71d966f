/**
 * Button labels of intents ("Track an order"): the catalogue's `intent.<name>` text, else the FAQ entry's title, so a
 * new FAQ answer needs no catalogue text. The router's "which did you mean?" buttons show them, and a customer who
 * clicks or types one reaches that intent directly.
 */
import { BASE_LANGUAGE, catalogue } from '../i18n/index.js';
import type { KnowledgeBase } from '../storage/knowledgeBase.js';
import { normalizePhrase } from './supportDialog.js';

const LABEL_PREFIX = 'intent.';

/** Labels of intents per language, from the catalogues and the knowledge base. */
export class IntentLabels {
  private readonly byText = new Map<string, Map<string, string>>();

  constructor(private readonly knowledgeBase: KnowledgeBase) {}

  /**
   * The label of `intent` in `lang`: its catalogue text, else its FAQ title, else the same in English. An intent with
   * neither (a test flags it) is shown by its last name part rather than failing the customer's turn.
   */
  label(intent: string, lang: string): string {
    return this.labelIn(intent, lang) ?? this.labelIn(intent, BASE_LANGUAGE) ?? humanize(intent);
  }

  /** Whether `intent` has a label of its own in `lang` or English (not the last-resort name). */
  hasLabel(intent: string, lang: string): boolean {
    return (this.labelIn(intent, lang) ?? this.labelIn(intent, BASE_LANGUAGE)) !== undefined;
  }

  /** The intent whose label `text` is, in `lang` (case, spacing and punctuation aside). */
  intentOf(text: string, lang: string): string | undefined {
    let labels = this.byText.get(lang);
    if (!labels) {
      labels = new Map();
      for (const [key, label] of Object.entries(catalogue(lang) ?? {})) {
        if (key.startsWith(LABEL_PREFIX)) labels.set(normalizePhrase(label), key.slice(LABEL_PREFIX.length));
      }
      // Only intents without a catalogue label: a title never takes a catalogue label's words from another intent.
      // An FAQ that only English has is labelled with its English title in every language, and is clicked as such.
      for (const intent of new Set([...this.knowledgeBase.intents(lang), ...this.knowledgeBase.intents(BASE_LANGUAGE)])) {
        if (catalogue(lang)?.[LABEL_PREFIX + intent] !== undefined) continue;
        const title = normalizePhrase(this.label(intent, lang));
        if (!labels.has(title)) labels.set(title, intent);
      }
      this.byText.set(lang, labels);
    }
    return labels.get(normalizePhrase(text));
  }

  private labelIn(intent: string, lang: string): string | undefined {
    return catalogue(lang)?.[LABEL_PREFIX + intent] ?? this.knowledgeBase.title(intent, lang);
  }
}

/** "faq.gift_wrap" → "Gift wrap". */
function humanize(intent: string): string {
  const last = (intent.split('.').at(-1) ?? intent).replace(/_/g, ' ');
  return last.charAt(0).toUpperCase() + last.slice(1);
}
