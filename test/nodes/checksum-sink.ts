/** Test-only sink: a hash per frame, in arrival order; its result is what tests compare. */
import { z } from 'zod';
import { spawn, type ChildProcess } from 'node:child_process';
import { defineNode } from '../../src/node-api/define-node.js';

export function fnv1a(data: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) {
    h ^= data[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export default defineNode({
  type: 'TestChecksum',
  version: 1,
  category: 'Test',
  title: 'Checksum sink',
  description: 'Hashes every frame; the result lists index and hash in arrival order (tests only).',
  kind: 'host',
  inputs: { frames: { type: 'Frames' } },
  outputs: {},
  params: z.object({
    /** Start a child process that lives as long as the node (cleanup tests). */
    child: z.boolean().default(false),
    pidFile: z.string().optional(),
  }),
  create: ({ params }) => {
    const seen: { index: number; pts: number; hash: string }[] = [];
    let child: ChildProcess | undefined;
    let facts: unknown = null;
    return {
      async open(inputs) {
        facts = inputs.frames ?? null;
        if (params.child) {
          child = spawn('sleep', ['600'], { stdio: 'ignore' });
          if (params.pidFile) {
            const { writeFileSync } = await import('node:fs');
            writeFileSync(params.pidFile, String(child.pid));
          }
        }
      },
      process: ({ indices, pts, inputs }) => {
        inputs.frames.forEach((f, i) => seen.push({ index: indices[i]!, pts: pts[i]!, hash: fnv1a(f.data) }));
        return {};
      },
      finish: () => ({ frames: seen.length, hashes: seen, facts }),
      dispose: () => {
        child?.kill('SIGKILL');
      },
    };
  },
});
