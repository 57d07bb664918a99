import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { gone, graph, resolveAndPlan } from '../helpers.js';
import { runPlan } from '../../src/run/run-plan.js';
import { runPerFrame } from '../../src/run/run-per-frame.js';
import { WorkerStage } from '../../src/run/worker-stage.js';
import { isFramefuseError } from '../../src/errors.js';
import type { RunEvent } from '../../src/run/run-events.js';

type Checksum = { frames: number; hashes: { index: number; pts: number; hash: string }[] };

describe('the streaming scheduler', () => {
  test('frames leave in their original order with their timestamps', async () => {
    //  src(37 frames, chunks of 5) ──> slow accel ──> sink
    const doc = graph(
      [['src', 'TestSource', { frames: 37, chunk: 5, fps: 10 }], ['a', 'TestAccel', { delayMs: 1 }], ['sink', 'TestChecksum']],
      ['src.frames -> a.frames', 'a.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(doc);
    const { outputs } = await runPlan(g, plan);
    const sink = outputs.sink as Checksum;
    assert.deepEqual(sink.hashes.map((h) => h.index), Array.from({ length: 37 }, (_, i) => i));
    assert.deepEqual(sink.hashes.map((h) => h.pts), Array.from({ length: 37 }, (_, i) => i / 10));
    assert.deepEqual(sink, (await runPerFrame(g)).outputs.sink);
  });

  test('a frame two worker stages read is copied to the first and moved to the last; one a host stage reads is never moved', async () => {
    // Count the values each worker call may take by transfer.
    const original = WorkerStage.prototype.process;
    let moved = 0;
    WorkerStage.prototype.process = function (batch, transfer = []) {
      moved += transfer.length;
      return original.call(this, batch, transfer);
    };
    try {
      //  src ──> [a1 ──> mix] (one worker stage, fused) ──> sink
      //    └───> a2 (worker) ──┘
      const fanOut = graph(
        [['src', 'TestSource', { frames: 12, chunk: 3 }], ['a1', 'TestAccel'], ['a2', 'TestAccel', { op: 'xor', amount: 7 }], ['mix', 'TestAccelMix'], ['sink', 'TestChecksum']],
        ['src.frames -> a1.frames', 'src.frames -> a2.frames', 'a1.frames -> mix.a', 'a2.frames -> mix.b', 'mix.frames -> sink.frames'],
      );
      const { graph: g, plan } = await resolveAndPlan(fanOut, 2, 1);
      const { outputs } = await runPlan(g, plan);
      assert.deepEqual((outputs.sink as Checksum).hashes, ((await runPerFrame(g)).outputs.sink as Checksum).hashes);
      assert.deepEqual(plan.stages.filter((st) => st.kind === 'accelerator').map((st) => st.nodes), [['a1', 'mix'], ['a2']]);
      // The 12 source frames moved once each (to whichever of the two stages sent them last),
      // and a2's 12 outputs, which only the fused stage reads: 24 in all.
      assert.equal(moved, 24);

      //  src ──> a (worker) ──> sink        and  src ──> host transform ──> sink2
      moved = 0;
      const shared = graph(
        [['src', 'TestSource', { frames: 12, chunk: 3 }], ['a', 'TestAccel'], ['h', 'TestTransform'], ['sink', 'TestChecksum'], ['sink2', 'TestChecksum']],
        ['src.frames -> a.frames', 'src.frames -> h.frames', 'a.frames -> sink.frames', 'h.frames -> sink2.frames'],
      );
      const second = await resolveAndPlan(shared, 2, 1);
      const run = await runPlan(second.graph, second.plan);
      assert.equal(moved, 0, 'a frame this thread also reads stays here');
      assert.deepEqual((run.outputs.sink2 as Checksum).hashes, ((await runPerFrame(second.graph)).outputs.sink2 as Checksum).hashes);
    } finally {
      WorkerStage.prototype.process = original;
    }
  });

  test('accelerator stages run in worker threads; a fused chain shares one', async () => {
    //  src ──> batch(4) ──> a1 ──> a2 ──> sink
    const doc = graph(
      [['src', 'TestSource', { frames: 10 }], ['batch', 'Batcher', { size: 4, deadlineMs: 100 }], ['a1', 'TestAccel'], ['a2', 'TestAccel'], ['sink', 'TestChecksum']],
      ['src.frames -> batch.frames', 'batch.frames -> a1.frames', 'a1.frames -> a2.frames', 'a2.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(doc);
    const { outputs, metrics } = await runPlan(g, plan);
    const a1 = outputs.a1 as { threadId: number; batchSize: number };
    const a2 = outputs.a2 as { threadId: number; batchSize: number };
    assert.notEqual(a1.threadId, threadId);
    assert.equal(a1.threadId, a2.threadId);
    assert.equal(a1.batchSize, 4);
    const fused = metrics.stages.find((s) => s.fused)!;
    assert.deepEqual(fused.batchSizes, { '4': 2, '2': 1 }, 'two full batches, then the tail flushed at the end');
    assert.equal(metrics.nodes.a2!.runs, 3);
  });

  test('a partial batch is flushed at its deadline, not held until the batch fills', async () => {
    //  src(1 frame per 60 ms) ──> batch(8, 10 ms) ──> a ──> sink
    const doc = graph(
      [['src', 'TestSource', { frames: 4, chunk: 1, delayMs: 60 }], ['batch', 'Batcher', { size: 8, deadlineMs: 10 }], ['a', 'TestAccel'], ['sink', 'TestChecksum']],
      ['src.frames -> batch.frames', 'batch.frames -> a.frames', 'a.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(doc);
    const events: RunEvent[] = [];
    const { metrics } = await runPlan(g, plan, { onEvent: (e) => events.push(e), progressIntervalMs: 20 });
    assert.deepEqual(metrics.stages.find((s) => s.nodes.includes('a'))!.batchSizes, { '1': 4 });
    // The sink saw frames while the source was still producing: streaming, not buffering.
    const firstProgress = events.find((e) => e.type === 'progress' && e.framesDone > 0 && e.framesDone < 4);
    assert.ok(firstProgress, 'progress events show frames done before the end');
  });

  test('bounded queues hold back a fast source (backpressure)', async () => {
    //  src(200 frames, fast) ──> slow host ──> sink      queues of 3 frames
    const doc = graph(
      [['src', 'TestSource', { frames: 60, chunk: 1 }], ['t', 'TestTransform', { delayMs: 2 }], ['sink', 'TestChecksum']],
      ['src.frames -> t.frames', 't.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(doc);
    const { metrics } = await runPlan(g, plan, { queueFrames: 3 });
    const queues = metrics.stages.flatMap((s) => s.queues);
    assert.equal(queues.length, 2);
    for (const q of queues) {
      assert.equal(q.capacity, 3);
      assert.ok(q.maxDepth <= 3, `${q.label} reached ${q.maxDepth}`);
    }
    assert.equal(queues.find((q) => q.label === 'src.frames->s2')!.maxDepth, 3, 'the source ran ahead until the queue was full');
  });

  test('independent branches run at the same time', async () => {
    //  src ──> a1(blocks 40 ms/frame) ──> s1
    //    └───> a2(blocks 40 ms/frame) ──> s2
    const doc = graph(
      [['src', 'TestSource', { frames: 6, chunk: 1 }], ['a1', 'TestAccel', { blockMs: 40 }], ['a2', 'TestAccel', { blockMs: 40 }], ['s1', 'TestChecksum'], ['s2', 'TestChecksum']],
      ['src.frames -> a1.frames', 'src.frames -> a2.frames', 'a1.frames -> s1.frames', 'a2.frames -> s2.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(doc);
    const { outputs } = await runPlan(g, plan);
    type Busy = { intervals: [number, number][] };
    const a1 = (outputs.a1 as Busy).intervals;
    const a2 = (outputs.a2 as Busy).intervals;
    const overlaps = a1.some(([s1, e1]) => a2.some(([s2, e2]) => s1 < e2 && s2 < e1));
    assert.ok(overlaps, 'the two workers were busy at the same time');
  });

  test('a compute node runs off the main thread, and streams the same frames', async () => {
    //  src ──> c(compute) ──> sink
    const doc = graph([['src', 'TestSource', { frames: 9 }], ['c', 'TestCompute', { amount: 9 }], ['sink', 'TestChecksum']], ['src.frames -> c.frames', 'c.frames -> sink.frames']);
    const { graph: g, plan } = await resolveAndPlan(doc);
    const { outputs } = await runPlan(g, plan);
    assert.notEqual((outputs.c as { threadId: number }).threadId, threadId);
    assert.deepEqual((outputs.sink as Checksum).hashes, ((await runPerFrame(g)).outputs.sink as Checksum).hashes);
  });

  test('value ports reach a node inside a worker', async () => {
    //  img(7) ──> stamp.image;  src ──> stamp ──> sink
    const doc = graph(
      [['src', 'TestSource', { frames: 3 }], ['img', 'TestImage', { value: 7 }], ['stamp', 'TestStamp'], ['sink', 'TestChecksum']],
      ['src.frames -> stamp.frames', 'img.image -> stamp.image', 'stamp.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(doc);
    const streamed = (await runPlan(g, plan)).outputs.sink as Checksum;
    const naive = (await runPerFrame(g)).outputs.sink as Checksum;
    assert.deepEqual(streamed, naive);
    const unstamped = await resolveAndPlan(graph([['src', 'TestSource', { frames: 3 }], ['sink', 'TestChecksum']], ['src.frames -> sink.frames']));
    const plain = (await runPlan(unstamped.graph, unstamped.plan)).outputs.sink as Checksum;
    assert.notDeepEqual(streamed.hashes, plain.hashes, 'the stamp changed the frames');
  });

  for (const kind of ['TestTransform', 'TestAccel'] as const) {
    test(`a failing ${kind === 'TestAccel' ? 'worker' : 'host'} node is named, every stage stops, every resource is released`, async () => {
      //  src ──> bad(fails at frame 5) ──> sink(child process)
      const dir = mkdtempSync(join(tmpdir(), 'ff-fail-'));
      const pidFile = join(dir, 'pid');
      const doc = graph(
        [['src', 'TestSource', { frames: 500, chunk: 1 }], ['bad', kind, { failAt: 5 }], ['sink', 'TestChecksum', { child: true, pidFile }]],
        ['src.frames -> bad.frames', 'bad.frames -> sink.frames'],
      );
      const { graph: g, plan } = await resolveAndPlan(doc);
      const events: RunEvent[] = [];
      await assert.rejects(runPlan(g, plan, { onEvent: (e) => events.push(e) }), (error) => {
        assert.ok(isFramefuseError(error));
        assert.equal(error.node, 'bad');
        assert.equal(error.code, 'FF_NODE_FAILED');
        assert.match(error.message, /injected failure at frame 5/);
        return true;
      });
      const failed = events.find((e) => e.type === 'failed');
      assert.ok(failed && failed.type === 'failed' && failed.error.node === 'bad');
      assert.equal(await gone(Number(readFileSync(pidFile, 'utf8'))), true, 'the child process was killed');
    });
  }

  test('a cancelled run stops promptly, disposes every node and kills child processes', async () => {
    //  src(endless-ish, slow) ──> a(worker) ──> sink(child process)
    const dir = mkdtempSync(join(tmpdir(), 'ff-cancel-'));
    const pidFile = join(dir, 'pid');
    const doc = graph(
      [['src', 'TestSource', { frames: 100000, chunk: 1, delayMs: 5 }], ['a', 'TestAccel', { blockMs: 20 }], ['sink', 'TestChecksum', { child: true, pidFile }]],
      ['src.frames -> a.frames', 'a.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(doc);
    const controller = new AbortController();
    const events: string[] = [];
    const run = runPlan(g, plan, { signal: controller.signal, onEvent: (e) => events.push(e.type) });
    run.catch(() => undefined);
    let cancelledAt = 0;
    try {
      // Wait until the sink has opened (slow under load: workers start first), then cancel.
      const deadline = Date.now() + 15_000;
      while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(existsSync(pidFile), 'the run never opened its sink');
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      // Whatever failed above, never leave an endless run behind.
      cancelledAt = Date.now();
      controller.abort();
    }
    await assert.rejects(run, (e) => isFramefuseError(e) && e.kind === 'cancelled' && e.code === 'FF_CANCELLED');
    assert.ok(Date.now() - cancelledAt < 2000, `cancel took ${Date.now() - cancelledAt} ms`);
    assert.ok(events.includes('cancelled'));
    assert.equal(await gone(Number(readFileSync(pidFile, 'utf8'))), true, 'the child process was killed');
  });

  test('metrics: per stage and per node counts, efficiency and peak memory', async () => {
    const doc = graph(
      [['src', 'TestSource', { frames: 20, chunk: 4 }], ['batch', 'Batcher', { size: 4 }], ['a', 'TestAccel', { blockMs: 5 }], ['sink', 'TestChecksum']],
      ['src.frames -> batch.frames', 'batch.frames -> a.frames', 'a.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(doc);
    const { metrics } = await runPlan(g, plan);
    assert.equal(metrics.frames, 20);
    assert.equal(metrics.nodes.a!.framesIn, 20);
    assert.equal(metrics.nodes.a!.runs, 5);
    assert.deepEqual(metrics.nodes.a!.batchSizes, { '4': 5 });
    assert.ok(metrics.nodes.a!.busyMs >= 20, JSON.stringify(metrics.nodes)); // 5 runs blocking ~5 ms each
    assert.ok(metrics.peakRssBytes > 10 * 2 ** 20);
    assert.ok(metrics.efficiency > 0 && metrics.efficiency <= 1);
    // Loading comes before the first frame; the pipeline's time is what is left of the run.
    assert.ok(metrics.loadMs !== null && metrics.pipelineMs !== null && metrics.pipelineFps !== null);
    const accel = metrics.stages.find((s) => s.nodes.includes('a'))!;
    assert.ok(metrics.loadMs >= 0 && metrics.pipelineMs >= 5 * (5 / accel.replicas) - 1, `pipeline ${metrics.pipelineMs} ms`);
    assert.ok(metrics.loadMs + metrics.pipelineMs <= metrics.wallMs + 1e-6);
    assert.ok(Math.abs(metrics.pipelineFps - 20000 / metrics.pipelineMs) < 1e-6);
    const stage = metrics.stages.find((s) => s.nodes.includes('a'))!;
    assert.equal(stage.avgBatch, 4);
    assert.equal(JSON.parse(JSON.stringify(metrics)).frames, 20, 'metrics are plain JSON');
  });
});

describe('stream facts', () => {
  test("a filter that announces nothing passes its input's stream facts on", async () => {
    //  src(320x240 @ 25 fps) ──> t ──> a ──> sink
    const doc = graph(
      [['src', 'TestSource', { frames: 2, width: 32, height: 24, fps: 25 }], ['t', 'TestTransform'], ['a', 'TestAccel'], ['sink', 'TestChecksum']],
      ['src.frames -> t.frames', 't.frames -> a.frames', 'a.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(doc);
    const { outputs } = await runPlan(g, plan);
    // t (host) and a (in a worker) announce nothing; the sink still learns the source's facts.
    assert.deepEqual((outputs.sink as { facts: unknown }).facts, { width: 32, height: 24, fps: 25, frameCount: 2 });
  });
});
