import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { graph, resolveAndPlan } from '../helpers.js';
import { runPlan } from '../../src/run/run-plan.js';
import { runPerFrame } from '../../src/run/run-per-frame.js';
import { formatPlan } from '../../src/plan/format-plan.js';

//  src ──> batch(4) ──> f1 ──> f2 ──> f3 ──> sink       f1..f3: one fusion family
const chain = (decline = false) =>
  graph(
    [
      ['src', 'TestSource', { frames: 10 }],
      ['batch', 'Batcher', { size: 4 }],
      ['f1', 'TestFusableAdd', { amount: 3 }],
      ['f2', 'TestFusableAdd', { amount: 5, declineFusion: decline }],
      ['f3', 'TestFusableAdd', { amount: 7 }],
      ['sink', 'TestChecksum'],
    ],
    ['src.frames -> batch.frames', 'batch.frames -> f1.frames', 'f1.frames -> f2.frames', 'f2.frames -> f3.frames', 'f3.frames -> sink.frames'],
  );

describe('fusion families', () => {
  test('the plan names the family that composes a fused stage', async () => {
    const { plan } = await resolveAndPlan(chain());
    const fused = plan.stages.find((s) => s.fused)!;
    assert.deepEqual(fused.nodes, ['f1', 'f2', 'f3']);
    assert.equal(fused.composedBy, 'test-add-chain');
    assert.match(formatPlan(plan), /fused: f1 -> f2 -> f3 composed into one model by test-add-chain/);
  });

  test('a composed stage runs as one instance and gives what the nodes give one by one', async () => {
    const { graph: g, plan } = await resolveAndPlan(chain());
    const { outputs, metrics } = await runPlan(g, plan);
    assert.deepEqual(outputs.f1, { composed: true, members: ['f1', 'f2', 'f3'], batches: 3, threadId: (outputs.f1 as { threadId: number }).threadId });
    assert.deepEqual((outputs.sink as { hashes: unknown }).hashes, ((await runPerFrame(g)).outputs.sink as { hashes: unknown }).hashes);
    // Every member's counters move; the one call's time is booked on the first.
    assert.deepEqual([metrics.nodes.f1!.runs, metrics.nodes.f2!.runs, metrics.nodes.f3!.runs], [3, 3, 3]);
    assert.equal(metrics.nodes.f2!.busyMs, 0);
  });

  test('when the family declines, the nodes run one by one in the same worker', async () => {
    const { graph: g, plan } = await resolveAndPlan(chain(true));
    const { outputs } = await runPlan(g, plan);
    assert.deepEqual([outputs.f1, outputs.f2, outputs.f3], [{ composed: false }, { composed: false }, { composed: false }]);
    assert.deepEqual((outputs.sink as { hashes: unknown }).hashes, ((await runPerFrame(g)).outputs.sink as { hashes: unknown }).hashes);
  });
});
