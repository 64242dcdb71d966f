/** The NLP.js language packages behind each supported language. */
import type { Container } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en';
import { LangEs } from '@nlpjs/lang-es';
import { LangFa } from '@nlpjs/lang-fa';
import { LangZh } from '@nlpjs/lang-zh';

/** A run of Han characters, or a run of other letters/digits (Latin words, "@orderNumber"). */
const ZH_RUNS = /\p{Script=Han}+|(?:@|(?!\p{Script=Han})[\p{L}\p{N}])+/gu;

/**
 * Classifier features for Chinese: Han characters and character bigrams; other words whole.
 *
 * The package's stemmer turns every dictionary word into pinyin syllables with all their readings
 * (要 → "yao1 yao4", 还 → "huan2 hai2"), which merges homophones and adds noise; characters and bigrams are the
 * standard bag-of-features for Chinese text classification and need no word segmentation.
 * Only the intent classifier uses the stemmer; sentiment reads the package's word tokenizer.
 */
export class ZhFeatureStemmer {
  readonly name = 'stemmer-zh';

  stem(tokens: string[] | string, input?: { text?: string; utterance?: string }): string[] {
    const text = (typeof tokens === 'string' ? tokens : (input?.utterance ?? input?.text ?? tokens.join(' '))).toLowerCase();
    const out: string[] = [];
    for (const run of text.match(ZH_RUNS) ?? []) {
      if (!/\p{Script=Han}/u.test(run)) {
        out.push(run);
        continue;
      }
      const chars = [...run];
      out.push(...chars);
      for (let i = 0; i + 1 < chars.length; i += 1) out.push(`${chars[i]}${chars[i + 1]}`);
    }
    return out;
  }
}

/** LangZh (tokenizer, normaliser, stopwords) with the character-feature stemmer above. */
class LangZhFeatures {
  register(container: Container): void {
    container.use(LangZh);
    container.register('stemmer-zh', new ZhFeatureStemmer());
  }
}

const PLUGINS: Record<string, unknown> = { en: LangEn, es: LangEs, fa: LangFa, zh: LangZhFeatures };

/** The NLP.js plugin (tokenizer, stemmer, stopwords, sentiment) for `lang`. */
export function languagePlugin(lang: string): unknown {
  const plugin = PLUGINS[lang];
  if (!plugin) throw new Error(`No NLP.js language package is wired for "${lang}"`);
  return plugin;
}
