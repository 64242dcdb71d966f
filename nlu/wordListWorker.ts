/** Worker thread: the real-word stems of each language in `workerData.jobs` (see `nlu/wordLists.ts`). */
import { parentPort, workerData } from 'node:worker_threads';
import { realWordStems } from './wordLists.js';

const jobs = (workerData as { jobs: Array<{ lang: string; features: string[] }> }).jobs;
const results = await Promise.all(jobs.map(async ({ lang, features }) => [lang, await realWordStems(lang, features)] as const));
parentPort?.postMessage(Object.fromEntries(results));
