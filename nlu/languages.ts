/** The NLP.js language packages behind each supported language. */
import { LangEn } from '@nlpjs/lang-en';
import { LangEs } from '@nlpjs/lang-es';
import { LangFa } from '@nlpjs/lang-fa';
import { LangZh } from '@nlpjs/lang-zh';

const PLUGINS: Record<string, unknown> = { en: LangEn, es: LangEs, fa: LangFa, zh: LangZh };

/** The NLP.js plugin (tokenizer, stemmer, stopwords, sentiment) for `lang`. */
export function languagePlugin(lang: string): unknown {
  const plugin = PLUGINS[lang];
  if (!plugin) throw new Error(`No NLP.js language package is wired for "${lang}"`);
  return plugin;
}
