/** The NLP.js language packages behind each supported language. */
import { createRequire } from 'node:module';
import { type Container, Tokenizer } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en';
import { LangEs } from '@nlpjs/lang-es';
import { LangFa } from '@nlpjs/lang-fa';
import { LangZh } from '@nlpjs/lang-zh';
import { SortedWords } from './sortedWords.js';

/** A run of Han characters, or a run of other letters/digits (Latin words, "@orderNumber"). */
const ZH_RUNS = /\p{Script=Han}+|(?:@|(?!\p{Script=Han})[\p{L}\p{N}])+/gu;

/**
 * Classifier features for Chinese: Han characters and character bigrams; other words whole.
 *
 * The package's stemmer turns every dictionary word into pinyin syllables with all their readings
 * (要 → "yao1 yao4", 还 → "huan2 hai2"), which merges homophones and adds noise; characters and bigrams are the
 * standard bag-of-features for Chinese text classification and need no word segmentation.
 * Only the intent classifier uses the stemmer; sentiment reads the word tokenizer (ZhWordTokenizer) below.
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

/** CC-CEDICT as the Chinese package ships it: one entry per line, "traditional simplified [pinyin] /glosses/". */
const CEDICT_MODULE = '@nlpjs/lang-zh/src/cedict_ts.u8.js';
/** The package's longest-match window, in UTF-16 units. */
const ZH_MAX_WORD = 8;

/** CC-CEDICT's headwords (traditional and simplified), read once and shared by every container. */
let cedictWords: SortedWords | undefined;
function cedictHeadwords(): SortedWords {
  if (cedictWords) return cedictWords;
  const require = createRequire(import.meta.url);
  const id = require.resolve(CEDICT_MODULE);
  const text = require(id) as string;
  // The module's text is 9 MB: once its words are out, let it go.
  delete require.cache[id];
  const words: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const [traditional, simplified] = line.split(' ', 2);
    if (traditional) words.push(traditional);
    if (simplified) words.push(simplified);
  }
  cedictWords = new SortedWords(words, ZH_MAX_WORD);
  return cedictWords;
}

/**
 * Chinese words for sentiment, segmented as the package's tokenizer does (longest CC-CEDICT match from the left, else
 * one character), from a set of the dictionary's headwords. The package compiles the whole dictionary, readings and
 * glosses, into JavaScript objects on first use: 110 MB, two thirds of the bot's heap, which every major garbage
 * collection then marked, stalling turns under load. The headwords alone, kept as `SortedWords`, take about 1 MB.
 */
export class ZhWordTokenizer extends Tokenizer {
  private readonly words = cedictHeadwords();

  constructor(container: Container) {
    super(container, true);
    this.name = 'tokenizer-zh';
  }

  override innerTokenize(text: string): string[] {
    const out: string[] = [];
    for (let i = 0; i < text.length; ) {
      let n = Math.min(ZH_MAX_WORD, text.length - i);
      while (n > 1 && !this.words.has(text.slice(i, i + n))) n -= 1;
      out.push(text.slice(i, i + n));
      i += n;
    }
    return out;
  }
}

/** LangZh (normaliser, stopwords, sentiment) with the word tokenizer and the character-feature stemmer above. */
class LangZhFeatures {
  register(container: Container): void {
    container.use(LangZh);
    container.register('tokenizer-zh', new ZhWordTokenizer(container), true);
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
