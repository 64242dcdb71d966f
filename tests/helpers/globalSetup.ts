/** Trains (or loads) the NLU model once before any test file runs. */
import { mkdir } from 'node:fs/promises';
import { NluEngine } from '../../nlu/engine.js';
import { LanguageSchema } from '../../bot/config.js';
import { ARTIFACTS, TEST_MODEL_FILE } from './paths.js';

export default async function setup(): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await NluEngine.create({ languages: LanguageSchema.options, modelFile: TEST_MODEL_FILE });
}
