/**
 * Live mode in the scheduler: a graph with a Camera plans latency first; its queues drop the
 * oldest frame when a stage falls behind, so latency stays bounded instead of growing; a
 * join whose inputs dropped different frames stays in step; the first stop ends the stream
 * and the run finishes; live-editable parameters change while it runs, others are refused.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { graph, resolveAndPlan } from '../helpers.js';
import { runPlan } from '../../src/run/run-plan.js';
import { LiveControl } from '../../src/run/live-control.js';
import { FrameQueue } from '../../src/run/frame-queue.js';
import { BatchFormer } from '../../src/run/batch-former.js';
import { liveProcessCount } from '../../src/media/ffmpeg-process.js';
import { isFramefuseError } from '../../src/errors.js';

const CLIP = 'samples/tears_of_steel_clip01_640x360.mp4';

describe('live mode', () => {
  test('a graph with a Camera plans batch 1 with no deadline; the same graph with a Decoder keeps its Batcher', async () => {
    //  camera ──> batch(8) ──> a ──> sink
    const live = await resolveAndPlan(
      graph([['camera', 'Camera', { url: CLIP }], ['batch', 'Batcher', { size: 8, deadlineMs: 100 }], ['a', 'TestAccel'], ['sink', 'TestChecksum']], ['camera.frames -> batch.frames', 'batch.frames -> a.frames', 'a.frames -> sink.frames']),
    );
    assert.equal(live.plan.mode, 'latency');
    assert.match(live.plan.modeReason ?? '', /camera/);
    assert.deepEqual(live.plan.stages.map((s) => [s.batchSize, s.deadlineMs]), [[1, 0], [1, 0], [1, 0]]);
    const file = await resolveAndPlan(
      graph([['decoder', 'Decoder', { path: CLIP }], ['batch', 'Batcher', { size: 8, deadlineMs: 100 }], ['a', 'TestAccel'], ['sink', 'TestChecksum']], ['decoder.frames -> batch.frames', 'batch.frames -> a.frames', 'a.frames -> sink.frames']),
    );
    assert.equal(file.plan.mode, undefined);
    assert.equal(file.plan.stages.find((s) => s.nodes.includes('a'))!.batchSize, 8);
  });

  test('a drop-oldest queue never waits and keeps the newest frames', async () => {
    const q = new FrameQueue<number>(2, 'q', 'drop-oldest');
    for (let i = 0; i < 5; i++) await q.push({ index: i, pts: i, value: i });
    assert.equal(q.dropped, 3);
    assert.deepEqual([q.take()!.index, q.take()!.index], [3, 4]);
  });

  test('an aligned join drops what one input no longer has and stays in step', async () => {
    const frames = new FrameQueue<string>(4, 'frames', 'drop-oldest');
    const faces = new FrameQueue<string>(4, 'faces', 'drop-oldest');
    for (const i of [4, 5, 7]) await frames.push({ index: i, pts: i, value: `f${i}` });
    for (const i of [5, 6, 7]) await faces.push({ index: i, pts: i, value: `d${i}` });
    frames.close();
    faces.close();
    const former = new BatchFormer([frames, faces], 1, 0, undefined, true);
    const got: number[] = [];
    for (let b = await former.next(); b; b = await former.next()) got.push(...b.indices);
    assert.deepEqual(got, [5, 7]);
    assert.equal(frames.dropped + faces.dropped, 2, 'frame 4 and frame 6 dropped');
  });

  test('a stage slower than the camera drops frames and latency stays bounded; stop ends the run cleanly', async () => {
    //  camera (25 fps, file at its own rate) ──> slow (120 ms a frame) ──> sink
    const { graph: g, plan } = await resolveAndPlan(
      graph([['camera', 'Camera', { url: CLIP, width: 64, height: 48 }], ['slow', 'TestAccel', { delayMs: 120 }], ['sink', 'TestChecksum']], ['camera.frames -> slow.frames', 'slow.frames -> sink.frames']),
      2,
      1,
    );
    const stop = new AbortController();
    const latencies: number[] = [];
    // Stop once the camera has delivered 60 frames (about 2.4 s at 25 fps; later on a loaded machine), or after 20 s.
    const timer = setTimeout(() => stop.abort(), 20_000);
    const { metrics } = await runPlan(g, plan, {
      live: { stop: stop.signal },
      progressIntervalMs: 250,
      onEvent: (e) => {
        if (e.type === 'progress' && e.metrics.live?.latencyMs) latencies.push(e.metrics.live.latencyMs.p95);
        if (e.type === 'progress' && (e.metrics.live?.framesIn ?? 0) >= 60) stop.abort();
      },
    });
    clearTimeout(timer);
    const live = metrics.live!;
    assert.ok(live.framesIn >= 50, `the camera delivered ${live.framesIn} frames`);
    assert.ok(live.dropped > live.framesIn / 5, `dropped ${live.dropped} of ${live.framesIn}`);
    assert.ok(live.droppedByStage[plan.stages.find((s) => s.nodes.includes('slow'))!.id]! > 0);
    // With queues of 2 a frame waits at most about two frames of the slow stage, plus its own.
    assert.ok(live.latencyMs!.max < 1000, `latency reached ${live.latencyMs!.max.toFixed(0)} ms`);
    assert.ok(live.latencyMs!.p95 < 700, `p95 ${live.latencyMs!.p95.toFixed(0)} ms`);
    // Not growing: the last p95 seen is no worse than twice the first.
    assert.ok(latencies.length >= 4);
    assert.ok(latencies.at(-1)! < 2 * latencies[0]! + 100, `p95 grew: ${latencies.map((l) => l.toFixed(0)).join(', ')}`);
    assert.equal(liveProcessCount(), 0, 'no ffmpeg left');
  });

  test('a live-editable parameter changes while the run goes; others and bad values are refused', async () => {
    //  camera ──> detector ──> anonymizer ──> sink
    //     └────────────────────────┘
    const { graph: g, plan } = await resolveAndPlan(
      graph(
        [['camera', 'Camera', { url: CLIP, width: 160, height: 120 }], ['detector', 'Detector'], ['anon', 'Anonymizer'], ['sink', 'TestChecksum']],
        ['camera.frames -> detector.frames', 'camera.frames -> anon.frames', 'detector.faces -> anon.faces', 'anon.frames -> sink.frames'],
      ),
    );
    const control = new LiveControl();
    const stop = new AbortController();
    const run = runPlan(g, plan, { live: { stop: stop.signal }, control });
    while (!control.attached) await new Promise((r) => setTimeout(r, 20));
    await control.setParam('anon', 'strength', 0.9);
    await assert.rejects(control.setParam('anon', 'mode', 'fill'), (e: unknown) => isFramefuseError(e) && e.code === 'FF_PARAM_NOT_LIVE' && /strength/.test(e.fix ?? ''));
    await assert.rejects(control.setParam('anon', 'strength', 7), (e: unknown) => isFramefuseError(e) && e.code === 'FF_PARAM_INVALID' && /at most 1/.test(e.message));
    await assert.rejects(control.setParam('nope', 'strength', 0.5), (e: unknown) => isFramefuseError(e) && e.code === 'FF_UNKNOWN_NODE');
    stop.abort();
    await run;
    await assert.rejects(control.setParam('anon', 'strength', 0.5), (e: unknown) => isFramefuseError(e) && e.code === 'FF_RUN_NOT_LIVE');
  });
});
