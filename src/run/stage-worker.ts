/**
 * Entry of a stage worker thread: hosts a StageCore whose nodes run ONNX models, so their
 * blocking session runs never stall the main thread. Frames arrive and leave as
 * transferred buffers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StageCore, type StageSpec } from './stage-core.js';
import { serializeError, cancelledError } from '../errors.js';
import { collectTransferables } from './transferables.js';
import type { AnyNodeDefinition } from '../node-api/define-node.js';
import type { WorkerReply, WorkerRequest, WorkerStageData } from './worker-protocol.js';
import { setSessionParking } from '../runtime/session-parking.js';

const port = parentPort!;
const data = workerData as WorkerStageData;
/** Per run: a recycled thread starts its next run with a fresh signal and fresh nodes. */
let controller = new AbortController();

async function load(): Promise<StageCore> {
  const nodes = [];
  for (const node of data.nodes) {
    const module = (await import(node.moduleUrl)) as { default: AnyNodeDefinition };
    nodes.push({ id: node.id, definition: module.default, rawParams: node.rawParams });
  }
  const spec: StageSpec = { ...data, nodes };
  return new StageCore(spec, controller.signal, (level, node, message) => {
    const reply: WorkerReply = { id: -1, log: { level, node, message } };
    port.postMessage(reply);
  });
}

let core = load();
core.catch(() => undefined); // reported on the first request

async function handle(request: WorkerRequest): Promise<unknown> {
  const stage = await core;
  switch (request.op) {
    case 'create':
      return stage.create();
    case 'open':
      return stage.open(request.external);
    case 'process':
      return stage.process(request.batch);
    case 'finish':
      return stage.finish();
    case 'dispose':
      await setSessionParking(false);
      return (await stage.dispose()).map(serializeError);
    case 'recycle': {
      // Sessions the nodes dispose are parked, not released: the next run's nodes (new
      // instances, so no state carries over) open the same models warm.
      await setSessionParking(true);
      const errors = (await stage.dispose()).map(serializeError);
      controller = new AbortController();
      core = load();
      return errors;
    }
    case 'abort':
      controller.abort(cancelledError());
      return undefined;
  }
}

// Requests run one at a time, in arrival order, except abort which must overtake.
let chain: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  const run = async () => {
    const stats = (await core.catch(() => null))?.stats ?? {};
    try {
      const result = await handle(request);
      const reply: WorkerReply = { id: request.id, ok: true, result, stats };
      port.postMessage(reply, [...collectTransferables(result)]);
      // Disposed: close the port so the thread ends by itself, never by terminate.
      if (request.op === 'dispose') port.close();
    } catch (error) {
      const reply: WorkerReply = { id: request.id, ok: false, error: serializeError(error), stats };
      port.postMessage(reply);
    }
  };
  if (request.op === 'abort') void run();
  else chain = chain.then(run);
});
