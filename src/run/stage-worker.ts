/**
 * Entry of a stage worker thread: hosts a StageCore whose nodes run ONNX models, so their
 * blocking session runs never stall the main thread. Requests come through the one
 * worker-messaging stack (runtime/worker-serve.ts); frames arrive and leave as
 * transferred buffers.
 */
import { workerData } from 'node:worker_threads';
import { StageCore } from './stage-core.js';
import type { StageBatch, StageSpec } from './stage-spec.js';
import { serializeError, cancelledError } from '../errors.js';
import { postLog, serveRequests } from '../runtime/worker-serve.js';
import type { AnyNodeDefinition } from '../node-api/define-node.js';
import type { StageOp, WorkerStageData } from './stage-worker-data.js';
import { setSessionParking } from '../runtime/session-parking.js';

const data = workerData as WorkerStageData;
// A stage that may be kept for the next run parks the sessions its nodes dispose, from the
// first run on: the next run's nodes (new instances, so no state carries over) open them warm.
if (data.parkSessions) void setSessionParking(true);
/** Per run: a recycled thread starts its next run with a fresh signal and fresh nodes. */
let controller = new AbortController();

async function load(): Promise<StageCore> {
  const nodes = [];
  for (const node of data.nodes) {
    const module = (await import(node.moduleUrl)) as { default: AnyNodeDefinition };
    nodes.push({ id: node.id, definition: module.default, params: node.params });
  }
  const spec: StageSpec = { ...data, nodes };
  return new StageCore(spec, controller.signal, (level, node, message) => postLog({ level, node, message }));
}

let loaded: StageCore | null = null;
function start(): Promise<StageCore> {
  const next = load();
  next.then((core) => (loaded = core), () => undefined); // a load failure is reported on the first request
  return next;
}
let loading = start();

serveRequests({
  urgent: ['abort'],
  final: ['dispose'],
  attach: () => loaded?.stats ?? {},
  handle: async (op, payload) => {
    const core = await loading;
    switch (op as StageOp) {
      case 'create':
        return core.create();
      case 'open':
        return core.open(payload as Record<string, unknown>);
      case 'process':
        return core.process(payload as StageBatch);
      case 'finish':
        return core.finish();
      case 'dispose':
        await setSessionParking(false);
        return (await core.dispose()).map(serializeError);
      case 'recycle': {
        const errors = (await core.dispose()).map(serializeError);
        controller = new AbortController();
        loaded = null;
        loading = start();
        return errors;
      }
      case 'setParams': {
        const { node, params } = payload as { node: string; params: unknown };
        return core.setParams(node, params);
      }
      case 'setInputs':
        return core.setInputs(payload as Record<string, unknown>);
      case 'abort':
        controller.abort(cancelledError());
        return undefined;
    }
  },
});
