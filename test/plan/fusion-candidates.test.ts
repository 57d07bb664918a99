/**
 * fusionCandidates: what a fusion family is shown of a stage's nodes, built once for the
 * planner's check() and the stage's fuse(). Inputs say whether another member produces
 * them; consumed outputs are the member's streams that other stages read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executionView } from '../../src/plan/look-through.js';
import { fusionCandidates } from '../../src/node-api/fusion-family.js';
import { portKey } from '../../src/model/port-key.js';
import { graph, resolveAndPlan, testRegistry } from '../helpers.js';

test('a fused stage of two adds: internal and external inputs, and the outputs other stages read', async () => {
  //  src ──frames──▶ a ──frames──▶ b ──frames──▶ sink
  //                  └──frames──────────────────▶ tap
  const doc = graph(
    [['src', 'TestSource'], ['a', 'TestFusableAdd', { amount: 1 }], ['b', 'TestFusableAdd', { amount: 2 }], ['sink', 'TestChecksum'], ['tap', 'TestChecksum']],
    ['src.frames -> a.frames', 'a.frames -> b.frames', 'b.frames -> sink.frames', 'a.frames -> tap.frames'],
  );
  const { graph: resolved, plan } = await resolveAndPlan(doc);
  const stage = plan.stages.find((s) => s.nodes.includes('a'))!;
  assert.deepEqual(stage.nodes, ['a', 'b'], 'the planner fused the two adds');
  assert.equal(stage.composedBy, 'test-add-chain');

  const members = new Set(stage.nodes);
  const candidates = fusionCandidates(
    stage.nodes.map((id) => ({ id, definition: resolved.nodes.get(id)!.definition, params: resolved.nodes.get(id)!.params })),
    executionView(resolved).edges.filter((e) => members.has(e.to.node)).map((e) => ({ node: e.to.node, port: e.to.port, from: portKey(e.from), rate: e.rate })),
    stage.outputs.map(portKey),
  );

  assert.deepEqual(
    candidates.map((c) => ({ id: c.id, params: c.params, inputs: c.inputs, consumedOutputs: c.consumedOutputs })),
    [
      { id: 'a', params: { amount: 1, declineFusion: false }, inputs: [{ port: 'frames', from: 'src.frames', internal: false, rate: 'stream' }], consumedOutputs: ['frames'] },
      { id: 'b', params: { amount: 2, declineFusion: false }, inputs: [{ port: 'frames', from: 'a.frames', internal: true, rate: 'stream' }], consumedOutputs: ['frames'] },
    ],
  );
  assert.equal(candidates[0]!.definition.type, 'TestFusableAdd');
});

test('a node id that prefixes another is not mistaken for it', async () => {
  const definition = (await testRegistry()).get('TestFusableAdd')!.definition;
  const [a] = fusionCandidates(
    [{ id: 'a', definition, params: {} }, { id: 'ab', definition, params: {} }],
    [{ node: 'a', port: 'in', from: 'abc.out', rate: 'stream' }],
    ['ab.out', 'a.out'],
  );
  assert.deepEqual([a!.inputs[0]!.internal, a!.consumedOutputs], [false, ['out']]);
});
