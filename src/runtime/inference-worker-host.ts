/**
 * The worker-thread side of InferenceWorker, on the one worker-messaging stack
 * (worker-serve.ts): opens one model, then answers runs one at a time (onnxruntime's run
 * blocks this thread, which is the point: it is not the main thread). A close drops the
 * runs still queued, releases the session after the run in flight and ends the thread.
 */
import { workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { openModel, type ModelSession, type OpenModelOptions } from './model-session.js';
import type { Feeds, Outputs } from './tensors.js';
import { postLog, serveRequests } from './worker-serve.js';
import type { ExecutionProvider } from '../node-api/define-node.js';
import type { TensorInfo } from '../onnx/value-info.js';

/** What the worker thread is started with (no functions: they cannot cross threads). */
export interface InferenceWorkerStart {
  ref: string;
  options: Omit<OpenModelOptions, 'log'>;
}

export interface WorkerModelInfo {
  file: string;
  loadedFile: string;
  hash: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  provider: ExecutionProvider;
  providerReason: string;
  applied: string[];
}

export type InferenceOp = 'open' | 'run' | 'close';

/** Outputs that own their whole buffer, so transferring them moves nothing else. */
function ownBuffers(outputs: Outputs): Outputs {
  for (const tensor of Object.values(outputs)) {
    const d = tensor.data;
    if (d.byteOffset !== 0 || d.byteLength !== d.buffer.byteLength || !(d.buffer instanceof ArrayBuffer)) tensor.data = d.slice();
  }
  return outputs;
}

const start = workerData as InferenceWorkerStart | undefined;
if (start) {
  let session: ModelSession | null = null;
  serveRequests({
    final: ['close'],
    handle: async (op, payload) => {
      switch (op as InferenceOp) {
        case 'open': {
          session = await openModel(start.ref, {
            ...start.options,
            log: { info: (message) => postLog({ level: 'info', message }), warn: (message) => postLog({ level: 'warn', message }) },
          });
          const info: WorkerModelInfo = {
            file: session.file,
            loadedFile: session.loadedFile,
            hash: session.hash,
            inputs: session.inputs,
            outputs: session.outputs,
            provider: session.provider,
            providerReason: session.providerReason,
            applied: [...session.applied],
          };
          return info;
        }
        case 'run': {
          const began = performance.now();
          const outputs = ownBuffers(await session!.run(payload as Feeds));
          return { outputs, ms: performance.now() - began };
        }
        case 'close':
          await session?.dispose();
          return undefined;
      }
    },
  });
}
