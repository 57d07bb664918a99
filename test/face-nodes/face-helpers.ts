/** Shared by the face node tests: the registry with the collecting sinks, graph runs, clip frames. */
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadNodeRegistry, type NodeRegistry } from '../../src/node-api/registry.js';
import { prepareGraph } from '../../src/run/prepare-graph.js';
import { runPlan } from '../../src/run/run-plan.js';
import { getTools } from '../../src/media/ffmpeg-tools.js';
import type { GraphDocument } from '../../src/model/document.js';
import type { Problem } from '../../src/model/problem.js';
import type { Face, Frame } from '../../src/model/port-values.js';
import detectorNode from '../../nodes/detector.js';

/** The Detector node's parameter defaults (its schema is where they live). */
export const DETECTOR_DEFAULTS = detectorNode.params.parse({});
const detectorDefaults = DETECTOR_DEFAULTS;
export const DETECT_DEFAULTS = { maxFaces: detectorDefaults.maxFaces, detectionSize: detectorDefaults.detectionSize };

export const CLIP = 'samples/tears_of_steel_clip01_640x360.mp4';
const SINKS_DIR = fileURLToPath(new URL('./nodes/', import.meta.url));

let registry: Promise<NodeRegistry> | undefined;
export function faceRegistry(): Promise<NodeRegistry> {
  registry ??= loadNodeRegistry({ dirs: [SINKS_DIR] });
  return registry;
}

export interface Collected {
  frames: { indices: number[]; frames: Frame[] };
  faces: { indices: number[]; faces: Face[][] };
}

/** Validates (with the nodes' checks), plans and runs a document; returns every node's result. */
export async function runGraph(doc: GraphDocument, options: { cwd?: string } = {}): Promise<Record<string, unknown>> {
  const prepared = await prepareGraph(doc, await faceRegistry(), { providers: ['cpu'], cpuThreads: 2, ...(options.cwd ? { cwd: options.cwd } : {}) });
  if (!prepared.graph || !prepared.plan) throw new Error(`invalid graph: ${prepared.problems.map((p) => `${p.code} ${p.node ?? ''}.${p.field ?? ''}: ${p.message}`).join('; ')}`);
  const { outputs } = await runPlan(prepared.graph, prepared.plan, { ...(options.cwd ? { paths: { cwd: options.cwd } } : {}) });
  return outputs;
}

/** Only the problems of a document (validation with the nodes' checks). */
export async function problemsOf(doc: GraphDocument, models?: string): Promise<Problem[]> {
  const { validateGraph } = await import('../../src/graph/validate.js');
  const { defaultPaths } = await import('../../src/run/paths.js');
  const paths = defaultPaths();
  const { problems } = await validateGraph(doc, await faceRegistry(), { checkEnv: { cwd: paths.cwd, models: models ?? paths.models, providers: ['cpu'] } });
  return problems;
}

/** A graph from `[id, type, params]` triples and `"a.out -> b.in"` edges. */
export function graph(nodes: [string, string, Record<string, unknown>?][], edges: string[]): GraphDocument {
  return {
    schemaVersion: 1,
    name: 'face-nodes-test',
    nodes: nodes.map(([id, type, params]) => ({ id, type, version: 1, params: params ?? {} })),
    edges: edges.map((text) => {
      const [from, to] = text.split('->').map((s) => s.trim().split('.'));
      return { from: { node: from![0]!, port: from![1]! }, to: { node: to![0]!, port: to![1]! } };
    }),
    metadata: {},
  } as GraphDocument;
}

const run = promisify(execFile);

/** Frames `start` (inclusive) to `end` (exclusive) of the clip, decoded by ffmpeg directly. */
export async function clipFrames(start: number, end: number): Promise<Frame[]> {
  const { stdout } = await run(
    getTools().ffmpeg.path,
    ['-v', 'error', '-i', CLIP, '-vf', `select='between(n\\,${start}\\,${end - 1})'`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 1 << 28 },
  );
  const size = 640 * 360 * 3;
  return Array.from({ length: stdout.length / size }, (_, i) => ({ width: 640, height: 360, data: new Uint8Array(stdout.buffer, stdout.byteOffset + i * size, size) }));
}
