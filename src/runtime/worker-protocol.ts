/** Messages between an InferenceWorker and its thread. Tensor buffers travel in the transfer list. */
import type { SerializedError } from '../errors.js';
import type { ExecutionProvider } from '../node-api/define-node.js';
import type { TensorInfo } from '../onnx/value-info.js';
import type { OpenModelOptions } from './model-session.js';
import type { Feeds, Outputs } from './tensors.js';

/** What the worker thread is started with (no functions: they cannot cross threads). */
export interface WorkerStart {
  ref: string;
  options: Omit<OpenModelOptions, 'log'>;
}

export type ToWorker = { type: 'run'; id: number; feeds: Feeds } | { type: 'close' };

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

export type FromWorker =
  | { type: 'ready'; info: WorkerModelInfo }
  | { type: 'result'; id: number; outputs: Outputs; ms: number }
  | { type: 'error'; id?: number; error: SerializedError }
  | { type: 'log'; level: 'info' | 'warn'; message: string };
