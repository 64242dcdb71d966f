/** How the project's worker threads start, from TypeScript sources or from compiled JavaScript. */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The `Worker` source for the module `entry` (a `.ts` URL next to the caller). Run from TypeScript sources (as
 * `npm start` and the tests do), the worker first registers tsx's loader and then imports its entry: Node 20 does not
 * apply `--import` from a worker's execArgv to the entry itself. Compiled, it is the `.js` file beside it.
 */
export function workerSource(entry: URL): { source: string | URL; evaluate: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { source: new URL(entry.href.replace(/\.ts$/, '.js')), evaluate: false };
  const tsxApi = tsxApiUrl();
  return { source: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`, evaluate: true };
}

/**
 * tsx's ESM API. vitest's module runner (its global setup trains the NLU) has no import.meta.resolve; there the
 * package's `require` entry is resolved and its ESM twin beside it taken.
 */
function tsxApiUrl(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  }
}
