/**
 * A stage whose fusion family composed its nodes into one instance: how it is made (the
 * family's fuse, given each member's validated params, inputs and consumed outputs), how
 * it opens (one call, each member's facts announced under its own keys) and how a batch
 * goes through it (one call whose time is booked on the first member).
 */
import { performance } from 'node:perf_hooks';
import type { FusedInstance, NodeContext } from '../node-api/define-node.js';
import { commonFusionFamily, fusionCandidates } from '../node-api/fusion-family.js';
import { isPortOf, portKey, portOfKey } from '../model/port-key.js';
import { modelMs } from '../runtime/model-clock.js';
import { withPassedThroughFacts } from './stream-facts.js';
import { recordBatch, type NodeStats } from './stage-stats.js';
import { attribute, type LogSink, type MemberInputs, type StageBatch, type StageNode, type StageSpec } from './stage-spec.js';

/** The composed instance, or null when no family composes these nodes (they then run one by one). */
export async function fuseStage(spec: StageSpec, contextFor: (node: StageNode) => NodeContext<unknown>, log: LogSink): Promise<FusedInstance | null> {
  const family = spec.compose === false ? null : commonFusionFamily(spec.nodes.map((n) => n.definition));
  if (!family) return null;
  const first = spec.nodes[0]!.id;
  let fused: FusedInstance | null;
  try {
    const candidates = fusionCandidates(spec.nodes, spec.inputs, spec.outputs);
    fused = await family.fuse(candidates.map((c, i) => ({ ...c, ctx: contextFor(spec.nodes[i]!) })));
  } catch (error) {
    throw attribute(error, first);
  }
  if (fused) log('info', first, `${spec.nodes.map((n) => n.id).join(' + ')} composed into one instance (${family.id})`);
  return fused;
}

/** Opens the composed instance; returns what every member announced, by key. */
export async function openFused(fused: FusedInstance, spec: StageSpec, members: ReadonlyMap<string, MemberInputs>, external: Record<string, unknown>): Promise<Record<string, unknown>> {
  const known: Record<string, unknown> = { ...external };
  const announced: Record<string, unknown> = {};
  const inputs: Record<string, Record<string, unknown>> = {};
  for (const node of spec.nodes) {
    inputs[node.id] = {};
    for (const input of members.get(node.id)!.external) inputs[node.id]![input.port] = external[input.from];
  }
  let outputs: Record<string, Record<string, unknown>> | void;
  try {
    outputs = await fused.open?.(inputs);
  } catch (error) {
    throw attribute(error, spec.nodes[0]!.id);
  }
  for (const node of spec.nodes) {
    const own: Record<string, unknown> = {};
    for (const input of members.get(node.id)!.all) own[input.port] = known[input.from];
    for (const [port, value] of Object.entries(withPassedThroughFacts(node.definition, own, outputs?.[node.id] ?? {}))) {
      known[portKey({ node: node.id, port })] = value;
      announced[portKey({ node: node.id, port })] = value;
    }
  }
  return announced;
}

/** Runs a batch through the composed instance; its outputs join `values` under their keys. */
export async function processFused(
  fused: FusedInstance,
  spec: StageSpec,
  members: ReadonlyMap<string, MemberInputs>,
  stats: Record<string, NodeStats>,
  batch: StageBatch,
  values: Record<string, unknown[]>,
): Promise<void> {
  const n = batch.indices.length;
  const first = spec.nodes[0]!.id;
  const inputs: Record<string, Record<string, unknown[]>> = {};
  for (const node of spec.nodes) {
    inputs[node.id] = {};
    for (const input of members.get(node.id)!.externalStreams) inputs[node.id]![input.port] = batch.streams[input.from]!;
  }
  const started = performance.now();
  const modelAtStart = modelMs();
  let outputs: Record<string, Record<string, unknown[]>>;
  try {
    outputs = await fused.process({ indices: batch.indices, pts: batch.pts, inputs });
  } catch (error) {
    throw attribute(error, first);
  }
  const busy = performance.now() - started;
  const model = modelMs() - modelAtStart;
  for (const [member, ports] of Object.entries(outputs)) {
    for (const [port, column] of Object.entries(ports)) {
      if (!Array.isArray(column) || column.length !== n) {
        throw attribute(new Error(`the composed stage returned ${Array.isArray(column) ? column.length : 'no array of'} values for ${member}.${port} on a batch of ${n} frames`), member);
      }
      values[portKey({ node: member, port })] = column;
    }
  }
  // One call did every member's work: its time is booked once, on the first member.
  for (const node of spec.nodes) recordBatch(stats[node.id]!, n, n, node.id === first ? busy : 0, node.id === first ? model : 0);
}
