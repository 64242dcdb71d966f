import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Corpus } from '../../nlu/corpus.js';
import { faqCoverageProblems } from '../../nlu/faqCoverage.js';
import { KnowledgeBase } from '../../storage/knowledgeBase.js';
import { createTestCore } from '../helpers/harness.js';

const corpus = (...intents: string[]): Corpus => ({ name: 'x', locale: 'x', data: intents.map((intent) => ({ intent, utterances: [`about ${intent}`] })) });
const entry = (intent: string) => ({ intent, title: intent, answer: `${intent} answered` });

describe('corpus and knowledge base coverage', () => {
  it('finds each FAQ intent nothing answers, each one another language answers, and each entry no intent reaches', async () => {
    const faqDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-coverage-'));
    try {
      await writeFile(path.join(faqDir, 'en.json'), JSON.stringify({ locale: 'en', entries: [entry('faq.returns'), entry('faq.gift_wrap'), entry('faq.shipping')] }));
      await writeFile(path.join(faqDir, 'es.json'), JSON.stringify({ locale: 'es', entries: [entry('faq.returns'), entry('faq.payment')] }));
      const kb = await KnowledgeBase.load(faqDir, ['en', 'es']);
      // English lacks a payment entry, but Spanish (the default here) has one; Spanish has no shipping entry, but English does.
      const corpora = new Map([
        ['en', corpus('greeting', 'faq.returns', 'faq.shipping', 'faq.payment', 'faq.warranty')],
        ['es', corpus('greeting', 'faq.returns', 'faq.shipping', 'faq.warranty')],
      ]);
      const problems = faqCoverageProblems(corpora, kb, { corpusDir: '/corpus', faqDir, defaultLocale: 'es' });
      expect(problems.map(({ intent, lang, file }) => ({ intent, lang, file }))).toEqual([
        { intent: 'faq.warranty', lang: 'en', file: '/corpus/en.json' },
        { intent: 'faq.payment', lang: 'en', file: path.join(faqDir, 'en.json') },
        { intent: 'faq.gift_wrap', lang: 'en', file: path.join(faqDir, 'en.json') },
        { intent: 'faq.warranty', lang: 'es', file: '/corpus/es.json' },
        { intent: 'faq.shipping', lang: 'es', file: path.join(faqDir, 'es.json') },
        { intent: 'faq.payment', lang: 'es', file: path.join(faqDir, 'es.json') },
      ]);
      // Answered, but in another language: a misspelt intent in an entry gave English customers the Spanish answer.
      expect(problems[1]?.message).toBe(`${path.join(faqDir, 'en.json')} has no entry for faq.payment: en customers who ask get the es answer (${path.join(faqDir, 'es.json')})`);
      expect(problems[0]?.message).toBe(
        `/corpus/en.json has the intent faq.warranty, but no FAQ file has an entry for it (${path.join(faqDir, 'en.json')}, nor the fallbacks): en customers who ask it are told there is no answer yet`,
      );
      expect(problems[2]?.message).toBe(`${path.join(faqDir, 'en.json')} has an entry for faq.gift_wrap, but /corpus/en.json has no such intent: en customers reach it only by typing its title`);
    } finally {
      await rm(faqDir, { recursive: true, force: true });
    }
  });

  it('names a missing FAQ file once, with the language its answers come in instead', async () => {
    const faqDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-coverage-'));
    try {
      await writeFile(path.join(faqDir, 'en.json'), JSON.stringify({ locale: 'en', entries: [entry('faq.returns'), entry('faq.shipping')] }));
      const kb = await KnowledgeBase.load(faqDir, ['en', 'zh']);
      const corpora = new Map([['zh', corpus('greeting', 'faq.returns', 'faq.shipping')]]);
      expect(faqCoverageProblems(corpora, kb, { corpusDir: '/corpus', faqDir, defaultLocale: 'en' }).map((p) => p.message)).toEqual([
        `${path.join(faqDir, 'zh.json')} is missing: zh customers get every FAQ answer they ask for in en (${path.join(faqDir, 'en.json')})`,
      ]);
    } finally {
      await rm(faqDir, { recursive: true, force: true });
    }
  });

  it('finds each corpus intent no dialog handles, which would reach the fallback', async () => {
    const faqDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-coverage-'));
    const kb = await KnowledgeBase.load(faqDir, ['en']);
    await rm(faqDir, { recursive: true, force: true });
    const corpora = new Map([['en', corpus('None', 'greeting', 'giftcard.balanse')]]);
    const problems = faqCoverageProblems(corpora, kb, { corpusDir: '/corpus', faqDir: '/faq', defaultLocale: 'en', handles: (intent) => intent === 'greeting' });
    expect(problems.map((p) => p.message)).toEqual([
      '/corpus/en.json has the intent giftcard.balanse, but no dialog handles it (register one in dialogs/index.ts): en customers who ask it get "Sorry, I didn\'t quite get that"',
    ]);
  });

  it('leaves no intent of the shipped corpora to the fallback, or unanswered, at start-up', async () => {
    const lines: string[] = [];
    const env = await createTestCore({}, undefined, pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }));
    await env.cleanup();
    expect(lines.filter((line) => /no dialog handles it|no FAQ file has an entry|has no entry for|is missing:|message\(s\) that English has/.test(line))).toEqual([]);
  });
});
