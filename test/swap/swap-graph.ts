/** The swap tests' graphs: built-in nodes, the shared test nodes and the swap test nodes. */
import { fileURLToPath } from 'node:url';
import { loadNodeRegistry, type NodeRegistry } from '../../src/node-api/registry.js';
import { validateGraph } from '../../src/graph/validate.js';
import { planStages } from '../../src/plan/plan-stages.js';
import type { GraphDocument } from '../../src/model/document.js';
import type { ResolvedGraph } from '../../src/graph/resolved-graph.js';
import type { Plan } from '../../src/model/plan.js';
import type { Face, Frame, FramesInfo } from '../../src/model/port-values.js';
import { graph, TEST_NODES_DIR } from '../helpers.js';
import type { FaceModelFiles } from './face-models.js';

export const SWAP_NODES_DIR = fileURLToPath(new URL('./nodes/', import.meta.url));
export const CLIP = fileURLToPath(new URL('../../../samples/tears_of_steel_clip01_640x360.mp4', import.meta.url));
export const ASTRONAUT = fileURLToPath(new URL('../../../samples/astronaut.png', import.meta.url));

let registry: Promise<NodeRegistry> | undefined;
export function swapRegistry(): Promise<NodeRegistry> {
  registry ??= loadNodeRegistry({ dirs: [TEST_NODES_DIR, SWAP_NODES_DIR] });
  return registry;
}

export async function resolveSwapGraph(doc: GraphDocument): Promise<{ graph: ResolvedGraph; plan: Plan }> {
  const { problems, graph: resolved } = await validateGraph(doc, await swapRegistry());
  if (!resolved) throw new Error(`invalid test graph:\n${problems.map((p) => `${p.code} ${p.node ?? ''}: ${p.message}`).join('\n')}`);
  return { graph: resolved, plan: planStages(resolved, { providers: ['cpu'], cpuThreads: 2 }) };
}

export interface ChainGraphOptions {
  models: FaceModelFiles;
  start: number;
  end: number;
  source?: string;
  batch?: number | null;
  enhancer?: Record<string, unknown>;
  swapper?: Record<string, unknown>;
}

/**
 * ```
 *  decoder ──> faces (Detector, YuNet) ─────────── faces ─────┬────────┐
 *     ├──> batch ──> swap ──> enhance ──> sink       │        │
 *     │   image ─ source ┘    └ faces ───────────────┘        │
 *     └──> orig (the frames as decoded)
 * ```
 * `batch: null` leaves the Batcher out.
 */
export function chainGraph(o: ChainGraphOptions): GraphDocument {
  const withBatch = o.batch !== null;
  return graph(
    [
      ['decoder', 'Decoder', { path: CLIP, start: o.start, end: o.end }],
      ['faces', 'Detector', { model: 'yunet' }],
      ...(withBatch ? [['batch', 'Batcher', { size: o.batch ?? 4, deadlineMs: 1000 }] as [string, string, Record<string, unknown>]] : []),
      ['image', 'Image', { path: o.source ?? ASTRONAUT }],
      ['swap', 'Swapper', { model: o.models.swapper, embedder: o.models.embedder, ...o.swapper }],
      ['enhance', 'Enhancer', { faceModel: o.models.gfpgan, ...o.enhancer }],
      ['sink', 'TestFrameCollector'],
      ['orig', 'TestFrameCollector'],
    ],
    [
      'decoder.frames -> faces.frames',
      ...(withBatch ? ['decoder.frames -> batch.frames', 'batch.frames -> swap.frames'] : ['decoder.frames -> swap.frames']),
      'faces.faces -> swap.faces',
      'image.image -> swap.source',
      'swap.frames -> enhance.frames',
      'faces.faces -> enhance.faces',
      'enhance.frames -> sink.frames',
      'faces.faces -> sink.faces',
      'decoder.frames -> orig.frames',
    ],
  );
}

export interface Collected {
  frames: Frame[];
  faces: Face[][];
  info: FramesInfo | null;
}
