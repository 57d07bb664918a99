/**
 * A test fusion family: consecutive TestFusableAdd nodes compose into one instance that
 * adds the sum of their amounts in a single pass, the way a face chain composes its models
 * into one ONNX graph. It declines when any member asks it to.
 */
import { threadId } from 'node:worker_threads';
import type { FusionFamily } from '../../src/node-api/define-node.js';
import type { Frame } from '../../src/model/port-values.js';

export const addFamily: FusionFamily = {
  id: 'test-add-chain',
  async fuse(members) {
    const params = members.map((m) => m.params as { amount: number; declineFusion: boolean });
    if (params.some((p) => p.declineFusion)) return null;
    const total = params.reduce((sum, p) => sum + p.amount, 0);
    const first = members[0]!;
    const last = members[members.length - 1]!;
    const framesPort = first.inputs.find((i) => i.port === 'frames' && !i.internal)!;
    let batches = 0;
    return {
      process: ({ inputs }) => {
        batches++;
        const frames = inputs[first.id]![framesPort.port] as Frame[];
        const out = frames.map((f) => ({ width: f.width, height: f.height, data: f.data.map((v) => (v + total) & 255) }));
        return { [last.id]: { frames: out } };
      },
      finish: () => Object.fromEntries(members.map((m) => [m.id, { composed: true, members: members.map((x) => x.id), batches, threadId }])),
    };
  },
};
