/**
 * The worker-thread side of InferenceWorker: opens one model, then answers run messages
 * one at a time (onnxruntime's run blocks this thread, which is the point: it is not the
 * main thread). Any failure goes back as a serialized error; a load failure also ends the
 * thread so nothing hangs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { serializeError } from '../errors.js';
import { openModel } from './model-session.js';
import type { ModelSession } from './model-session.js';
import { transferList } from './tensors.js';
import type { Outputs } from './tensors.js';
import type { FromWorker, ToWorker, WorkerStart } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('inference-worker-host runs only as a worker thread');
const start = workerData as WorkerStart;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

/** Outputs that own their whole buffer, so transferring them moves nothing else. */
function ownBuffers(outputs: Outputs): Outputs {
  for (const tensor of Object.values(outputs)) {
    const d = tensor.data;
    if (d.byteOffset !== 0 || d.byteLength !== d.buffer.byteLength || !(d.buffer instanceof ArrayBuffer)) tensor.data = d.slice();
  }
  return outputs;
}

async function main(): Promise<void> {
  let session: ModelSession;
  try {
    session = await openModel(start.ref, {
      ...start.options,
      log: { info: (message) => post({ type: 'log', level: 'info', message }), warn: (message) => post({ type: 'log', level: 'warn', message }) },
    });
  } catch (error) {
    post({ type: 'error', error: serializeError(error) });
    port!.close();
    return;
  }
  post({
    type: 'ready',
    info: {
      file: session.file,
      loadedFile: session.loadedFile,
      hash: session.hash,
      inputs: session.inputs,
      outputs: session.outputs,
      provider: session.provider,
      providerReason: session.providerReason,
      applied: [...session.applied],
    },
  });
  // Messages are handled strictly one after another: onnxruntime must never see a release
  // while a run is in flight, and a close drops the runs still queued (their callers were
  // already told). The thread then ends by itself; terminating it mid-run would abort the
  // whole process from inside the native addon.
  const queue: ToWorker[] = [];
  let busy = false;
  let closing = false;
  const drain = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    while (queue.length > 0) {
      const message = queue.shift()!;
      if (message.type === 'close') {
        closing = true;
        queue.length = 0;
        await session.dispose();
        port!.close();
        return;
      }
      const began = performance.now();
      try {
        const outputs = ownBuffers(await session.run(message.feeds));
        post({ type: 'result', id: message.id, outputs, ms: performance.now() - began }, transferList(outputs));
      } catch (error) {
        post({ type: 'error', id: message.id, error: serializeError(error) });
      }
    }
    busy = false;
  };
  port!.on('message', (message: ToWorker) => {
    if (closing) return;
    if (message.type === 'close') queue.unshift(message);
    else queue.push(message);
    void drain();
  });
}

void main();
