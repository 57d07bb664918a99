/** What every command shares: the node registry (loaded once) and provider selection. */
import { loadNodeRegistry, type NodeRegistry } from '../nodes/registry.js';
import { userError } from '../errors.js';
import type { ExecutionProvider } from '../nodes/define-node.js';

let registry: Promise<NodeRegistry> | undefined;

export function cliRegistry(): Promise<NodeRegistry> {
  registry ??= loadNodeRegistry();
  return registry;
}

const KNOWN: readonly ExecutionProvider[] = ['tensorrt', 'cuda', 'cpu'];

/**
 * Providers from `--provider` (comma-separated or repeated, in order). Without the flag:
 * cpu, since onnxruntime-node cannot tell whether CUDA works without trying (the runtime
 * falls back provider by provider when a model loads, and says why).
 */
export function parseProviders(values: string[] | undefined): ExecutionProvider[] {
  const names = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) return ['cpu'];
  for (const name of names) {
    if (!(KNOWN as readonly string[]).includes(name)) {
      throw userError('FF_PROVIDER_UNKNOWN', `unknown execution provider "${name}": use ${KNOWN.join(', ')}`);
    }
  }
  const chosen = [...new Set(names)] as ExecutionProvider[];
  if (!chosen.includes('cpu')) chosen.push('cpu');
  return chosen;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The --replicas option's help, for the commands that plan. */
export const REPLICAS_HELP =
  'copies of each stateless model stage (default: one per core on the CPU provider, as many as fit in memory; 1 on a GPU); each copy holds its own models';
