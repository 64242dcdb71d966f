/** Worker thread: the real-word stems of each language in `workerData.jobs`, and the cue words that are no cues (see `nlu/wordLists.ts`). */
import { parentPort, workerData } from 'node:worker_threads';
import { notCues, realWordStems } from './wordLists.js';

const { jobs, cues } = workerData as { jobs: Array<{ lang: string; features: string[] }>; cues: Array<[string, string]> };
const stems = await Promise.all(jobs.map(async ({ lang, features }) => [lang, await realWordStems(lang, features)] as const));
parentPort?.postMessage({ realWordStems: Object.fromEntries(stems), notCues: notCues(cues) });
