/** Shared locations for tests. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Scratch output of the test run (screenshots, caches); ignored by git. */
export const ARTIFACTS = path.join(ROOT, 'tests', '.artifacts');
/** The NLU model trained once per run by globalSetup. */
export const TEST_MODEL_FILE = path.join(ARTIFACTS, 'nlu', 'model.json');
