/**
 * Sessions run one after another, the values between them kept on the device. On WebGPU a
 * session can leave an output in GPU memory (`preferredOutputLocation: 'gpu-buffer'`) and
 * another session takes that tensor as an input directly, so a chain of models pays one
 * upload and one download instead of one per model (an H200 measured 9.2 ms a face with
 * host copies between a swapper and an enhancer, 5.9 kept on the device). Every session
 * of a chain lands on the same provider: a device tensor cannot cross to another one.
 *
 * A run is a list of steps, each running one of the sessions with its inputs and outputs
 * bound to named values; a session may run in several steps (a paste-back per face slot).
 * Reading a device tensor from JavaScript (getData) aborts the process in onnxruntime-node
 * 1.30, so the values the host wants are written to the CPU by the session that makes
 * them, device values are only ever fed to sessions, and each is disposed after its last
 * reader.
 */
import type ort from 'onnxruntime-node';
import { operationalError } from '../errors.js';
import type { ExecutionProvider, NodeLog } from '../node-api/define-node.js';
import { createSessionWithFallback, parseProviders } from './providers.js';
import { sessionOptions } from './session-options.js';
import { fromOrtTensor, toOrtTensor, type Feeds, type Outputs } from './tensors.js';
import { deviceFailure } from './device-errors.js';
import { withDeviceLock } from './device-lock.js';
import { timedModelRun } from './model-clock.js';
import { describePlacement, profilingOptions, readPlacement } from './placement.js';

/** One model of a chain. */
export interface ChainModel {
  name: string;
  file: string;
  /** Outputs that stay on the device (WebGPU only; other providers copy every output to the host). */
  deviceOutputs?: readonly string[];
}

/** One session run: the model, and the values its inputs read and its outputs write (default: their own names). */
export interface ChainStep {
  model: string;
  inputs?: Readonly<Record<string, string>>;
  outputs?: Readonly<Record<string, string>>;
}

/** A linear chain: each model's outputs that a later model reads and the host does not stay on the device. */
export function linearChain(parts: readonly { name: string; file: string; inputs: readonly string[]; outputs: readonly string[] }[], wanted: readonly string[]): ChainModel[] {
  return parts.map((part, i) => {
    const later = new Set(parts.slice(i + 1).flatMap((p) => p.inputs));
    return { name: part.name, file: part.file, deviceOutputs: part.outputs.filter((o) => later.has(o) && !wanted.includes(o)) };
  });
}

export interface SessionChainOptions {
  providers: readonly string[];
  threads?: number;
  log?: NodeLog;
}

