// Minimal typings for the parts of NLP.js v4 this project uses (the packages ship none).
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): unknown;
    get<T = any>(name: string, settings?: unknown): T;
    register(name: string, value: unknown, isSingleton?: boolean): void;
    registerConfiguration(tag: string, configuration: Record<string, unknown>, overwrite?: boolean): void;
  }
  export function containerBootstrap(settings?: unknown): Promise<Container>;
  export class Tokenizer {
    constructor(container?: Container, shouldNormalize?: boolean);
    name: string;
    innerTokenize(text: string): string[];
    tokenize(text: string, normalize?: boolean): string[];
  }
}
declare module '@nlpjs/nlp' {
  export class Nlp {}
}
declare module '@nlpjs/lang-en' {
  export class LangEn {}
}
declare module '@nlpjs/lang-es' {
  export class LangEs {}
}
declare module '@nlpjs/lang-zh' {
  export class LangZh {}
}
declare module '@nlpjs/lang-fa' {
  export class LangFa {}
}
declare module '@nlpjs/sentiment' {
  export class SentimentAnalyzer {
    constructor(settings?: unknown, container?: unknown);
    container: import('@nlpjs/core').Container;
    process(input: { utterance: string; locale: string }): Promise<{ sentiment: RawSentiment }>;
    prepare(locale: string, text: string, settings?: unknown, stemmed?: boolean): string[] | Promise<string[]>;
    calculate(input: any): any;
  }
  export interface RawSentiment {
    score: number;
    numWords: number;
    numHits: number;
    average: number;
    type?: string;
    locale: string;
    vote: 'positive' | 'negative' | 'neutral';
  }
}
declare module '@nlpjs/language' {
  export class Language {
    guess(text: string, allowList?: string[] | null, limit?: number): Array<{ alpha3: string; alpha2: string; language: string; score: number }>;
    guessBest(text: string, allowList?: string[] | null): { alpha3: string; alpha2: string; language: string; score: number };
  }
}
