/**
 * The inference runtime, as accelerator nodes use it:
 * - `openModel` / `threadSessionPool.acquire` in the node's own worker thread;
 * - `InferenceWorker` to host a model in a thread of its own;
 * - `probeProviders` for `framefuse doctor`.
 */
export { openModel, sessionSettingsKey } from './model-session.js';
export type { ModelSession, OpenModelOptions } from './model-session.js';
export { SessionPool, threadSessionPool } from './session-pool.js';
export { InferenceWorker } from './inference-worker.js';
export type { RunOptions } from './inference-worker.js';
export { probeProviders, parseProviders, createSessionWithFallback } from './providers.js';
export type { ProviderReport, SessionWithProvider } from './providers.js';
export { checkSignature } from './signature.js';
export type { ModelExpectation, TensorExpectation } from './signature.js';
export type { Feeds, Outputs, TensorData } from './tensors.js';
