/**
 * Execution providers: which exist, which load on this machine, and session creation that
 * falls back down the list. onnxruntime-node throws when a provider's library is missing
 * even with cpu listed after it, so providers are tried one at a time, in order.
 */
import ort from './ort.js';
import { userError } from '../errors.js';
import type { ExecutionProvider } from '../nodes/define-node.js';
import { GraphBuilder } from '../onnx/builder.js';

/** Providers framefuse knows, fastest first. */
export const KNOWN_PROVIDERS: readonly ExecutionProvider[] = ['tensorrt', 'cuda', 'cpu'];

/** Whether one provider can create a session here, and why not. `framefuse doctor` prints these. */
export interface ProviderReport {
  name: string;
  available: boolean;
  reason?: string;
}

export function isExecutionProvider(name: string): name is ExecutionProvider {
  return (KNOWN_PROVIDERS as readonly string[]).includes(name);
}

/**
 * Checks provider names (from a graph, a flag or a config file).
 * @throws FF_PROVIDER_UNKNOWN naming the bad entry and the known ones.
 */
export function parseProviders(names: readonly string[], field = 'providers'): ExecutionProvider[] {
  if (names.length === 0) {
    throw userError('FF_PROVIDER_UNKNOWN', `no execution provider was given in ${field}`, { field, fix: `use one or more of ${KNOWN_PROVIDERS.join(', ')}` });
  }
  return names.map((name) => {
    const normalized = name.trim().toLowerCase();
    if (!isExecutionProvider(normalized)) {
      throw userError('FF_PROVIDER_UNKNOWN', `unknown execution provider "${name}" in ${field}`, {
        field,
        fix: `use one or more of ${KNOWN_PROVIDERS.join(', ')} (in order of preference)`,
      });
    }
    return normalized;
  });
}

/** The first line of an onnxruntime error, without its source-file prefix. */
export function providerFailureReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0] ?? text;
  if (/Failed to load shared library|cannot open shared object/i.test(line)) {
    return `its library is not installed (${line.trim()}); onnxruntime-node downloads the CUDA/TensorRT libraries at install time unless ONNXRUNTIME_NODE_INSTALL=skip`;
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

/**
 * Tries each known provider once, by creating a one-node session on it. The answer is
 * computed once per process (a provider's libraries do not appear while it runs).
 */
export async function probeProviders(): Promise<ProviderReport[]> {
  probed ??= (async () => {
    const bundled = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
    const reports: ProviderReport[] = [];
    for (const name of KNOWN_PROVIDERS) {
      try {
        // Severity 4 (fatal only): a missing library is the expected answer here, not an error to print.
        const session = await ort.InferenceSession.create(tinyModel(), { executionProviders: [name], logSeverityLevel: 4 });
        await session.release();
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
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, { ...options, executionProviders: [provider] })
          : await ort.InferenceSession.create(model, { ...options, executionProviders: [provider] });
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
