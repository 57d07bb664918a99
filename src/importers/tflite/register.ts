/**
 * Registers the TFLite preparers (blazeface_short, blazeface_full, facemesh) with
 * `framefuse models prepare`. Import this module once, for its side effect.
 */
import { registerPreparer } from '../../models/preparers.js';
import { prepareTfliteModel } from './prepare.js';
import { TFLITE_SOURCES } from './sources.js';

for (const source of Object.values(TFLITE_SOURCES)) {
  registerPreparer({
    id: source.id,
    description: source.description,
    outputs: [source.output],
    prepare: async ({ modelsDir, force, log }) => {
      const result = await prepareTfliteModel(source.id, { modelsDir, force, log });
      if (!result.written) log(`${source.id}: ${result.path} is up to date`);
      return { written: result.written ? [result.path] : [] };
    },
  });
}

export { ensurePrepared } from './prepare.js';
