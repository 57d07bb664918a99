/**
 * Warm stages: a run given a WarmStages pool hands its worker stages back instead of
 * ending them, and the next run of the same stage takes them (same threads), with new node
 * instances: results are the same as a cold run, and no state carries over.
 *
 *   src(12 frames) ──> accel ──> sink      (run twice with one pool, once without)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graph, resolveAndPlan } from '../helpers.js';
import { runPlan } from '../../src/run/run-plan.js';
import { WarmStages } from '../../src/run/warm-stages.js';
import { WorkerStage } from '../../src/run/worker-stage.js';

test('a second run takes the first run\'s worker stages from the pool and gives the same result as a cold run', async () => {
  const doc = graph([['src', 'TestSource', { frames: 12, chunk: 4, fps: 10 }], ['a', 'TestAccel', { delayMs: 1 }], ['sink', 'TestChecksum']], ['src.frames -> a.frames', 'a.frames -> sink.frames']);
  const { graph: g, plan } = await resolveAndPlan(doc, 2, 1);
  const cold = await runPlan(g, plan);
  const warm = new WarmStages();
  const created: WorkerStage[] = [];
  const originalCreate = WorkerStage.prototype.create;
  WorkerStage.prototype.create = function () {
    created.push(this);
    return originalCreate.call(this);
  };
  try {
    const first = await runPlan(g, plan, { warmStages: warm });
    assert.equal(warm.size, 1, 'the accelerator stage was kept');
    const second = await runPlan(g, plan, { warmStages: warm });
    assert.equal(warm.size, 1, 'taken and given back, not a second one');
    assert.equal(created.length, 2);
    assert.equal(created[0], created[1], 'the second run used the first run\'s stage (same thread)');
    assert.deepEqual(first.outputs.sink, cold.outputs.sink);
    assert.deepEqual(second.outputs.sink, cold.outputs.sink);
  } finally {
    WorkerStage.prototype.create = originalCreate;
    await warm.dispose();
  }
  assert.equal(warm.size, 0);
});
