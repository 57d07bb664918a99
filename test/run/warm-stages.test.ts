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

/*
 * A farm worker's segments: the same stages in a different graph each time (the Decoder's
 * range and the Encoder's file change), so each run's output policy (which embeds its
 * graph) differs. The threads are kept all the same, and each run's nodes get its policy.
 *
 *   src(8, then 4 frames) ──> model ──> sink
 */
test('runs of different graphs with the same stage share its thread, and each run\'s nodes get that run\'s output policy', async () => {
  const { dynamic } = await modelsFolder();
  const warm = new WarmStages();
  try {
    const seen: { runsAtOpen: number; embedGraph?: string }[] = [];
    for (const [i, frames] of [8, 4, 8].entries()) {
      const doc = graph([['src', 'TestSource', { frames, chunk: 4, fps: 10 }], ['m', 'TestModelRuns', { onnx: dynamic }], ['sink', 'TestChecksum']], ['src.frames -> m.frames', 'm.frames -> sink.frames'], `segment-${i}`);
      const { graph: g, plan } = await resolveAndPlan(doc, 2, 1);
      seen.push((await runPlan(g, plan, { warmStages: warm })).outputs.m as { runsAtOpen: number; embedGraph?: string });
      assert.equal(warm.size, 1, `after run ${i + 1}: one kept stage, not one per graph`);
    }
    assert.equal(seen[0]!.runsAtOpen, 0);
    assert.ok(seen[1]!.runsAtOpen > 0 && seen[2]!.runsAtOpen > seen[1]!.runsAtOpen, 'the later runs reuse the kept session');
    assert.deepEqual(
      seen.map((s) => (JSON.parse(s.embedGraph ?? '{}') as { name?: string }).name),
      ['segment-0', 'segment-1', 'segment-2'],
    );
  } finally {
    await warm.dispose();
  }
});

/*
 * Early release: the model stage is finished and back in the pool, and the run says so,
 * while frames are still on their way through a slow stage after it; the run's result
 * still has the stage's output and counters.
 *
 *   src(16 frames) ──> model ──> slow (host, 25 ms a frame) ──> sink
 */
test('a run hands its model stage back as soon as its last batch went on, and says so before its last frames are through', async () => {
  const { dynamic } = await modelsFolder();
  const doc = graph(
    [['src', 'TestSource', { frames: 16, chunk: 4, fps: 10 }], ['m', 'TestModelRuns', { onnx: dynamic }], ['slow', 'TestTransform', { delayMs: 25 }], ['sink', 'TestChecksum']],
    ['src.frames -> m.frames', 'm.frames -> slow.frames', 'slow.frames -> sink.frames'],
  );
  const { graph: g, plan } = await resolveAndPlan(doc, 2, 1);
  const warm = new WarmStages();
  try {
    let framesAtFree: number | null = null;
    let pooledAtFree = -1;
    let done = 0;
    const result = await runPlan(g, plan, {
      warmStages: warm,
      onStagesFree: () => {
        framesAtFree = done;
        pooledAtFree = warm.size;
      },
      onEvent: (event) => {
        if (event.type === 'progress') done = event.framesDone;
      },
      progressIntervalMs: 10,
    });
    assert.equal(pooledAtFree, 1, 'the model stage was in the pool when the run said its stages were free');
    assert.ok(framesAtFree !== null && framesAtFree < 16, `the sink had ${framesAtFree} of 16 frames then`);
    assert.equal(result.metrics.frames, 16);
    assert.equal((result.outputs.m as { runsAtOpen: number }).runsAtOpen, 0, "the released stage's finish() result is in the run's outputs");
    assert.equal(result.metrics.nodes.m?.framesOut, 16, "and its counters in the run's metrics");
    assert.equal(warm.size, 1);
    // The next run takes it and works as before.
    const again = await runPlan(g, plan, { warmStages: warm });
    assert.ok((again.outputs.m as { runsAtOpen: number }).runsAtOpen > 0);
    assert.deepEqual(again.outputs.sink, result.outputs.sink);
  } finally {
    await warm.dispose();
  }
});
