/**
 * openModel: what an accelerator node calls to run a model in its own thread. It resolves
 * a manifest id or a path, checks the file, applies batchify/fp16 rewrites from the cache,
 * opens a session on the first provider that works (saying why), and checks the inputs
 * and outputs the node expects.
 *
 * @example
 * ```ts
 * const swapper = await openModel('inswapper_128', {
 *   providers: ctx.providers, threads: ctx.threads, modelsDir: ctx.paths.models,
 *   batchify: ctx.batchSize > 1, log: ctx.log,
 *   expect: { inputs: { target: { dims: [null, 3, 128, 128] }, source: { dims: [null, 512] } } },
 * });
 * const { output } = await swapper.run({ target: { data, dims: [n, 3, 128, 128] }, source: {...} });
 * await swapper.dispose();
 * ```
 */
import type ort from 'onnxruntime-node';
import { readFile, stat } from 'node:fs/promises';
import { operationalError, isFramefuseError } from '../errors.js';
import type { ExecutionProvider, NodeLog } from '../node-api/define-node.js';
import { inspectModel } from '../onnx/inspect.js';
import { decodeModel } from '../onnx/model-io.js';
import type { TensorInfo } from '../onnx/value-info.js';
import { cacheDir, defaultModelsDir, resolveModel } from '../models/paths.js';
import { modelVariant } from './model-variant.js';
import { createSessionWithFallback, parseProviders } from './providers.js';
import { intraOpThreads, sessionOptions } from './session-options.js';
import { checkFeeds, checkSignature } from './signature.js';
import type { ModelExpectation } from './signature.js';
import { fromOrtTensor, toOrtTensor } from './tensors.js';
import { joinOutputs, sliceableBatch, sliceFeeds } from './batch-slices.js';
import { deviceFailure } from './device-errors.js';
import { withDeviceLock } from './device-lock.js';
import { timedModelRun } from './model-clock.js';
import { describePlacement, profilingOptions, readPlacement } from './placement.js';
import type { Feeds, Outputs } from './tensors.js';
import { parkableHandle, sessionParkingOn, takeParkedSession } from './session-parking.js';

export interface OpenModelOptions {
  /** Providers to try in order. Default ['cpu']. */
  providers?: readonly string[];
  /** Intra-op threads (NodeContext.threads). */
  threads?: number;
  /** Let idle threads spin (only with dedicated cores). Default false. */
  spin?: boolean;
  /** Rewrite a fixed batch of 1 to a dynamic batch, proven and cached. */
  batchify?: boolean;
  /** Use a float16 rewrite, checked and cached. */
  fp16?: boolean;
  /** Models folder (NodeContext.paths.models); default ./models. */
  modelsDir?: string;
  /** Where relative paths resolve. */
  cwd?: string;
  /** Where rewrites are cached; default `<modelsDir>/cache`. */
  cacheDir?: string;
  /** Inputs and outputs the caller needs; a mismatch fails here, naming the file. */
  expect?: ModelExpectation;
  /**
   * The most items one onnxruntime run takes; a larger batch runs in slices (see
   * batch-slices.ts). Default: 1 for a single-threaded session on the CPU provider (the
   * copies the planner makes on CPUs), where batching costs per item; else the whole batch.
   */
  runBatch?: number;
  log?: NodeLog;
}

/** An open model: its signature, where it runs, and `run`. */
export interface ModelSession {
  /** The model file as named (before rewrites). */
  readonly file: string;
  /** The file the session loaded (a cached rewrite, or `file`). */
  readonly loadedFile: string;
  /** sha256 of `file`. */
  readonly hash: string;
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  /** The provider the session landed on. */
  readonly provider: ExecutionProvider;
  /** Why that provider: first choice, or which ones failed before it. */
  readonly providerReason: string;
  /** Rewrites applied: 'batchify', 'fp16'. */
  readonly applied: readonly string[];
  /** Session runs so far (for metrics). */
  readonly runs: number;
  /** The most items one onnxruntime run takes (see OpenModelOptions.runBatch). */
  readonly runBatch: number;
  run(feeds: Feeds): Promise<Outputs>;
  dispose(): Promise<void>;
}

/** The settings that make two sessions interchangeable (the pool's key, minus the file hash). */
export function sessionSettingsKey(options: OpenModelOptions): string {
  return JSON.stringify([
    [...(options.providers ?? ['cpu'])],
    options.threads ?? null,
    Boolean(options.spin),
    Boolean(options.batchify),
    Boolean(options.fp16),
    options.runBatch ?? null,
  ]);
}

/** Opens a model in this thread. Prefer `SessionPool.acquire` when several nodes may open the same model. */
export async function openModel(ref: string, options: OpenModelOptions = {}): Promise<ModelSession> {
  const providers = parseProviders(options.providers ?? ['cpu']);
  const modelsDir = options.modelsDir ?? defaultModelsDir(options.cwd);
  const { path: file } = await resolveModel(ref, modelsDir, options.cwd);
  if (sessionParkingOn()) {
    // A thread kept warm between runs: the same file (path, size and time: a model rewritten
    // in place between segments is opened anew) with the same settings is the same session.
    const { size, mtimeMs } = await stat(file);
    const key = JSON.stringify([file, size, mtimeMs, sessionSettingsKey(options), options.cacheDir ?? cacheDir(modelsDir)]);
    const parked = takeParkedSession(key);
    if (parked) {
      const handle = parkableHandle(key, parked);
      try {
        if (options.expect) checkSignature(file, parked, options.expect);
      } catch (error) {
        await handle.dispose(); // back to the park, not lost with its native memory
        throw error;
      }
      return handle;
    }
    return parkableHandle(key, await openModelFile(file, modelsDir, options, providers));
  }
  return openModelFile(file, modelsDir, options, providers);
}

