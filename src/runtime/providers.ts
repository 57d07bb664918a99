/**
 * Execution providers: which exist, which load on this machine, and session creation that
 * falls back down the list. onnxruntime-node throws when a provider's library is missing
 * even with cpu listed after it, so providers are tried one at a time, in order.
 */
import ort from '../onnx/ort.js';
import { userError } from '../errors.js';
import { EXECUTION_PROVIDERS, isExecutionProvider, type ExecutionProvider, type ProviderChoice } from '../model/providers.js';
import { GraphBuilder } from '../onnx/builder.js';
import { gpuReport } from './gpu-adapter.js';
import { withDeviceLock } from './device-lock.js';

/** Providers that run on a GPU: a stage on one of them keeps its tensors on the device. */
export const GPU_PROVIDERS: readonly ExecutionProvider[] = ['tensorrt', 'cuda', 'webgpu'];

export function isGpuProvider(provider: ExecutionProvider): boolean {
  return provider !== 'cpu';
}

/** Whether one provider can create a session here, and why not. `framefuse doctor` prints these. */
export interface ProviderReport {
  name: string;
  available: boolean;
  reason?: string;
}

const KNOWN_LIST = EXECUTION_PROVIDERS.join(', ');

/**
 * Checks provider names (from a graph, a flag or a config file) as the runtime takes them:
 * exactly the list given, in order.
 * @throws FF_PROVIDER_UNKNOWN naming the bad entry and the known ones.
 */
export function parseProviders(names: readonly string[], field = 'providers'): ExecutionProvider[] {
  if (names.length === 0) {
    throw userError('FF_PROVIDER_UNKNOWN', `no execution provider was given in ${field}`, { field, fix: `use one or more of ${KNOWN_LIST}` });
  }
  return names.map((name) => {
    const normalized = name.trim().toLowerCase();
    if (!isExecutionProvider(normalized)) {
      throw userError('FF_PROVIDER_UNKNOWN', `unknown execution provider "${name}" in ${field}`, {
        field,
        fix: `use auto, or one or more of ${KNOWN_LIST} (in order of preference)`,
      });
    }
    return normalized;
  });
}

/**
 * A user's choice (a --provider flag, a graph's `providers`, the editor's run options):
 * comma-separated or repeated names in order, or `auto`; nothing means auto. An explicit
 * list ends with cpu, so a model always has somewhere to run.
 */
export function parseProviderChoice(values: readonly string[] | undefined, field = '--provider'): ProviderChoice[] {
  const names = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0 || (names.length === 1 && names[0] === 'auto')) return ['auto'];
  if (names.includes('auto')) {
    throw userError('FF_PROVIDER_UNKNOWN', `"auto" cannot be combined with other providers in ${field} (${names.join(', ')})`, {
      field,
      fix: 'give auto alone, or list the providers to try in order',
    });
  }
  const chosen = [...new Set(parseProviders(names, field))];
  if (!chosen.includes('cpu')) chosen.push('cpu');
  return chosen;
}

/** The first line of an onnxruntime error, without its source-file prefix, and what it means. */
export function providerFailureReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = (text.split('\n')[0] ?? text).replace(/^\/onnxruntime_src\/\S+:\d+ \S+.*? was false\. /, '');
  if (/Failed to load shared library|cannot open shared object/i.test(line)) {
    return `its library is not installed (${line.trim()}); npm install does not fetch the CUDA and TensorRT libraries: framefuse gpu install does (docs/gpu.md); the webgpu provider needs none`;
  }
  if (/WebGPU adapter|No supported adapters|vkCreateInstance/i.test(line)) {
    return `no WebGPU adapter: ${gpuReport().summary}`;
  }
  return line.trim();
}

let probeModel: Uint8Array | undefined;
let probed: Promise<ProviderReport[]> | undefined;

function tinyModel(): Uint8Array {
  if (!probeModel) {
    const g = new GraphBuilder('probe', { opset: 13 });
    g.output(g.node('Relu', [g.input('x', 'float32', [1])]), 'y', 'float32', [1]);
    probeModel = g.toBytes();
  }
  return probeModel;
}

/** onnxruntime's provider entry for a name (WebGPU takes an object to carry its options). */
export function ortProvider(provider: ExecutionProvider): ort.InferenceSession.ExecutionProviderConfig {
  return provider === 'webgpu' ? { name: 'webgpu' } : provider;
}

/**
 * Tries each known provider once, by creating a one-node session on it. The answer is
 * computed once per process (a provider's libraries do not appear while it runs).
 */
export async function probeProviders(): Promise<ProviderReport[]> {
  probed ??= (async () => {
    const bundled = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
    const reports: ProviderReport[] = [];
    for (const name of EXECUTION_PROVIDERS) {
      try {
        // Severity 4 (fatal only): a missing library is the expected answer here, not an error to print.
        await withDeviceLock(name, async () => {
          const session = await ort.InferenceSession.create(tinyModel(), { executionProviders: [ortProvider(name)], logSeverityLevel: 4 });
          await session.release();
        });
        reports.push({ name, available: true });
      } catch (error) {
        const hint = bundled.get(name) === false ? ' (not bundled with onnxruntime-node)' : '';
        reports.push({ name, available: false, reason: providerFailureReason(error) + hint });
      }
    }
    return reports;
  })();
  return probed;
}

/** One provider that was tried and failed while opening a session. */
export interface ProviderAttempt {
  provider: ExecutionProvider;
  error: string;
}

export interface SessionWithProvider {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  /** Why this provider: the first asked for, or which ones failed before it. */
  reason: string;
  attempts: ProviderAttempt[];
}

/**
 * Creates a session on the first provider in `providers` that works, trying them one at
 * a time. `warn` hears about each fallback. When none works, the last provider's error is
 * thrown (a model error on cpu is the model's fault, not the provider's).
 */
export async function createSessionWithFallback(
  model: string | Uint8Array,
  providers: readonly ExecutionProvider[],
  options: ort.InferenceSession.SessionOptions,
  warn: (message: string) => void = () => {},
): Promise<SessionWithProvider> {
  const attempts: ProviderAttempt[] = [];
  let lastError: unknown;
  for (const [index, provider] of providers.entries()) {
    const isLast = index === providers.length - 1;
    try {
      const session = await withDeviceLock(provider, () =>
        typeof model === 'string'
          ? ort.InferenceSession.create(model, { ...options, executionProviders: [ortProvider(provider)] })
          : ort.InferenceSession.create(model, { ...options, executionProviders: [ortProvider(provider)] }),
      );
      const reason =
        attempts.length === 0
          ? `${provider} was the first provider asked for`
          : `fell back to ${provider}: ${attempts.map((a) => `${a.provider} failed (${a.error})`).join('; ')}`;
      return { session, provider, reason, attempts };
    } catch (error) {
      lastError = error;
      const reason = providerFailureReason(error);
      attempts.push({ provider, error: reason });
      if (!isLast) warn(`execution provider ${provider} failed, trying ${providers[index + 1]}: ${reason}`);
    }
  }
  throw lastError ?? new Error('no execution provider was given');
}
