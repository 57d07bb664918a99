/**
 * Live previews without touching the scheduler: before a run, the server adds one tiny
 * host node that consumes the Frames going into the graph's sink and hands a frame to the
 * run about once a second. The node keeps nothing but a reference, so it costs the
 * pipeline one queue hop; downscaling and JPEG encoding happen only for the frames it keeps.
 */
import { z } from 'zod';
import { defineNode } from '../../src/node-api/define-node.js';
import type { GraphDocument } from '../../src/model/document.js';
import { NodeRegistry } from '../../src/node-api/registry.js';
import type { Frame } from '../../src/model/port-values.js';

export const PREVIEW_NODE_ID = '__preview';
export const PREVIEW_NODE_TYPE = 'FramefusePreviewTap';

export type PreviewSink = (frame: Frame, index: number) => void;

/** Sinks by run id: the node finds its run's sink through its `run` param. */
const sinks = new Map<string, { sink: PreviewSink; intervalMs: number }>();

export function registerPreviewSink(runId: string, sink: PreviewSink, intervalMs: number): () => void {
  sinks.set(runId, { sink, intervalMs });
  return () => sinks.delete(runId);
}

export const previewTapNode = defineNode({
  type: PREVIEW_NODE_TYPE,
  version: 1,
  category: 'Internal',
  title: 'Preview tap',
  description: 'Sends a downscaled frame to the editor about once a second (added by the server).',
  kind: 'host',
  inputs: { frames: { type: 'Frames' } },
  outputs: {},
  params: z.object({ run: z.string() }),
  create: ({ params }) => {
    let last = -Infinity;
    return {
      process: ({ indices, inputs }) => {
        const entry = sinks.get(params.run);
        const now = Date.now();
        const frame = inputs.frames[inputs.frames.length - 1];
        if (entry && frame && now - last >= entry.intervalMs) {
          last = now;
          entry.sink(frame, indices[indices.length - 1]!);
        }
        return {};
      },
    };
  },
});

/** The registry used for runs: everything in `base`, plus the preview tap. */
export function withPreviewTap(base: NodeRegistry): NodeRegistry {
  const registry = new NodeRegistry();
  for (const { definition, moduleUrl } of base.list()) registry.add(definition, moduleUrl);
  registry.add(previewTapNode, import.meta.url);
  return registry;
}

/**
 * Where to tap: the Frames port that feeds the first sink (a node with a Frames input and
 * no outputs, such as the Encoder), else the last Frames output of the graph. Null when the
 * graph carries no frames.
 */
export function previewSource(doc: GraphDocument, registry: NodeRegistry): { node: string; port: string } | null {
  const framesInputs = (type: string) => Object.entries(registry.get(type)?.definition.inputs ?? {}).filter(([, p]) => p.type === 'Frames').map(([n]) => n);
  for (const node of doc.nodes) {
    const def = registry.get(node.type)?.definition;
    if (!def || Object.keys(def.outputs).length > 0) continue;
    for (const port of framesInputs(node.type)) {
      const edge = doc.edges.find((e) => e.to.node === node.id && e.to.port === port);
      if (edge) return { node: edge.from.node, port: edge.from.port };
    }
  }
  for (const node of [...doc.nodes].reverse()) {
    const out = Object.entries(registry.get(node.type)?.definition.outputs ?? {}).find(([, p]) => p.type === 'Frames');
    if (out) return { node: node.id, port: out[0] };
  }
  return null;
}

/** A copy of `doc` with the preview tap wired to `source`. */
export function addPreviewTap(doc: GraphDocument, source: { node: string; port: string }, runId: string): GraphDocument {
  return {
    ...doc,
    nodes: [...doc.nodes, { id: PREVIEW_NODE_ID, type: PREVIEW_NODE_TYPE, version: 1, params: { run: runId } }],
    edges: [...doc.edges, { from: source, to: { node: PREVIEW_NODE_ID, port: 'frames' } }],
  };
}
