/**
 * The misunderstood-utterance inbox: customer messages the bot did not understand (a fallback turn) or understood
 * with low confidence, grouped so that near-duplicates ("do you sell gift cards", "Do you sell gift cards??") are one
 * line with a count. Grouping is deliberately simple and deterministic: normalised token sets compared by Jaccard
 * similarity against each group's most frequent member. The texts come from the turn log, already PII-redacted.
 */
import { createHash } from 'node:crypto';
import type { TurnRecord } from '../storage/turnLog.js';
import { normalizeForClassification } from './engine.js';
import { comparableText } from './normalize.js';

/** Why an utterance is in the inbox. */
export type InboxKind = 'fallback' | 'lowConfidence';

/** The classifier's best guess for an utterance. */
export interface Guess {
  intent: string;
  score: number | null;
}

/** A group of similar utterances. */
export interface InboxGroup {
  /** Stable while the group's most frequent text stays the same. */
  id: string;
  lang: string;
  /** The commonest spelling of the group's commonest utterance. */
  text: string;
  count: number;
  /** Distinct texts as customers wrote them (redacted), most frequent first. */
  variants: Array<{ text: string; count: number }>;
  /** The intent the classifier most often leaned to, with its best score, and how many of the utterances it was. */
  guess: (Guess & { count: number }) | null;
  kinds: Record<InboxKind, number>;
  firstSeen: string;
  lastSeen: string;
  /** The latest conversations it came from (up to 3), to read in context. */
  examples: Array<{ conversationId: string; ts: string }>;
}

/**
 * The key two utterances share when they are the same for the classifier: lower case, script variants folded,
 * emails and order numbers as placeholders, punctuation dropped, spaces collapsed.
 */
export function utteranceKey(text: string): string {
  return comparableText(normalizeForClassification(text.replace(/\[email\]/g, ' @email ')));
}

/** Tokens of a key: words, and single characters for Han script (Chinese is written without spaces). */
export function tokensOf(key: string): Set<string> {
  return new Set(key.match(/\p{Script=Han}|[^\s\p{Script=Han}]+/gu) ?? []);
}

/** |A ∩ B| / |A ∪ B|; 1 for two empty sets. */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  return shared / (a.size + b.size - shared);
}

const GuessSchemaCheck = (v: unknown): v is Guess =>
  typeof v === 'object' && v !== null && typeof (v as Guess).intent === 'string' && typeof (v as Guess).score === 'number';

/** Small talk is never worth training from a shaky guess ("no thanks" as `thanks` at 0.58). */
const SMALL_TALK = new Set(['greeting', 'thanks', 'goodbye']);

/** A customer message that belongs in the inbox. */
export interface InboxHit {
  record: TurnRecord;
  kind: InboxKind;
  guess: Guess | null;
}

/**
 * Whether a log record belongs in the inbox, and with what guess; `scoreMax` is the low-confidence bar. A message that
 * answers a bot question (`afterPrompt`: an order number, a description) is only listed when it fell to the fallback.
 */
export function inboxEntry(r: TurnRecord, scoreMax: number, afterPrompt = false): Omit<InboxHit, 'record'> | undefined {
  if (r.direction !== 'in' || r.actor !== 'customer' || r.type !== undefined) return undefined;
  // Survey answers and messages relayed to an agent are not for the classifier.
  if (r.dialog === 'survey' || r.dialog === 'handoff' || r.handoffId) return undefined;
  const text = r.text.trim();
  if (!text || /^\[[\w-]+\]$/.test(text)) return undefined; // empty, or a placeholder such as [verification]
  if (r.outcome === 'fallback') {
    const candidate = r.data?.candidate;
    const guess = GuessSchemaCheck(candidate) ? candidate : r.intent && r.intent !== 'None' ? { intent: r.intent, score: r.score } : null;
    return { kind: 'fallback', guess: guess && guess.intent !== 'None' ? guess : null };
  }
  if (afterPrompt || !r.intent || r.intent === 'None' || SMALL_TALK.has(r.intent) || r.score === null || r.score >= scoreMax) return undefined;
  return { kind: 'lowConfidence', guess: { intent: r.intent, score: r.score } };
}

/**
 * Picks the inbox's messages from records in log order (it remembers, per conversation, whether the bot's last
 * message was a question). Messages that are nothing but an order number or an email are skipped.
 */
export class InboxCollector {
  readonly hits: InboxHit[] = [];
  private readonly prompted = new Map<string, boolean>();

  constructor(
    private readonly scoreMax: number,
    private readonly keep: (r: TurnRecord) => boolean = () => true,
  ) {}

  add(r: TurnRecord): void {
    if (r.direction === 'out') {
      if (r.actor === 'bot' && r.type === undefined) this.prompted.set(r.conversationId, r.outcome === 'prompted');
      return;
    }
    const hit = inboxEntry(r, this.scoreMax, this.prompted.get(r.conversationId) ?? false);
    if (!hit || !this.keep(r) || /^(?:@\w+|\d+)(?: (?:@\w+|\d+))*$/.test(utteranceKey(r.text))) return;
    this.hits.push({ record: r, ...hit });
  }
}

