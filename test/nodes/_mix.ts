/** The per-byte mix of two frame streams, shared by the host and accelerator test joins. */
import { z } from 'zod';
import { defineNode, type NodeKind } from '../../src/node-api/define-node.js';

export function mixNode(type: string, kind: NodeKind) {
  return defineNode({
    type,
    version: 1,
    category: 'Test',
    title: kind === 'accelerator' ? 'Mix (accelerator)' : 'Mix',
    description: `Joins two frame streams: the per-byte sum${kind === 'accelerator' ? ', in a worker' : ''} (tests only).`,
    kind,
    replicable: kind !== 'host',
    inputs: { a: { type: 'Frames' }, b: { type: 'Frames' } },
    outputs: { frames: { type: 'Frames' } },
    params: z.object({}),
    create: () => ({
      process: ({ inputs }) => ({
        frames: inputs.a.map((fa, i) => {
          const fb = inputs.b[i]!;
          const data = new Uint8Array(fa.data.length);
          for (let j = 0; j < data.length; j++) data[j] = (fa.data[j]! + 3 * fb.data[j]!) & 255;
          return { width: fa.width, height: fa.height, data };
        }),
      }),
    }),
  });
}
