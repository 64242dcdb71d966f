/** Handoff timestamps for the metrics engine, read from the handoff store's files without opening them for writing. */
import path from 'node:path';
import { readJournaled } from '../storage/journaledDb.js';
import type { HandoffFacts } from './compute.js';

/** Loads handoff facts from `<dataDir>/handoffs.json` and its journal (absent file: no handoffs yet). */
export function handoffFactsLoader(dataDir: string): () => Promise<HandoffFacts[]> {
  const file = path.join(dataDir, 'handoffs.json');
  return async () => (await readJournaled<HandoffFacts>(file, 'handoffs')) ?? [];
}
