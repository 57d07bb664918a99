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
import { modelsFolder } from '../runtime/fixtures.js';

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

/*
 *   src(8 frames) ──> model (opens an ONNX session) ──> sink      (run three times with one pool)
 */
test('a kept stage keeps its sessions from its first run on: the next runs open them warm', async () => {
  const { dynamic } = await modelsFolder();
  const doc = graph([['src', 'TestSource', { frames: 8, chunk: 4, fps: 10 }], ['m', 'TestModelRuns', { onnx: dynamic }], ['sink', 'TestChecksum']], ['src.frames -> m.frames', 'm.frames -> sink.frames']);
  const { graph: g, plan } = await resolveAndPlan(doc, 2, 1);
  const warm = new WarmStages();
  try {
    const runsAtOpen = [];
    for (let i = 0; i < 3; i++) runsAtOpen.push(((await runPlan(g, plan, { warmStages: warm })).outputs.m as { runsAtOpen: number }).runsAtOpen);
    assert.equal(runsAtOpen[0], 0, 'the first run opens a new session');
    assert.ok(runsAtOpen[1]! > 0, 'the second run gets the session the first run used');
    assert.ok(runsAtOpen[2]! > runsAtOpen[1]!, 'and the third the same one again');
  } finally {
    await warm.dispose();
  }
});
