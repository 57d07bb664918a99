/**
 * Sessions run one after another, the values between them kept on the device. On WebGPU a
 * session can leave an output in GPU memory (`preferredOutputLocation: 'gpu-buffer'`) and
 * another session takes that tensor as an input directly, so a chain of models pays one
 * upload and one download instead of one per model (an H200 measured 9.2 ms a face with
 * host copies between a swapper and an enhancer, 5.9 kept on the device). Every session
 * of a chain lands on the same provider: a device tensor cannot cross to another one.
 *
 * The last reader of every value the host wants writes it to the CPU: reading a device
 * tensor from JavaScript (getData) aborts the process in onnxruntime-node 1.30, so device
 * tensors are only ever fed to sessions, and disposed after their last reader.
 */
import type ort from 'onnxruntime-node';
import { operationalError } from '../errors.js';
import type { ExecutionProvider, NodeLog } from '../nodes/define-node.js';
import { createSessionWithFallback, parseProviders } from './providers.js';
import { sessionOptions } from './session-options.js';
import { fromOrtTensor, toOrtTensor, type Feeds, type Outputs } from './tensors.js';
import { deviceFailure } from './device-errors.js';

/** One session of a chain: its model file and the chain values it reads and writes. */
export interface ChainLink {
  name: string;
  file: string;
  inputs: readonly string[];
  outputs: readonly string[];
}

export interface SessionChainOptions {
  providers: readonly string[];
  threads?: number;
  log?: NodeLog;
  /** Chain values the caller reads back (written to the CPU). */
  wanted: readonly string[];
}

export class SessionChain {
  runs = 0;
  private disposed = false;
  private inFlight: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly links: readonly ChainLink[],
    private readonly sessions: ort.InferenceSession[],
    readonly provider: ExecutionProvider,
    readonly providerReason: string,
    private readonly wanted: ReadonlySet<string>,
    /** For each value, the index of the last link that reads it. */
    private readonly lastReader: ReadonlyMap<string, number>,
  ) {}

  /** True when values between the links stay in device memory. */
  get onDevice(): boolean {
    return this.provider === 'webgpu';
  }

  static async open(links: readonly ChainLink[], options: SessionChainOptions): Promise<SessionChain> {
    if (links.length === 0) throw new Error('a session chain needs at least one link');
    const wanted = new Set(options.wanted);
    const lastReader = new Map<string, number>();
    links.forEach((link, i) => link.inputs.forEach((v) => lastReader.set(v, i)));
    const base = sessionOptions({ threads: options.threads });
    const sessions: ort.InferenceSession[] = [];
    let provider: ExecutionProvider | undefined;
    let reason = '';
    try {
      for (const [i, link] of links.entries()) {
        // Outputs a later link reads and the host does not stay on the device (WebGPU only:
        // onnxruntime-node's CUDA provider always copies outputs to the host).
        const location = (name: string): 'gpu-buffer' | 'cpu' => ((lastReader.get(name) ?? -1) > i && !wanted.has(name) ? 'gpu-buffer' : 'cpu');
        const withLocations = (p: ExecutionProvider): ort.InferenceSession.SessionOptions =>
          p === 'webgpu' ? { ...base, preferredOutputLocation: Object.fromEntries(link.outputs.map((o) => [o, location(o)])) } : base;
        if (provider === undefined) {
          const candidates = parseProviders(options.providers);
          // Fallback decides the provider on the first link; the locations depend on it.
          const opened = await createSessionWithFallback(link.file, candidates, base, (m) => options.log?.warn(`${link.name}: ${m}`));
          provider = opened.provider;
          reason = opened.reason;
          if (provider === 'webgpu') {
            await opened.session.release();
            sessions.push((await createSessionWithFallback(link.file, ['webgpu'], withLocations('webgpu'))).session);
          } else {
            sessions.push(opened.session);
          }
        } else {
          sessions.push((await createSessionWithFallback(link.file, [provider], withLocations(provider))).session);
        }
      }
    } catch (error) {
      await Promise.all(sessions.map((s) => s.release().catch(() => undefined)));
      throw operationalError('FF_MODEL_LOAD_FAILED', `onnxruntime could not load the model chain (${links.map((l) => l.name).join(' -> ')}): ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
    return new SessionChain(links, sessions, provider!, reason, wanted, lastReader);
  }

  async run(feeds: Feeds): Promise<Outputs> {
    if (this.disposed) throw new Error('the session chain was disposed');
    const values = new Map<string, ort.Tensor>();
    for (const [name, tensor] of Object.entries(feeds)) values.set(name, toOrtTensor(tensor));
    const release = (name: string) => {
      const t = values.get(name);
      if (t && t.location === 'gpu-buffer') t.dispose();
      values.delete(name);
    };
    try {
      for (const [i, link] of this.links.entries()) {
        const inputs: Record<string, ort.Tensor> = {};
        for (const name of link.inputs) {
          const t = values.get(name);
          if (!t) throw new Error(`${link.name} needs "${name}", which neither the feeds nor an earlier link gave`);
          inputs[name] = t;
        }
        let result: ort.InferenceSession.ReturnType;
        try {
          const running = this.sessions[i]!.run(inputs);
          this.inFlight = running.catch(() => undefined);
          result = await running;
        } catch (error) {
          throw deviceFailure(error, `running ${link.name} on ${this.provider}`);
        }
        for (const [name, tensor] of Object.entries(result)) values.set(name, tensor);
        // Device memory goes back as soon as the last reader is done with it.
        for (const name of link.inputs) if (this.lastReader.get(name) === i && !this.wanted.has(name)) release(name);
      }
      this.runs++;
      const outputs: Outputs = {};
      for (const name of this.wanted) {
        const t = values.get(name);
        if (t) outputs[name] = fromOrtTensor(t);
      }
      return outputs;
    } finally {
      for (const name of [...values.keys()]) if (values.get(name)?.location === 'gpu-buffer') release(name);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.inFlight;
    await Promise.all(this.sessions.map((s) => s.release()));
  }
}
