/**
 * Bypass: a node marked `bypass` does not run and its outputs carry on its same-typed
 * inputs. The planner, the scheduler and the per-frame executor all read the one execution
 * view (src/plan/look-through.ts), so all three see the same graph; validation refuses a
 * bypass whose output has no input of its type.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { graph, resolveAndPlan, testRegistry } from '../helpers.js';
import { validateGraph } from '../../src/graph/validate.js';
import { executionView } from '../../src/plan/look-through.js';
import { runPlan } from '../../src/run/run-plan.js';
import { runPerFrame } from '../../src/run/run-per-frame.js';
import type { GraphDocument } from '../../src/model/document.js';

const bypass = (doc: GraphDocument, ...ids: string[]): GraphDocument => ({ ...doc, nodes: doc.nodes.map((n) => (ids.includes(n.id) ? { ...n, bypass: true } : n)) });
const hashes = (outputs: Record<string, unknown>) => (outputs.sink as { hashes: unknown }).hashes;

//  src ──> batch(4) ──> f1 ──> f2 ──> f3 ──> sink        f2 bypassed: src ─> f1 ─> f3 ─> sink
const chain = (amounts: number[]) =>
  graph(
    [['src', 'TestSource', { frames: 10 }], ['batch', 'Batcher', { size: 4 }], ...amounts.map((amount, i): [string, string, Record<string, unknown>] => [`f${i + 1}`, 'TestFusableAdd', { amount }]), ['sink', 'TestChecksum']],
    ['src.frames -> batch.frames', 'batch.frames -> f1.frames', ...amounts.slice(1).map((_, i) => `f${i + 1}.frames -> f${i + 2}.frames`), `f${amounts.length}.frames -> sink.frames`],
  );

describe('bypass', () => {
  test('a bypassed node leaves the plan, and the scheduler and the per-frame run both pass its frames through', async () => {
    const { graph: g, plan } = await resolveAndPlan(bypass(chain([3, 5, 7]), 'f2'));
    assert.deepEqual(plan.stages.flatMap((s) => s.nodes).sort(), ['f1', 'f3', 'sink', 'src']);
    const view = executionView(g);
    assert.deepEqual([...view.bypassed], ['f2']);
    assert.ok(view.edges.some((e) => e.from.node === 'f1' && e.to.node === 'f3'), 'f3 reads f1 directly');

    // The same frames as a graph that never had f2 (3 + 7), and not those of one that runs it (3 + 5 + 7).
    const { graph: without, plan: withoutPlan } = await resolveAndPlan(chain([3, 7]));
    const expected = hashes((await runPlan(without, withoutPlan)).outputs);
    assert.deepEqual(hashes((await runPlan(g, plan)).outputs), expected);
    assert.deepEqual(hashes((await runPerFrame(g)).outputs), expected);
    const { graph: all, plan: allPlan } = await resolveAndPlan(chain([3, 5, 7]));
    assert.notDeepEqual(hashes((await runPlan(all, allPlan)).outputs), expected);
  });

  test('a node that only fed the bypassed one does not run either', async () => {
    //  src ──frames──▶ stamp ──frames──▶ sink        stamp bypassed: img has no reader left
    //  img ──image───▶ stamp
    const doc = graph(
      [['src', 'TestSource', { frames: 6 }], ['img', 'TestImage'], ['stamp', 'TestStamp'], ['sink', 'TestChecksum']],
      ['src.frames -> stamp.frames', 'img.image -> stamp.image', 'stamp.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(bypass(doc, 'stamp'));
    assert.deepEqual(plan.stages.flatMap((s) => s.nodes).sort(), ['sink', 'src']);
    const direct = await resolveAndPlan(graph([['src', 'TestSource', { frames: 6 }], ['sink', 'TestChecksum']], ['src.frames -> sink.frames']));
    assert.deepEqual(hashes((await runPlan(g, plan)).outputs), hashes((await runPlan(direct.graph, direct.plan)).outputs));
  });

  test('refused with FF_BYPASS_TYPES when an output has no input of its type', async () => {
    //  img ──image──▶ stamp.image      img bypassed: it has no inputs at all
    const doc = graph(
      [['src', 'TestSource', { frames: 6 }], ['img', 'TestImage'], ['stamp', 'TestStamp'], ['sink', 'TestChecksum']],
      ['src.frames -> stamp.frames', 'img.image -> stamp.image', 'stamp.frames -> sink.frames'],
    );
    const { problems, graph: resolved } = await validateGraph(bypass(doc, 'img'), await testRegistry());
    assert.equal(resolved, null);
    const p = problems.find((x) => x.code === 'FF_BYPASS_TYPES');
    assert.ok(p, problems.map((x) => x.code).join(', '));
    assert.equal(p.node, 'img');
    assert.equal(p.field, 'image');
    assert.match(p.message, /turn the bypass off/);
    // Not bypassed, the same graph is valid.
    assert.notEqual((await validateGraph(doc, await testRegistry())).graph, null);
  });
});
