import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineNode } from '../../src/node-api/define-node.js';
import type { Frame } from '../../src/model/port-values.js';

/** The processes TestSlowOpen started, by pid (tests read them to check none outlives its run). */
export const started: ChildProcess[] = [];

/**
 * Passes frames through. Its open waits `openMs` without looking at the signal, then starts
 * a real process (`sleep 60`), as an Encoder starts ffmpeg when its open's awaits return;
 * dispose ends it (tests only).
 */
export default defineNode({
  type: 'TestSlowOpen',
  version: 1,
  category: 'Test',
  title: 'Slow open (test)',
  description: 'Starts a child process at the end of a slow open and ends it on dispose (tests only).',
  kind: 'host',
  inputs: { frames: { type: 'Frames' } },
  outputs: { frames: { type: 'Frames' } },
  params: z.object({ openMs: z.number().min(0).default(300) }),
  create: (ctx) => {
    let child: ChildProcess | null = null;
    return {
      async open() {
        await sleep(ctx.params.openMs);
        child = spawn('sleep', ['60'], { stdio: 'ignore' });
        started.push(child);
      },
      process: (batch) => ({ frames: (batch.inputs as Record<string, Frame[]>).frames! }),
      dispose() {
        child?.kill('SIGKILL');
      },
    };
  },
});
