/** Knowledge bases for tests: the shipped one, copied, with an entry of the test's own. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './paths.js';

/** An FAQ entry that only a test adds. */
export interface TestFaqEntry {
  intent: string;
  title: string;
  answer: string;
}

/** A knowledge base folder and the entry added to it. */
export interface TestKnowledgeBase {
  dir: string;
  entry: TestFaqEntry;
  cleanup(): Promise<void>;
}

/**
 * The shipped knowledge base (or the one in `from`) in a temporary folder, without the entries of `drop`, and with one
 * entry that only English has and no catalogue labels. Its intent and title are chosen so that no shipped entry has
 * them: tests that added docs/adding-a-dialog.md's own example (`faq.warranty`) failed with a duplicate entry as soon
 * as a developer followed the guide.
 */
export async function knowledgeBaseWithTestEntry(options: { from?: string; drop?: string[] } = {}): Promise<TestKnowledgeBase> {
  const shipped = options.from ?? path.join(ROOT, 'data', 'faq');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cxbot-faq-'));
  const files = new Map<string, { entries: TestFaqEntry[] }>();
  for (const name of (await readdir(shipped)).filter((f) => f.endsWith('.json'))) {
    files.set(name, JSON.parse(await readFile(path.join(shipped, name), 'utf8')) as { entries: TestFaqEntry[] });
  }
  const taken = [...files.values()].flatMap((f) => f.entries.flatMap((e) => [e.intent, e.title.toLowerCase()]));
  let topic = 'test_only_topic';
  while (taken.includes(`faq.${topic}`) || taken.includes(title(topic).toLowerCase())) topic += '_x';
  const entry = { intent: `faq.${topic}`, title: title(topic), answer: 'This answer exists only in tests.' };
  for (const doc of files.values()) doc.entries = doc.entries.filter((e) => !options.drop?.includes(e.intent));
  files.get('en.json')?.entries.push(entry);
  for (const [name, doc] of files) await writeFile(path.join(dir, name), JSON.stringify(doc));
  return { dir, entry, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** "test_only_topic" → "Test only topic". */
const title = (topic: string): string => `${topic.charAt(0).toUpperCase()}${topic.slice(1).replace(/_/g, ' ')}`;
