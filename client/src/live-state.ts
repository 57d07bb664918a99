/** Per-node live state from a run record: what the canvas draws on each node while a run goes. */
import type { LiveNode, LiveNodeState } from './editor-context.ts';
import type { RunRecord } from './types.ts';

type NodeMetrics = NonNullable<RunRecord['metrics']>['nodes'][string];

/** A node has started once it took, gave or ran anything. */
function started(m: NodeMetrics | undefined): boolean {
  return m !== undefined && (m.framesIn > 0 || m.framesOut > 0 || m.runs > 0);
}

/** Whether frames flow through a pass-through node: a node it sets the batch of has started (the same test as theirs). */
function passThroughFlowing(run: RunRecord, id: string): boolean {
  const metrics = run.metrics;
  if (!metrics) return false;
  const fed = (run.plan?.stages ?? []).filter((s) => s.batchSetBy === id).flatMap((s) => s.nodes);
  const watched = fed.length > 0 ? fed : Object.keys(metrics.nodes);
  return metrics.frames > 0 || watched.some((n) => started(metrics.nodes[n]));
}

export function liveNodes(run: RunRecord | null, nodeIds: string[]): Map<string, LiveNode> {
  const live = new Map<string, LiveNode>();
  if (!run) return live;
  const metrics = run.metrics;
  for (const id of nodeIds) {
    const m = metrics?.nodes[id];
    const stage = metrics?.stages.find((s) => s.nodes.includes(id)) ?? run.plan?.stages.find((s) => s.nodes.includes(id));
    const queues = metrics?.stages.find((s) => s.nodes.includes(id))?.queues ?? [];
    const queue = queues.reduce((max, q) => Math.max(max, q.capacity > 0 ? q.depth / q.capacity : 0), 0);
    let state: LiveNodeState = 'waiting';
    if (run.status === 'queued') state = 'waiting';
    else if (run.status === 'finished') state = 'done';
    else if (run.status === 'failed') state = run.error?.node === id ? 'failed' : 'cancelled';
    else if (run.status === 'cancelled') state = 'cancelled';
    else if (started(m)) state = 'running';
    // A pass-through node (the Batcher) has no stage of its own: it runs once frames reach the
    // stages it sets the batch of (not only once frames leave the graph's sink, which in a
    // model pipeline is seconds later).
    else if (run.plan?.passThrough.some((p) => p.node === id) && passThroughFlowing(run, id)) state = 'running';
    live.set(id, { state, fps: m?.fps ?? 0, framesOut: m?.framesOut ?? 0, queue, batch: stage ? ('batchSize' in stage ? stage.batchSize : null) : null });
  }
  return live;
}
