/**
 * `--provider auto` (the default): the providers that load here, fastest first, measured.
 * onnxruntime cannot say how fast a provider is without running it, and a provider that
 * loads is not always faster (a software Vulkan driver loads WebGPU and runs it on the
 * CPU, slower than the CPU provider). So auto:
 *   1. keeps the CPU provider, which always loads;
 *   2. adds CUDA when its library is installed, and WebGPU when a hardware GPU adapter is
 *      reachable (gpu-adapter.ts: never for a software driver alone);
 *   3. when there is more than one, times a small convolution model on each and orders
 *      them by speed, dropping those slower than the CPU;
 *   4. caches the answer per machine (the drivers, GPUs and onnxruntime version), so only
 *      the first run on a machine pays for the measurement.
 * TensorRT is never chosen by auto: onnxruntime-node cannot cache its engines, so every
 * run would rebuild them (docs/runtime.md); ask for it by name.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import ort from '../onnx/ort.js';
import type { ExecutionProvider } from '../node-api/define-node.js';
import { GraphBuilder } from '../onnx/builder.js';
import { seededRandom } from '../onnx/random-feeds.js';
import { gpuReport, type GpuAdapter, type GpuReport } from './gpu-adapter.js';
import { ortProvider, providerFailureReason } from './providers.js';
import type { ProviderChoice } from '../model/providers.js';
import { sessionOptions } from './session-options.js';
import { withDeviceLock } from './device-lock.js';

export interface ProviderDecision {
  /** The providers to try, in order; always ends with cpu. */
  providers: ExecutionProvider[];
  /** Why these, in one sentence a user reads in `plan` and the run log. */
  reason: string;
  /** Milliseconds per run of the probe model on each provider measured (auto only). */
  measuredMs?: Partial<Record<ExecutionProvider, number>>;
  adapter?: GpuAdapter | null;
}

/** The CUDA provider's library, which onnxruntime-node's installer adds beside its binding. */
export function cudaLibraryInstalled(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const binding = dirname(require.resolve('onnxruntime-node/package.json'));
    return existsSync(join(binding, 'bin/napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}

/** The probe: four 3x3 convolutions of 32 channels at 96x96, batch 4 (0.3 G multiply-adds): big enough that a GPU's launch cost does not hide its speed. */
function probeModel(): { bytes: Uint8Array; feed: Float32Array; dims: number[] } {
  const c = 32;
  const size = 96;
  const random = seededRandom(5);
  const g = new GraphBuilder('provider_probe', { opset: 17 });
  let x = g.input('x', 'float32', [4, c, size, size]);
  for (let i = 0; i < 4; i++) {
    const w = Float32Array.from({ length: c * c * 9 }, () => (random() * 2 - 1) * 0.05);
    x = g.node('Relu', [g.node('Conv', [x, g.initializer(`w${i}`, w, [c, c, 3, 3])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })]);
  }
  g.output(x, 'y', 'float32', [4, c, size, size]);
  const dims = [4, c, size, size];
  return { bytes: g.toBytes(), feed: Float32Array.from({ length: 4 * c * size * size }, () => random()), dims };
}

/** Median milliseconds per run of the probe model on `provider`, or why it could not run. */
export async function timeProbe(provider: ExecutionProvider, rounds = 5): Promise<{ ms: number } | { error: string }> {
  const probe = probeModel();
  let session: ort.InferenceSession | undefined;
  try {
    const created = await withDeviceLock(provider, () => ort.InferenceSession.create(probe.bytes, { ...sessionOptions(), executionProviders: [ortProvider(provider)] }));
    session = created;
    const feeds = { x: new ort.Tensor('float32', probe.feed, probe.dims) };
    const times: number[] = [];
    for (let i = 0; i < rounds + 2; i++) {
      const started = performance.now();
      await withDeviceLock(provider, () => created.run(feeds));
      const ms = performance.now() - started;
      // The first run warms up (shaders, memory plans); a provider 2 s a run is out of the race after its second.
      if (i >= 1) times.push(ms);
      if (ms > 2000 && i >= 1) break;
    }
    if (times.length > 1) times.shift();
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(times.length / 2)]! };
  } catch (error) {
    return { error: providerFailureReason(error) };
  } finally {
    if (session) await withDeviceLock(provider, () => session!.release());
  }
}

/** What makes two machines answer auto the same way. */
export function machineFingerprint(gpu: GpuReport, cuda: boolean): string {
  const facts = {
    ort: ort.env.versions,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    drivers: gpu.drivers.map((d) => `${d.manifest}:${d.library}`),
    displays: gpu.displays.map((d) => `${d.slot}:${d.vendorId}:${d.deviceId}`),
    nvidia: gpu.nvidiaDriver,
    cuda,
  };
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16);
}

