/**
 * Landmarker: refines the faces a Detector found with FaceMesh (468 points, built in,
 * converted from MediaPipe on first use). Each face gets `mesh` and its five alignment
 * points replaced by the mesh's; crops from all frames of a batch run together.
 */
import { z } from 'zod';
import { defineNode } from '../src/index.js';
import type { ModelSession } from '../src/runtime/model-session.js';
import { landmarkFaces, openFaceMesh } from '../src/faces/facemesh/facemesh.js';
import { BATCH_SIZES } from '../src/plan/batch-sizes.js';

export default defineNode({
  type: 'Landmarker',
  version: 1,
  category: 'Faces',
  title: 'Landmarker',
  description: 'Refines detected faces with FaceMesh: 468 landmarks per face, and measured eye, nose and mouth-corner points for alignment.',
  kind: 'accelerator',
  // Stateless per batch: a stage of it may run as several copies.
  replicable: true,
  inputs: {
    frames: { type: 'Frames', description: 'The frames the faces were found in.' },
    faces: { type: 'Faces', description: 'Faces from a Detector.' },
  },
  outputs: {
    faces: { type: 'Faces', description: 'The same faces with `mesh` set and refined five points.' },
  },
  params: z.object({
    minPresence: z.number().min(0).max(1).default(0.5).describe('Faces FaceMesh scores below this keep the detector\'s points and get no mesh.'),
    batchSize: z.literal(BATCH_SIZES).default(16).describe('Face crops per model run.'),
  }),
  create: (ctx) => {
    let session: ModelSession | null = null;
    return {
      async open(inputs) {
        session = await openFaceMesh({ providers: ctx.providers, threads: ctx.threads, modelsDir: ctx.paths.models, cwd: ctx.paths.cwd, log: ctx.log });
        return inputs.faces ? { faces: inputs.faces } : {};
      },
      async process({ inputs }) {
        const faces = await landmarkFaces(session!, inputs.frames, inputs.faces, { minPresence: ctx.params.minPresence, batchSize: ctx.params.batchSize });
        return { faces };
      },
      async dispose() {
        await session?.dispose();
      },
    };
  },
});
