/** What every command shares: the node registry (loaded once) and provider selection. */
import { loadNodeRegistry, type NodeRegistry } from '../node-api/registry.js';
import { parseProviderChoice } from '../runtime/providers.js';
import type { ProviderChoice } from '../model/providers.js';

let registry: Promise<NodeRegistry> | undefined;

export function cliRegistry(): Promise<NodeRegistry> {
  registry ??= loadNodeRegistry();
  return registry;
}

/**
 * Providers from `--provider` (comma-separated or repeated, in order, or `auto`). Without
 * the flag: undefined, so the graph's own `providers` apply, else auto (measured: the
 * fastest provider that loads; see runtime/auto-providers.ts).
 */
export function providerFlag(values: string[] | undefined): ProviderChoice[] | undefined {
  return values && values.length > 0 ? parseProviderChoice(values) : undefined;
}

/** The --provider option's help, one text for every command that plans or runs. */
export const PROVIDER_HELP = 'execution provider: auto (default: the fastest that loads, measured once per machine), or tensorrt, cuda, webgpu, cpu in order of preference (repeatable)';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The --replicas option's help, for the commands that plan. */
export const REPLICAS_HELP =
  'copies of each stateless model stage (default: one per core on the CPU provider, as many as fit in memory; 1 on a GPU); each copy holds its own models';