function cacheFile(dir: string, fingerprint: string): string {
  return join(dir, 'providers', `auto-${fingerprint}.json`);
}

function readCached(file: string): ProviderDecision | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as ProviderDecision;
    return Array.isArray(value.providers) && typeof value.reason === 'string' ? value : null;
  } catch {
    return null;
  }
}

function writeCached(file: string, decision: ProviderDecision): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(decision, null, 2)}\n`);
    renameSync(temp, file);
  } catch {
    // A read-only models folder only means measuring again next time.
  }
}

export interface ResolveOptions {
  /** Where the measured answer is cached (`<models>/cache`); without it, nothing is cached. */
  cacheDir?: string;
  /** For tests: the GPU facts to decide on. */
  gpu?: GpuReport;
  /** For tests: whether the CUDA library counts as installed. */
  cuda?: boolean;
}

function describe(ms: Partial<Record<ExecutionProvider, number>>): string {
  return Object.entries(ms)
    .map(([p, v]) => `${p} ${v === undefined || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(1)} ms`}`)
    .join(', ');
}

/** The providers for a choice: as listed, or measured for auto (see the top of this file). */
export async function resolveProviders(choice: readonly ProviderChoice[], options: ResolveOptions = {}): Promise<ProviderDecision> {
  if (!(choice.length === 1 && choice[0] === 'auto')) {
    const providers = choice.filter((c): c is ExecutionProvider => c !== 'auto');
    return { providers, reason: `as asked: ${providers.join(', ')}` };
  }
  const gpu = options.gpu ?? gpuReport();
  const cuda = options.cuda ?? cudaLibraryInstalled();
  const candidates: ExecutionProvider[] = [...(cuda ? (['cuda'] as const) : []), ...(gpu.hardware ? (['webgpu'] as const) : [])];
  if (candidates.length === 0) {
    return { providers: ['cpu'], reason: `auto chose cpu: no GPU provider to try (webgpu: ${gpu.summary}; cuda: its library is not installed)`, adapter: gpu.adapter };
  }
  const fingerprint = machineFingerprint(gpu, cuda);
  const file = options.cacheDir ? cacheFile(options.cacheDir, fingerprint) : null;
  const cached = file ? readCached(file) : null;
  if (cached) return cached;

  const measuredMs: Partial<Record<ExecutionProvider, number>> = {};
  const failures: string[] = [];
  for (const provider of ['cpu', ...candidates] as ExecutionProvider[]) {
    const result = await timeProbe(provider);
    if ('ms' in result) measuredMs[provider] = result.ms;
    else failures.push(`${provider} did not load (${result.error})`);
  }
  const cpu = measuredMs.cpu ?? Infinity;
  const faster = candidates.filter((p) => (measuredMs[p] ?? Infinity) < cpu).sort((a, b) => measuredMs[a]! - measuredMs[b]!);
  const providers: ExecutionProvider[] = [...faster, 'cpu'];
  const best = providers[0]!;
  const why =
    best === 'cpu'
      ? `auto chose cpu: no GPU provider beat it on the probe model (${describe(measuredMs)})`
      : `auto chose ${providers.join(', ')}: ${best} ran the probe model ${(cpu / measuredMs[best]!).toFixed(1)}x as fast as cpu (${describe(measuredMs)})${gpu.adapter && best === 'webgpu' ? ` on ${gpu.adapter.device}` : ''}`;
  const decision: ProviderDecision = {
    providers,
    reason: `${why}${failures.length > 0 ? `; ${failures.join('; ')}` : ''}; measured once on this machine${file ? ` and cached in ${file}` : ''}`,
    measuredMs,
    adapter: gpu.adapter,
  };
  if (file) writeCached(file, decision);
  return decision;
}
