/** Handoff timestamps for the metrics engine, read from the handoff store's file without opening it for writing. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HandoffFacts } from './compute.js';

/** Loads handoff facts from `<dataDir>/handoffs.json` (absent file: no handoffs yet). */
export function handoffFactsLoader(dataDir: string): () => Promise<HandoffFacts[]> {
  const file = path.join(dataDir, 'handoffs.json');
  return async () => {
    try {
      const doc = JSON.parse(await readFile(file, 'utf8')) as { handoffs?: HandoffFacts[] };
      return Array.isArray(doc.handoffs) ? doc.handoffs : [];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };
}
