/**
 * Batch policies: the size and flush deadline each node runs with. A Batcher sets them for
 * the nodes downstream of it; any other node takes the largest of its stream producers';
 * sources start at 1. A stage's final size: pinned, else measured by framefuse tune, else
 * the provider's default for `auto`.
 */
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import type { TunedStage } from './plan-stages.js';

/**
 * A Batcher's `auto` size before anything was measured: 8 on a GPU (the WebGPU swapper gains
 * 3x from batch 8 on an H200; the enhancer is flat to 8 and loses past it), 4 on the CPU
 * (batch 1-4 measured best on two cores; larger batches only outgrow the caches).
 */
export const AUTO_BATCH = { gpu: 8, cpu: 4 } as const;

export interface Policy {
  size: number | 'auto';
  deadlineMs: number;
  setBy: string | null;
}

const DEFAULT_POLICY: Policy = { size: 1, deadlineMs: 0, setBy: null };

/** Sizes compared when a node's inputs bring different policies: auto counts as the GPU default. */
function rank(size: number | 'auto'): number {
  return size === 'auto' ? AUTO_BATCH.gpu : size;
}

export function batchPolicies(graph: ResolvedGraph, passThrough: Set<string>): Map<string, Policy> {
  const policies = new Map<string, Policy>();
  for (const id of graph.order) {
    const incoming = graph.edges.filter((e) => e.to.node === id && e.rate === 'stream');
    let policy = DEFAULT_POLICY;
    for (const edge of incoming) {
      const upstream = policies.get(edge.from.node) ?? DEFAULT_POLICY;
      const up = rank(upstream.size);
      const mine = rank(policy.size);
      if (up > mine || (up === mine && upstream.deadlineMs > policy.deadlineMs)) policy = upstream;
    }
    const node = graph.nodes.get(id)!;
    if (passThrough.has(id)) {
      const own = node.definition.batching!(node.params);
      policy = { size: own.size, deadlineMs: own.deadlineMs, setBy: id };
    }
    policies.set(id, policy);
  }
  return policies;
}

/** The stage's batch: pinned by a Batcher, else measured, else the provider's default. */
export function batchFor(policy: Policy, accelerator: boolean, onGpu: boolean, tuned: TunedStage | undefined): { size: number; reason: string } {
  if (policy.size !== 'auto') return { size: policy.size, reason: policy.setBy ? `pinned by ${policy.setBy}` : 'one frame at a time (no Batcher before it)' };
  if (accelerator && tuned) return { size: tuned.batch, reason: `auto: measured best on ${tuned.device} by framefuse tune` };
  const size = onGpu ? AUTO_BATCH.gpu : AUTO_BATCH.cpu;
  return { size, reason: `auto: ${size} on ${onGpu ? 'a GPU' : 'the CPU'} (not measured here; framefuse tune measures it)` };
}