interface Entry {
  key: string;
  lang: string;
  tokens: Set<string>;
  count: number;
  texts: Map<string, number>;
  guesses: Map<string, { count: number; score: number | null }>;
  kinds: Record<InboxKind, number>;
  firstSeen: string;
  lastSeen: string;
  examples: Array<{ conversationId: string; ts: string }>;
}

/** Options of the grouping. */
export interface GroupOptions {
  /** Jaccard similarity from which an utterance joins a group. */
  similarity: number;
  /** Keys already assigned or ignored (`lang \u0000 key`): they have left the inbox. */
  decided?: (lang: string, key: string) => boolean;
  /** Most distinct utterances grouped (the most frequent); bounds the work on a huge log. */
  maxDistinct?: number;
}

const byCount = <T extends { count: number }>(a: [string, T], b: [string, T]) => b[1].count - a[1].count || a[0].localeCompare(b[0]);

/** Groups inbox messages (any order), largest group first. */
export function groupInbox(hits: Iterable<InboxHit>, options: GroupOptions): InboxGroup[] {
  const entries = new Map<string, Entry>();
  for (const hit of hits) {
    const r = hit.record;
    const key = utteranceKey(r.text);
    if (!key || options.decided?.(r.locale, key)) continue;
    const id = `${r.locale}\u0000${key}`;
    let e = entries.get(id);
    if (!e) {
      e = { key, lang: r.locale, tokens: tokensOf(key), count: 0, texts: new Map(), guesses: new Map(), kinds: { fallback: 0, lowConfidence: 0 }, firstSeen: r.ts, lastSeen: r.ts, examples: [] };
      entries.set(id, e);
    }
    e.count += 1;
    const text = r.text.trim().replace(/\s+/g, ' ');
    e.texts.set(text, (e.texts.get(text) ?? 0) + 1);
    e.kinds[hit.kind] += 1;
    if (hit.guess) {
      const g = e.guesses.get(hit.guess.intent) ?? { count: 0, score: null };
      g.count += 1;
      if (hit.guess.score !== null) g.score = Math.max(g.score ?? 0, hit.guess.score);
      e.guesses.set(hit.guess.intent, g);
    }
    if (r.ts < e.firstSeen) e.firstSeen = r.ts;
    if (r.ts > e.lastSeen) e.lastSeen = r.ts;
    e.examples.push({ conversationId: r.conversationId, ts: r.ts });
    if (e.examples.length > 6) e.examples = e.examples.sort((a, b) => b.ts.localeCompare(a.ts)).slice(0, 3);
  }

  const sorted = [...entries.values()].sort((a, b) => b.count - a.count || a.lang.localeCompare(b.lang) || a.key.localeCompare(b.key));
  const clusters: Entry[][] = [];
  for (const e of sorted.slice(0, options.maxDistinct ?? 5000)) {
    let best: Entry[] | undefined;
    let bestScore = options.similarity;
    for (const c of clusters) {
      const head = c[0]!;
      if (head.lang !== e.lang) continue;
      const score = jaccard(head.tokens, e.tokens);
      if (score >= bestScore && (!best || score > bestScore)) {
        best = c;
        bestScore = score;
      }
    }
    if (best) best.push(e);
    else clusters.push([e]);
  }
  return clusters.map(toGroup).sort((a, b) => b.count - a.count || a.lang.localeCompare(b.lang) || a.text.localeCompare(b.text));
}

function toGroup(members: Entry[]): InboxGroup {
  const head = members[0]!;
  const texts = new Map<string, number>();
  const guesses = new Map<string, { count: number; score: number | null }>();
  const kinds = { fallback: 0, lowConfidence: 0 };
  for (const m of members) {
    for (const [t, n] of m.texts) texts.set(t, (texts.get(t) ?? 0) + n);
    for (const [intent, g] of m.guesses) {
      const cur = guesses.get(intent) ?? { count: 0, score: null };
      guesses.set(intent, { count: cur.count + g.count, score: g.score === null ? cur.score : Math.max(cur.score ?? 0, g.score) });
    }
    kinds.fallback += m.kinds.fallback;
    kinds.lowConfidence += m.kinds.lowConfidence;
  }
  const variants = [...texts].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
  const topGuess = [...guesses].sort(byCount)[0];
  // The group's face: the commonest spelling of its commonest utterance.
  const face = [...head.texts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  return {
    id: createHash('sha256').update(`${head.lang}\u0000${head.key}`).digest('hex').slice(0, 12),
    lang: head.lang,
    text: face,
    count: members.reduce((n, m) => n + m.count, 0),
    variants,
    guess: topGuess ? { intent: topGuess[0], score: topGuess[1].score, count: topGuess[1].count } : null,
    kinds,
    firstSeen: members.map((m) => m.firstSeen).sort()[0]!,
    lastSeen: members.map((m) => m.lastSeen).sort().at(-1)!,
    examples: members.flatMap((m) => m.examples).sort((a, b) => b.ts.localeCompare(a.ts)).slice(0, 3),
  };
}