export class SessionChain {
  runs = 0;
  private disposed = false;
  private inFlight: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly models: readonly ChainModel[],
    private readonly sessions: ReadonlyMap<string, ort.InferenceSession>,
    readonly provider: ExecutionProvider,
    readonly providerReason: string,
    /** Sessions whose first run is profiled, to say which nodes left the device (placement.ts). */
    private readonly profiles: Map<string, string>,
    private readonly log: NodeLog | undefined,
  ) {}

  /** True when values between the steps stay in device memory. */
  get onDevice(): boolean {
    return this.provider === 'webgpu';
  }

  static async open(models: readonly ChainModel[], options: SessionChainOptions): Promise<SessionChain> {
    if (models.length === 0) throw new Error('a session chain needs at least one model');
    const plain = sessionOptions({ threads: options.threads });
    const sessions = new Map<string, ort.InferenceSession>();
    const profiles = new Map<string, string>();
    const onGpu = parseProviders(options.providers)[0] !== 'cpu';
    const optionsFor = (model: ChainModel): ort.InferenceSession.SessionOptions => {
      if (!onGpu) return plain;
      const profiling = profilingOptions();
      profiles.set(model.name, profiling.profileFilePrefix);
      return { ...plain, ...profiling };
    };
    const withLocations = (model: ChainModel, p: ExecutionProvider): ort.InferenceSession.SessionOptions => {
      const base = optionsFor(model);
      return p === 'webgpu' && model.deviceOutputs && model.deviceOutputs.length > 0
        ? { ...base, preferredOutputLocation: Object.fromEntries(model.deviceOutputs.map((o) => [o, 'gpu-buffer' as const])) }
        : base;
    };
    let provider: ExecutionProvider | undefined;
    let reason = '';
    try {
      for (const model of models) {
        if (provider === undefined) {
          // Fallback decides the provider on the first model; the others follow it.
          const opened = await createSessionWithFallback(model.file, parseProviders(options.providers), plain, (m) => options.log?.warn(`${model.name}: ${m}`));
          provider = opened.provider;
          reason = opened.reason;
          if (provider !== 'cpu') {
            // Opened again with the provider known: its outputs' locations, and profiling.
            await withDeviceLock(provider, () => opened.session.release());
            sessions.set(model.name, (await createSessionWithFallback(model.file, [provider], withLocations(model, provider))).session);
          } else {
            sessions.set(model.name, opened.session);
          }
        } else {
          sessions.set(model.name, (await createSessionWithFallback(model.file, [provider], withLocations(model, provider))).session);
        }
      }
    } catch (error) {
      await Promise.all([...sessions.values()].map((s) => s.release().catch(() => undefined)));
      throw operationalError('FF_MODEL_LOAD_FAILED', `onnxruntime could not load the model chain (${models.map((m) => m.name).join(' -> ')}): ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
    if (provider === 'cpu') {
      // Fell back: nothing to tell about device placement; stop the profilers at once.
      for (const [name, prefix] of profiles) void readPlacement(sessions.get(name)!, prefix).catch(() => undefined);
      profiles.clear();
    }
    return new SessionChain(models, sessions, provider!, reason, profiles, options.log);
  }

  /** Runs `steps` (default: every model once, in order) and returns the `wanted` values, on the host. */
  async run(feeds: Feeds, wanted: readonly string[], steps: readonly ChainStep[] = this.models.map((m) => ({ model: m.name }))): Promise<Outputs> {
    if (this.disposed) throw new Error('the session chain was disposed');
    // The whole run holds the device: its values live there between the steps.
    const running = withDeviceLock(this.provider, () => timedModelRun(() => this.runSteps(feeds, wanted, steps)));
    this.inFlight = running.catch(() => undefined);
    return running;
  }

  private async runSteps(feeds: Feeds, wanted: readonly string[], steps: readonly ChainStep[]): Promise<Outputs> {
    const want = new Set(wanted);
    const lastReader = new Map<string, number>();
    steps.forEach((step, i) => {
      const session = this.session(step.model);
      for (const input of session.inputNames) lastReader.set(step.inputs?.[input] ?? input, i);
    });
    const values = new Map<string, ort.Tensor>();
    for (const [name, tensor] of Object.entries(feeds)) values.set(name, toOrtTensor(tensor));
    const release = (name: string) => {
      const t = values.get(name);
      if (t?.location === 'gpu-buffer') t.dispose();
      values.delete(name);
    };
    try {
      for (const [i, step] of steps.entries()) {
        const session = this.session(step.model);
        const inputs: Record<string, ort.Tensor> = {};
        for (const input of session.inputNames) {
          const name = step.inputs?.[input] ?? input;
          const t = values.get(name);
          if (!t) throw new Error(`${step.model} needs "${name}" for its input ${input}, which neither the feeds nor an earlier step gave`);
          inputs[input] = t;
        }
        let result: ort.InferenceSession.ReturnType;
        try {
          result = await session.run(inputs);
        } catch (error) {
          throw deviceFailure(error, `running ${step.model} on ${this.provider}`);
        }
        const prefix = this.profiles.get(step.model);
        if (prefix) {
          this.profiles.delete(step.model);
          const placement = await readPlacement(session, prefix).catch(() => null);
          if (placement) {
            const line = describePlacement(step.model, this.provider, placement);
            this.log?.[line.level](line.message);
          }
        }
        // Device memory goes back as soon as the last reader is done with it.
        for (const input of session.inputNames) {
          const name = step.inputs?.[input] ?? input;
          if (lastReader.get(name) === i && !want.has(name)) release(name);
        }
        for (const [output, tensor] of Object.entries(result)) {
          const name = step.outputs?.[output] ?? output;
          if (values.has(name)) release(name);
          values.set(name, tensor);
        }
      }
      this.runs++;
      const outputs: Outputs = {};
      for (const name of want) {
        const t = values.get(name);
        if (t) outputs[name] = fromOrtTensor(t);
      }
      return outputs;
    } finally {
      for (const name of [...values.keys()]) if (values.get(name)?.location === 'gpu-buffer') release(name);
    }
  }

  private session(name: string): ort.InferenceSession {
    const session = this.sessions.get(name);
    if (!session) throw new Error(`the chain has no model "${name}" (it has ${[...this.sessions.keys()].join(', ')})`);
    return session;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.inFlight;
    await withDeviceLock(this.provider, () => Promise.all([...this.sessions.values()].map((s) => s.release())));
  }
}
