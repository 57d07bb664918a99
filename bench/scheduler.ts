/**
 * Scheduler benchmark, on synthetic stages of known cost (test nodes that hold their thread
 * for a fixed time per batch, as a model run does): per-frame execution against the planned
 * pipeline, unbatched and batched, on the same graph in one run. It measures the
 * scheduler's own mechanics (overlap of stages, batching, fusion), not any model.
 */
import { fileURLToPath } from 'node:url';
import { loadNodeRegistry } from '../src/node-api/registry.js';
import { prepareGraph } from '../src/run/prepare-graph.js';
import { runPlan } from '../src/run/run-plan.js';
import { runPerFrame } from '../src/run/run-per-frame.js';
import { GRAPH_SCHEMA_VERSION, type GraphDocument } from '../src/model/document.js';

const TEST_NODES = fileURLToPath(new URL('../test/nodes/', import.meta.url));

function chain(frames: number, blockMs: number[], batch: number | null): GraphDocument {
  const nodes: GraphDocument['nodes'] = [{ id: 'src', type: 'TestSource', version: 1, params: { frames, chunk: 8, width: 64, height: 36 } }];
  const edges: GraphDocument['edges'] = [];
  let previous = 'src';
  if (batch) {
    nodes.push({ id: 'batch', type: 'Batcher', version: 1, params: { size: batch, deadlineMs: 20 } });
    edges.push({ from: { node: previous, port: 'frames' }, to: { node: 'batch', port: 'frames' } });
    previous = 'batch';
  }
  blockMs.forEach((ms, i) => {
    const id = `m${i + 1}`;
    // Accelerator stages alternate with a host step so that each model is its own stage.
    nodes.push({ id, type: 'TestAccel', version: 1, params: { blockMs: ms } });
    edges.push({ from: { node: previous, port: 'frames' }, to: { node: id, port: 'frames' } });
    previous = id;
    if (i < blockMs.length - 1) {
      const host = `h${i + 1}`;
      nodes.push({ id: host, type: 'TestTransform', version: 1, params: { amount: 1 } });
      edges.push({ from: { node: previous, port: 'frames' }, to: { node: host, port: 'frames' } });
      previous = host;
    }
  });
  nodes.push({ id: 'sink', type: 'TestChecksum', version: 1, params: {} });
  edges.push({ from: { node: previous, port: 'frames' }, to: { node: 'sink', port: 'frames' } });
  return { schemaVersion: GRAPH_SCHEMA_VERSION, name: 'bench', nodes, edges, metadata: {} };
}

export default async function run(): Promise<void> {
  const registry = await loadNodeRegistry({ dirs: [TEST_NODES] });
  const frames = 96;
  const cost = [12, 8, 12];
  const rows: string[][] = [['mode', 'wall ms', 'fps', 'vs per-frame', 'slowest stage busy ms', 'efficiency']];
  let baseline = 0;
  const cases: [string, number | null, boolean][] = [
    ['per-frame (baseline)', null, true],
    ['pipeline, batch 1', null, false],
    ['pipeline, batch 8', 8, false],
  ];
  for (const [label, batch, perFrame] of cases) {
    const prepared = await prepareGraph(chain(frames, cost, batch), registry, { providers: ['cpu'] });
    if (!prepared.graph || !prepared.plan) throw new Error(prepared.problems.map((p) => p.message).join('\n'));
    const started = performance.now();
    if (perFrame) {
      await runPerFrame(prepared.graph);
      baseline = performance.now() - started;
      rows.push([label, baseline.toFixed(0), ((frames * 1000) / baseline).toFixed(1), '1.00x', '-', '-']);
      continue;
    }
    const { metrics } = await runPlan(prepared.graph, prepared.plan);
    const wall = performance.now() - started;
    const slowest = Math.max(...metrics.stages.map((s) => s.busyMs));
    rows.push([label, wall.toFixed(0), ((frames * 1000) / wall).toFixed(1), `${(baseline / wall).toFixed(2)}x`, slowest.toFixed(0), metrics.efficiency.toFixed(2)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}\n`);
  process.stdout.write(
    `\n${frames} frames through 3 synthetic model stages holding their thread ${cost.join('/')} ms per call.\n` +
      'efficiency = busy time of the slowest stage (per copy) / pipeline time, first frame in to last frame out (1.00: every other stage hid behind it).\n',
  );
}
