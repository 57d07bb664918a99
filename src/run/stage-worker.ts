/**
 * Entry of a stage worker thread: hosts a StageCore whose nodes run ONNX models, so their
 * blocking session runs never stall the main thread. Requests come through the one
 * worker-messaging stack (runtime/worker-serve.ts); frames arrive and leave as
 * transferred buffers.
 */
import { workerData } from 'node:worker_threads';
import { StageCore } from './stage-core.js';
import type { StageBatch, StageNode } from './stage-spec.js';
import { serializeError, cancelledError } from '../errors.js';
import { postLog, serveRequests } from '../runtime/worker-serve.js';
import type { AnyNodeDefinition } from '../node-api/define-node.js';
import type { StageOp, StageRunData, WorkerStageData } from './stage-worker-data.js';
import { setSessionParking } from '../runtime/session-parking.js';

const data = workerData as WorkerStageData;
// A stage that may be kept for the next run parks the sessions its nodes dispose, from the
// first run on: the next run's nodes (new instances, so no state carries over) open them warm.
if (data.parkSessions) void setSessionParking(true);
/** Per run: a recycled thread starts its next run with a fresh signal and fresh nodes. */
let controller = new AbortController();

/** The nodes' modules, imported once per thread (a recycled thread keeps them). */
const nodes: Promise<StageNode[]> = (async () => {
  const list: StageNode[] = [];
  for (const node of data.nodes) {
    const module = (await import(node.moduleUrl)) as { default: AnyNodeDefinition };
    list.push({ id: node.id, definition: module.default, params: node.params });
  }
  return list;
})();
nodes.catch(() => undefined); // a load failure is reported on the first request

/** The current run's nodes: made by `create`, ended by `recycle` or `dispose`. */
let core: StageCore | null = null;
function current(op: string): StageCore {
  if (!core) throw new Error(`stage ${data.id}: "${op}" before "create"`);
  return core;
}

serveRequests({
  urgent: ['abort'],
  final: ['dispose'],
  attach: () => core?.stats ?? {},
  handle: async (op, payload) => {
    switch (op as StageOp) {
      case 'create': {
        // A module that failed to load fails here, the stage's first call.
        const spec = { ...data, nodes: await nodes, output: (payload as StageRunData).output };
        core = new StageCore(spec, controller.signal, (level, node, message) => postLog({ level, node, message }));
        return core.create();
      }
      case 'open':
        return current(op).open(payload as Record<string, unknown>);
      case 'process':
        return current(op).process(payload as StageBatch);
      case 'finish':
        return current(op).finish();
      case 'dispose':
        await setSessionParking(false);
        return core ? (await core.dispose()).map(serializeError) : [];
      case 'recycle': {
        const errors = core ? (await core.dispose()).map(serializeError) : [];
        controller = new AbortController();
        core = null;
        return errors;
      }
      case 'setParams': {
        const { node, params } = payload as { node: string; params: unknown };
        return current(op).setParams(node, params);
      }
      case 'setInputs':
        return current(op).setInputs(payload as Record<string, unknown>);
      case 'abort':
        controller.abort(cancelledError());
        return undefined;
    }
  },
});
