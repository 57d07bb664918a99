/** Shared parameters and per-frame maths of the test transforms (host and accelerator). */
import { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Batch, NodeContext, PortSpecs } from '../../src/node-api/define-node.js';
import type { Frame } from '../../src/model/port-values.js';

export const transformParams = z.object({
  op: z.enum(['add', 'xor', 'mul']).default('add'),
  amount: z.number().int().min(0).max(255).default(1),
  /** Throw on this frame index (fault injection). */
  failAt: z.number().int().default(-1),
  /** Sleep this long per batch (a slow model). */
  delayMs: z.number().min(0).default(0),
  /** Busy-wait this long per batch (a model that blocks its thread). */
  blockMs: z.number().min(0).default(0),
});

export type TransformParams = z.output<typeof transformParams>;

export function transformFrame(frame: Frame, p: TransformParams, index: number): Frame {
  const out = new Uint8Array(frame.data.length);
  const src = frame.data;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    out[i] = p.op === 'add' ? (v + p.amount) & 255 : p.op === 'xor' ? v ^ p.amount ^ (index & 7) : (v * (p.amount | 1)) & 255;
  }
  return { width: frame.width, height: frame.height, data: out };
}

export function transformInstance(ctx: NodeContext<TransformParams>) {
  const p = ctx.params;
  return {
    async process(batch: Batch<PortSpecs>) {
      if (p.delayMs > 0) await sleep(p.delayMs, undefined, { signal: ctx.signal });
      if (p.blockMs > 0) {
        const until = Date.now() + p.blockMs;
        while (Date.now() < until) {
          // a model run that holds its thread
        }
      }
      if (batch.indices.includes(p.failAt)) throw new Error(`injected failure at frame ${p.failAt}`);
      const frames = (batch.inputs as Record<string, Frame[]>).frames!;
      return { frames: frames.map((f, i) => transformFrame(f, p, batch.indices[i]!)) };
    },
  };
}
