/**
 * Decisions on misunderstood utterances: assigned to an intent (added to the corpus) or ignored. A decided utterance
 * leaves the inbox. Keys are the utterance's normalised form per language (nlu/inbox.ts `utteranceKey`), so
 * "Do you sell gift cards?" and "do you sell gift cards" are decided together. lowdb: the store stays small.
 */
import { z } from 'zod';
import { openJsonDb } from './jsonDb.js';

/** One decision. */
export const InboxDecisionSchema = z.object({
  lang: z.string(),
  key: z.string(),
  /** The text as shown in the inbox (redacted). */
  text: z.string(),
  action: z.enum(['assigned', 'ignored']),
  /** The intent it was assigned to. */
  intent: z.string().nullable(),
  by: z.string(),
  at: z.iso.datetime(),
});
export type InboxDecision = z.infer<typeof InboxDecisionSchema>;

const DocSchema = z.object({ decisions: z.array(InboxDecisionSchema) });
type Doc = z.infer<typeof DocSchema>;

/** Where inbox decisions are kept. */
export interface InboxStore {
  /** Records decisions; a later decision on the same key replaces the earlier one. */
  record(decisions: InboxDecision[]): Promise<void>;
  /** Whether `key` in `lang` has been decided. */
  isDecided(lang: string, key: string): boolean;
  list(): Promise<InboxDecision[]>;
}

/** Decisions in a lowdb document (file, or memory when `file` is null). */
export class LowdbInboxStore implements InboxStore {
  private index = new Set<string>();

  private constructor(private readonly db: Awaited<ReturnType<typeof openJsonDb<Doc>>>) {
    for (const d of db.data.decisions) this.index.add(`${d.lang}\u0000${d.key}`);
  }

  static async open(file: string | null): Promise<LowdbInboxStore> {
    return new LowdbInboxStore(await openJsonDb(file, DocSchema, { decisions: [] }));
  }

  async record(decisions: InboxDecision[]): Promise<void> {
    if (!decisions.length) return;
    const keys = new Set(decisions.map((d) => `${d.lang}\u0000${d.key}`));
    this.db.data.decisions = [...this.db.data.decisions.filter((d) => !keys.has(`${d.lang}\u0000${d.key}`)), ...decisions];
    for (const k of keys) this.index.add(k);
    await this.db.write();
  }

  isDecided(lang: string, key: string): boolean {
    return this.index.has(`${lang}\u0000${key}`);
  }

  async list(): Promise<InboxDecision[]> {
    return [...this.db.data.decisions];
  }
}
