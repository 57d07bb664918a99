/**
 * Registers the TF.js preparers (esrgan_x2, esrgan_x3, esrgan_x4, esrgan_x8) with
 * `framefuse models prepare`. Import this module once, for its side effect.
 */
import { registerPreparer } from '../../models/preparers.js';
import { ESRGAN_PACKAGE, ESRGAN_SOURCES, esrganFileName } from './esrgan-slim.js';
import { prepareEsrgan } from './prepare.js';

for (const source of ESRGAN_SOURCES) {
  registerPreparer({
    id: source.id,
    description: `ESRGAN-slim x${source.scale} upscaler from ${ESRGAN_PACKAGE} (TF.js layers -> ONNX, MIT)`,
    outputs: [esrganFileName(source.scale)],
    prepare: async ({ modelsDir, force, log }) => {
      const result = await prepareEsrgan(source, modelsDir, { force, log });
      if (!result.written) log(`${source.id}: ${result.path} is up to date`);
      return { written: result.written ? [result.path] : [] };
    },
  });
}

export { ensurePrepared } from './prepare.js';
