/** Test-only sink: keeps the faces of every frame it receives. */
import { z } from 'zod';
import { defineNode } from '../../../src/node-api/define-node.js';
import type { Face } from '../../../src/model/port-values.js';

export default defineNode({
  type: 'FaceTestFaces',
  version: 1,
  category: 'Test',
  title: 'Collect faces',
  description: 'Keeps the faces of every frame; the result is { indices, faces } (tests only).',
  kind: 'host',
  inputs: { faces: { type: 'Faces' } },
  outputs: {},
  params: z.object({}),
  create: () => {
    const indices: number[] = [];
    const faces: Face[][] = [];
    return {
      process: ({ indices: batch, inputs }) => {
        inputs.faces.forEach((list, i) => {
          indices.push(batch[i]!);
          faces.push(list);
        });
        return {};
      },
      finish: () => ({ indices, faces }),
    };
  },
});