async function openModelFile(file: string, modelsDir: string, options: OpenModelOptions, providers: ReturnType<typeof parseProviders>): Promise<ModelSession> {
  // Parse first: a wrong or cut file gets its own clear error instead of ORT's protobuf message.
  const summary = inspectModel(decodeModel(await readFile(file), file));
  if (options.expect) checkSignature(file, summary, options.expect);
  const variant = await modelVariant(file, {
    batchify: Boolean(options.batchify),
    fp16: Boolean(options.fp16),
    cacheDir: options.cacheDir ?? cacheDir(modelsDir),
    ...(options.log ? { log: (m: string) => options.log?.info(m) } : {}),
  });
  let opened;
  // On a GPU, the first run is profiled to tell which nodes left the device (placement.ts).
  const profiling = providers[0] !== 'cpu' ? profilingOptions() : null;
  try {
    opened = await createSessionWithFallback(variant.path, providers, { ...sessionOptions({ threads: options.threads, spin: options.spin }), ...profiling }, (m) =>
      options.log?.warn(`${file}: ${m}`),
    );
  } catch (error) {
    if (isFramefuseError(error)) throw error;
    throw operationalError('FF_MODEL_LOAD_FAILED', `onnxruntime could not load ${variant.path}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const loaded = variant.path === file ? summary : inspectModel(decodeModel(await readFile(variant.path), variant.path));
  // One thread on the CPU: item by item (batches only outgrow the caches). More threads get
  // more to split from a whole batch, and a GPU is what batches are for.
  const oneCpuThread = opened.provider === 'cpu' && intraOpThreads(options.threads) === 1;
  const runBatch = options.runBatch ?? (oneCpuThread ? CPU_RUN_BATCH : Infinity);
  const session = new OrtModelSession(file, variant.path, variant.sourceHash, loaded.inputs, loaded.outputs, opened.session, opened.provider, opened.reason, variant.applied, runBatch);
  if (profiling) session.watchPlacement(profiling.profileFilePrefix, options.log);
  return session;
}

/** Items per onnxruntime run for a single-threaded CPU session (see batch-slices.ts for the measurement). */
export const CPU_RUN_BATCH = 1;

class OrtModelSession implements ModelSession {
  runs = 0;
  private disposed = false;
  /** Set while the first run is being profiled: where the profile goes, and who hears about it. */
  private profile: { prefix: string; log: NodeLog | undefined } | null = null;
  /** The run in flight: release must wait for it (ORT cannot release a session mid-run). */
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    readonly loadedFile: string,
    readonly hash: string,
    readonly inputs: TensorInfo[],
    readonly outputs: TensorInfo[],
    private readonly session: ort.InferenceSession,
    readonly provider: ExecutionProvider,
    readonly providerReason: string,
    readonly applied: readonly string[],
    readonly runBatch: number,
  ) {}

  /** Reports, after the first run, which nodes left the GPU (a CPU session stops profiling at once). */
  watchPlacement(prefix: string, log: NodeLog | undefined): void {
    if (this.provider === 'cpu') {
      void readPlacement(this.session, prefix).catch(() => undefined);
      return;
    }
    this.profile = { prefix, log };
  }

  async run(feeds: Feeds): Promise<Outputs> {
    if (this.disposed) throw new Error(`the session for ${this.file} was disposed`);
    checkFeeds(this.file, this.inputs, feeds);
    const batch = sliceableBatch(this.inputs, this.outputs, feeds);
    if (batch === null || batch <= this.runBatch) return this.runOnce(feeds);
    const parts: Outputs[] = [];
    for (let start = 0; start < batch; start += this.runBatch) {
      parts.push(await this.runOnce(sliceFeeds(this.inputs, feeds, start, Math.min(batch, start + this.runBatch))));
    }
    return joinOutputs(parts);
  }

  private async runOnce(feeds: Feeds): Promise<Outputs> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const input of this.inputs) {
      const feed = feeds[input.name];
      if (feed) ortFeeds[input.name] = toOrtTensor(feed, input.type);
    }
    let result: ort.InferenceSession.ReturnType;
    try {
      const running = withDeviceLock(this.provider, () => timedModelRun(() => this.session.run(ortFeeds)));
      this.inFlight = running.catch(() => undefined);
      result = await running;
    } catch (error) {
      throw deviceFailure(error, `running ${this.file} on ${this.provider}`);
    }
    this.runs++;
    if (this.profile) {
      const { prefix, log } = this.profile;
      this.profile = null;
      try {
        const placement = await withDeviceLock(this.provider, () => readPlacement(this.session, prefix));
        const line = describePlacement(this.file, this.provider, placement);
        log?.[line.level](line.message);
      } catch (error) {
        log?.warn(`${this.file}: could not tell where its nodes ran (${(error as Error).message})`);
      }
    }
    const outputs: Outputs = {};
    for (const [name, tensor] of Object.entries(result)) outputs[name] = fromOrtTensor(tensor);
    return outputs;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.inFlight;
    await withDeviceLock(this.provider, () => this.session.release());
  }
}
