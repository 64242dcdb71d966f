/**
 * The misunderstood-utterance inbox: grouping (units), then the loop over real HTTP: customers the bot does not
 * understand → GET /api/inbox → a lead assigns a group to an intent → the corpus file (a copy, never the repository's)
 * gains it, keeping its formatting → an engine retrained from that corpus understands the utterance.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusEditor } from '../../nlu/corpusEditor.js';
import { NluEngine } from '../../nlu/engine.js';
import { groupInbox, InboxCollector, jaccard, tokensOf, utteranceKey } from '../../nlu/inbox.js';
import { NlpRecognizer } from '../../nlu/recognizer.js';
import type { TurnRecord } from '../../storage/turnLog.js';
import { api, login } from '../helpers/agentClient.js';
import { ROOT } from '../helpers/paths.js';
import { customerActivity, postActivity, startTestServer, type TestServer } from '../helpers/server.js';

const REPO_CORPUS = path.join(ROOT, 'nlu', 'corpus');
const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

let n = 0;
function rec(text: string, fields: Partial<TurnRecord> = {}): TurnRecord {
  n += 1;
  return {
    id: `r${n}`, ts: `2026-11-25T10:${String(n % 60).padStart(2, '0')}:00.000Z`, conversationId: `c${n}`, channel: 'webchat', locale: 'en', direction: 'in',
    customerId: 'u', actor: 'customer', text, intent: 'None', score: 0.9, entities: {}, sentiment: null, dialog: 'fallback', outcome: 'fallback', latencyMs: null,
    ...fields,
  };
}

describe('grouping (units)', () => {
  it('normalises utterances and compares token sets', () => {
    expect(utteranceKey('  Do you sell GIFT cards?? ')).toBe('do you sell gift cards');
    expect(utteranceKey('where is 10435, my email is [email]')).toBe('where is @ordernumber my email is @email');
    expect([...tokensOf('学生有优惠吗 ok')]).toEqual(['学', '生', '有', '优', '惠', '吗', 'ok']);
    expect(jaccard(tokensOf('do you price match'), tokensOf('do you do price matching'))).toBeCloseTo(0.6, 12);
  });

  it('groups near-duplicates per language, with counts and the best guess; skips prompt answers and decided ones', () => {
    const records = [
      rec('Do you price match?', { data: { candidate: { intent: 'faq.payment', score: 0.4 } } }),
      rec('do you price match', { data: { candidate: { intent: 'faq.payment', score: 0.45 } } }),
      rec('do you do price matching'),
      rec('is the blue sofa back in stock'),
      rec('is the blue sofa back in stock', { locale: 'fa' }),
      rec('my coupon isnt working', { intent: 'complaint', score: 0.59, dialog: 'complaint', outcome: 'prompted' }),
      rec('thanks I guess', { intent: 'thanks', score: 0.5, dialog: 'smallTalk', outcome: 'answered' }),
      rec('5', { dialog: 'survey', outcome: 'survey' }),
      rec('[verification]', { dialog: 'orderStatus', outcome: 'answered' }),
      // An answer to the bot's question ("which order?"): not a misunderstanding, even when the guess was weak.
      rec('where is my order?', { conversationId: 'q', intent: 'order.status', score: 0.99, dialog: 'orderStatus', outcome: 'prompted' }),
      rec('it is a lamp', { conversationId: 'q', direction: 'out', actor: 'bot', intent: null, score: null, dialog: 'orderStatus', outcome: 'prompted' }),
      rec('the red one from last week', { conversationId: 'q', intent: 'order.status', score: 0.5, dialog: 'orderStatus', outcome: 'prompted' }),
      rec('10435', { intent: 'order.status', score: 0.6, dialog: 'orderStatus', outcome: 'prompted' }),
      rec('already decided', {}),
    ];
    const collector = new InboxCollector(0.7);
    for (const r of records) collector.add(r);
    const groups = groupInbox(collector.hits, { similarity: 0.6, decided: (lang, key) => lang === 'en' && key === 'already decided' });
    expect(groups.map((g) => [g.lang, g.text, g.count])).toEqual([
      ['en', 'do you price match', 2 + 1],
      ['en', 'is the blue sofa back in stock', 1],
      ['en', 'my coupon isnt working', 1],
      ['fa', 'is the blue sofa back in stock', 1],
    ]);
    const price = groups[0]!;
    expect(price.variants).toHaveLength(3);
    expect(price.variants).toEqual(expect.arrayContaining([{ text: 'Do you price match?', count: 1 }, { text: 'do you do price matching', count: 1 }]));
    expect(price.guess).toEqual({ intent: 'faq.payment', score: 0.45, count: 2 });
    expect(price.kinds).toEqual({ fallback: 3, lowConfidence: 0 });
    expect(groups[2]).toMatchObject({ guess: { intent: 'complaint', score: 0.59 }, kinds: { fallback: 0, lowConfidence: 1 } });
  });
});

describe('corpus editor', () => {
  it('adds utterances keeping the file formatting (indent, final newline or none), skips duplicates', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-corpus-'));
    try {
      await cp(REPO_CORPUS, dir, { recursive: true });
      const editor = new CorpusEditor(dir);
      const before = await readFile(path.join(dir, 'zh.json'), 'utf8');
      const result = await editor.add('zh', 'None', ['温网冠军是谁', '温网冠军是谁？', '你好']);
      expect(result.added).toEqual(['温网冠军是谁']);
      expect(result.skipped).toEqual([
        { text: '温网冠军是谁？', reason: 'duplicate', intent: 'None' },
        { text: '你好', reason: 'other_intent', intent: 'greeting' },
      ]);
      const after = await readFile(path.join(dir, 'zh.json'), 'utf8');
      const doc = JSON.parse(before);
      doc.data.find((d: { intent: string }) => d.intent === 'None').utterances.push('温网冠军是谁');
      expect(after).toBe(JSON.stringify(doc, null, 2)); // zh.json has no final newline, and keeps none
      expect((await editor.add('en', 'faq.returns', ['where is 10435 going back to'])).added).toEqual(['where is @orderNumber going back to']);
      expect((await readFile(path.join(dir, 'en.json'), 'utf8')).endsWith('}\n')).toBe(true);
      await expect(editor.add('en', 'faq.giftcards', ['x'])).rejects.toThrow(/"faq.giftcards" is not an intent of the en corpus/);
      await expect(editor.add('xx', 'None', ['x'])).rejects.toThrow(/There is no corpus for language "xx"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('inbox over HTTP: assign → corpus → retrained engine', () => {
  let server: TestServer;
  let corpusDir: string;
  let lead: { token: string; cookie: string; csrf: string };
  let repoHash: string;
  const UTTERANCE = 'the website keeps crashing during checkout';

  beforeAll(async () => {
    repoHash = await sha(path.join(REPO_CORPUS, 'en.json'));
    corpusDir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-corpus-'));
    await cp(REPO_CORPUS, corpusDir, { recursive: true });
    server = await startTestServer({ CORPUS_DIR: corpusDir, ADMIN_USER: 'admin', ADMIN_PASSWORD: 'admin-password-1' });
    const admin = await login(server.url, 'admin', 'admin-password-1');
    await api(server.url, 'POST', '/api/users', { token: admin.token, body: { username: 'lee', password: 'lead-password-1', role: 'lead' } });
    await api(server.url, 'POST', '/api/users', { token: admin.token, body: { username: 'ann', password: 'agent-password-1', role: 'agent' } });
    lead = await login(server.url, 'lee', 'lead-password-1');
    const say = (conv: string, text: string, locale = 'en-US') => postActivity(server.url, customerActivity(text, conv, { locale, from: { id: `u-${conv}` } }));
    await say('w1', UTTERANCE);
    await say('w2', 'The website keeps crashing during checkout!');
    await say('w3', 'do you have a loyalty programme');
    await say('z1', '温网冠军是谁', 'zh-CN');
    await say('o1', 'where is my order?');
    await say('o1', '10435');
  });
  afterAll(async () => {
    await server?.stop();
    await rm(corpusDir, { recursive: true, force: true });
  });

  const inbox = async () => (await api(server.url, 'GET', '/api/inbox?range=today', { token: lead.token })).body;

  it('lists what the bot did not understand, grouped, with the intents each language offers', async () => {
    const body = await inbox();
    expect(body.groups.map((g: { lang: string; text: string; count: number }) => [g.lang, g.text, g.count])).toEqual([
      ['en', UTTERANCE, 2],
      ['en', 'do you have a loyalty programme', 1],
      ['zh', '温网冠军是谁', 1],
    ]);
    expect(body.groups[0].examples.map((e: { conversationId: string }) => e.conversationId).sort()).toEqual(['w1', 'w2']);
    expect(body.intents.en).toContain('complaint');
    // The command trains the model this server reads: without its DATA_DIR and CORPUS_DIR it trained the default's.
    expect(body.retrain).toBe(`DATA_DIR=${server.dataDir} CORPUS_DIR=${corpusDir} npm run -s nlu -- train`);
    // The dashboard passes its channel and language filters on: a tag ("zh-CN") was refused with 400, and the channel
    // was not filtered, so the inbox listed other channels' messages under a one-channel view.
    const list = async (query: string) => (await api(server.url, 'GET', `/api/inbox?range=today&${query}`, { token: lead.token })).body;
    expect((await list('lang=zh-CN')).groups.map((g: { text: string }) => g.text)).toEqual(['温网冠军是谁']);
    expect((await list('channel=webchat')).groups).toHaveLength(3);
    expect(await list('channel=telegram')).toMatchObject({ channel: 'telegram', groups: [] });
  });

  it('assigning adds the texts to the corpus copy (not the repository), once; they leave the inbox', async () => {
    const group = (await inbox()).groups[0];
    const texts = group.variants.map((v: { text: string }) => v.text);
    const noCsrf = await api(server.url, 'POST', '/api/inbox/assign', { cookie: lead.cookie, body: { lang: 'en', intent: 'complaint', texts } });
    expect(noCsrf.status).toBe(403);
    const res = await api(server.url, 'POST', '/api/inbox/assign', { cookie: lead.cookie, csrf: lead.csrf, body: { lang: 'en', intent: 'complaint', texts } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ added: [UTTERANCE], skipped: [{ reason: 'duplicate', intent: 'complaint' }] });
    expect(res.body.message).toBe(`Added 1 utterance to complaint in ${res.body.file}. Run "${res.body.retrain}" and restart the bot to use them.`);
    expect(res.body.retrain).toContain(`DATA_DIR=${server.dataDir} `);
    const corpus = JSON.parse(await readFile(path.join(corpusDir, 'en.json'), 'utf8'));
    expect(corpus.data.find((d: { intent: string }) => d.intent === 'complaint').utterances.at(-1)).toBe(UTTERANCE);
    expect(await sha(path.join(REPO_CORPUS, 'en.json'))).toBe(repoHash);
    expect((await inbox()).groups.map((g: { text: string }) => g.text)).toEqual(['do you have a loyalty programme', '温网冠军是谁']);
    const again = await api(server.url, 'POST', '/api/inbox/assign', { token: lead.token, body: { lang: 'en', intent: 'complaint', texts: [UTTERANCE] } });
    expect(again.body).toMatchObject({ added: [], message: 'Nothing was added: every text is already in the corpus.' });
  });

  it('ignoring dismisses a group; bad requests get a precise 400; agents get 403', async () => {
    const ignored = await api(server.url, 'POST', '/api/inbox/ignore', { token: lead.token, body: { lang: 'zh', texts: ['温网冠军是谁'] } });
    expect(ignored.body).toEqual({ lang: 'zh', ignored: 1 });
    expect((await inbox()).groups.map((g: { text: string }) => g.text)).toEqual(['do you have a loyalty programme']);
    const bad: Array<[unknown, string, RegExp]> = [
      [{ lang: 'en', intent: 'faq.giftcards', texts: ['x'] }, 'unknown_intent', /"faq.giftcards" is not an intent of the en corpus/],
      [{ lang: 'de', intent: 'None', texts: ['x'] }, 'unknown_language', /There is no corpus for language "de"/],
      [{ lang: 'en', intent: 'None', texts: [] }, 'invalid_request', /texts: must hold at least one text/],
      [{ lang: 'en', intent: 'None', texts: ['a\u0007b'] }, 'invalid_request', /texts\.0: must not contain control characters/],
      [{ lang: 'en', intent: 'None', texts: ['x'], extra: 1 }, 'invalid_request', /Unrecognized key: "extra"/],
    ];
    for (const [body, code, message] of bad) {
      const res = await api(server.url, 'POST', '/api/inbox/assign', { token: lead.token, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(message);
    }
    // Listing a language the bot does not serve was an empty 200 ("lang": "xx"), while assigning to it was refused.
    const unserved = await api(server.url, 'GET', '/api/inbox?lang=xx', { token: lead.token });
    expect(unserved).toMatchObject({ status: 400, body: { error: { code: 'unknown_language', message: expect.stringMatching(/lang must be one of en/) } } });
    const agent = await login(server.url, 'ann', 'agent-password-1');
    expect((await api(server.url, 'POST', '/api/inbox/ignore', { token: agent.token, body: { lang: 'en', texts: ['x'] } })).status).toBe(403);
    // A corpus file a developer broke is named, with where, and left as it was: the lead got "Something went wrong".
    const file = path.join(corpusDir, 'es.json');
    const good = await readFile(file, 'utf8');
    const broken = good.replace('"intent":', '"intent"');
    await writeFile(file, broken);
    try {
      const res = await api(server.url, 'POST', '/api/inbox/assign', { token: lead.token, body: { lang: 'es', intent: 'None', texts: ['una frase nueva'] } });
      expect(res).toMatchObject({ status: 500, body: { error: { code: 'corpus_unreadable', message: expect.stringMatching(/^Nothing was added: .*es\.json: is not valid JSON at line \d+, column \d+/) } } });
      expect(await readFile(file, 'utf8')).toBe(broken);
    } finally {
      await writeFile(file, good);
    }
  });

  it('an engine trained from the edited corpus understands the assigned utterance (the running one does not)', async () => {
    const threshold = { threshold: server.app.core.config.NLU_THRESHOLD, ambiguityMargin: server.app.core.config.NLU_AMBIGUITY_MARGIN };
    const before = await server.app.core.recognizer.recognizeText(UTTERANCE, 'en');
    expect(before.intent).not.toBe('complaint');
    const told: string[] = [];
    const retrained = await NluEngine.create({ languages: ['en'], corpusDir, modelFile: null, onTraining: (reason) => told.push(reason) });
    // The terminal chat prints this: at its log level a training looked like a hang.
    expect(told).toEqual(['Training the NLU model']);
    const after = await new NlpRecognizer(retrained, threshold).recognizeText(UTTERANCE, 'en');
    expect(after.intent).toBe('complaint');
  }, 120_000);
});
