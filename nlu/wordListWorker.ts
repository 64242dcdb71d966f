/** Worker thread: reads the word lists of `workerData.langs` and posts their tables back (see `nlu/spelling.ts`). */
import { parentPort, workerData } from 'node:worker_threads';
import { readWordTable } from './wordLists.js';

const langs = (workerData as { langs: string[] }).langs;
parentPort?.postMessage(Object.fromEntries(langs.map((lang) => [lang, readWordTable(lang)])));
