/** Test-only source: deterministic small frames, yielded in chunks, optionally slowly. */
import { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineNode } from '../../src/node-api/define-node.js';
import type { Frame } from '../../src/model/port-values.js';

export function syntheticFrame(seed: number, index: number, width: number, height: number): Frame {
  const data = new Uint8Array(width * height * 3);
  let x = (seed * 2654435761 + index * 40503 + 1) >>> 0;
  for (let i = 0; i < data.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 255;
  }
  return { width, height, data };
}

export default defineNode({
  type: 'TestSource',
  version: 1,
  category: 'Test',
  title: 'Synthetic frames',
  description: 'Deterministic pseudo-random frames (tests only).',
  kind: 'host',
  inputs: {},
  outputs: { frames: { type: 'Frames' } },
  params: z.object({
    frames: z.number().int().min(0).default(10),
    width: z.number().int().min(1).default(8),
    height: z.number().int().min(1).default(6),
    fps: z.number().positive().default(25),
    seed: z.number().int().default(1),
    chunk: z.number().int().min(1).default(4),
    delayMs: z.number().min(0).default(0),
  }),
  create: ({ params, signal }) => ({
    open: () => ({ frames: { width: params.width, height: params.height, fps: params.fps, frameCount: params.frames } }),
    async *produce() {
      for (let start = 0; start < params.frames; start += params.chunk) {
        if (params.delayMs > 0) await sleep(params.delayMs, undefined, { signal });
        const indices: number[] = [];
        for (let i = start; i < Math.min(params.frames, start + params.chunk); i++) indices.push(i);
        yield {
          indices,
          pts: indices.map((i) => i / params.fps),
          outputs: { frames: indices.map((i) => syntheticFrame(params.seed, i, params.width, params.height)) },
        };
      }
    },
  }),
});
