import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { graph, resolveAndPlan } from '../helpers.js';
import type { Plan } from '../../src/model/plan.js';
import { planStages } from '../../src/plan/plan-stages.js';

/** Stages as compact strings: `kind:nodes@batch` with `*` for fused. */
function shape(plan: Plan): string[] {
  return plan.stages.map((s) => `${s.kind}:${s.nodes.join('+')}@${s.batchSize}${s.fused ? '*' : ''}${s.streaming ? '' : '(once)'}`);
}

describe('planStages', () => {
  test('host nodes each get a stage, in topological order', async () => {
    //  src ──> t ──> sink
    const { plan } = await resolveAndPlan(graph([['src', 'TestSource'], ['t', 'TestTransform'], ['sink', 'TestChecksum']], ['src.frames -> t.frames', 't.frames -> sink.frames']));
    assert.deepEqual(shape(plan), ['host:src@1', 'host:t@1', 'host:sink@1']);
    assert.equal(plan.stages[0]!.source, true);
    assert.deepEqual(plan.stages[2]!.inputs, [{ node: 't', port: 'frames' }]);
    assert.deepEqual(plan.stages[2]!.after, ['s2']);
  });

  test('consecutive accelerator nodes after a Batcher fuse into one stage with its batch', async () => {
    //  src ──> batch(8) ──> a1 ──> a2 ──> a3 ──> sink
    const doc = graph(
      [['src', 'TestSource'], ['batch', 'Batcher', { size: 8, deadlineMs: 20 }], ['a1', 'TestAccel'], ['a2', 'TestAccel'], ['a3', 'TestAccel'], ['sink', 'TestChecksum']],
      ['src.frames -> batch.frames', 'batch.frames -> a1.frames', 'a1.frames -> a2.frames', 'a2.frames -> a3.frames', 'a3.frames -> sink.frames'],
    );
    const { plan } = await resolveAndPlan(doc);
    assert.deepEqual(shape(plan), ['host:src@1', 'accelerator:a1+a2+a3@8*', 'host:sink@8']);
    const fused = plan.stages[1]!;
    assert.equal(fused.batchSetBy, 'batch');
    assert.equal(fused.deadlineMs, 20);
    assert.deepEqual(fused.inputs, [{ node: 'src', port: 'frames' }], 'the Batcher is looked through');
    assert.deepEqual(plan.passThrough, [{ node: 'batch', from: { node: 'src', port: 'frames' }, batchSize: 8, deadlineMs: 20 }]);
  });

  test('a host node between accelerator nodes splits the fusion', async () => {
    //  src ──> a1 ──> h ──> a2 ──> sink
    const doc = graph(
      [['src', 'TestSource'], ['a1', 'TestAccel'], ['h', 'TestTransform'], ['a2', 'TestAccel'], ['sink', 'TestChecksum']],
      ['src.frames -> a1.frames', 'a1.frames -> h.frames', 'h.frames -> a2.frames', 'a2.frames -> sink.frames'],
    );
    assert.deepEqual(shape((await resolveAndPlan(doc)).plan), ['host:src@1', 'accelerator:a1@1', 'host:h@1', 'accelerator:a2@1', 'host:sink@1']);
  });

  test('no fusion across a different batch size', async () => {
    //  src ──> a1 ──> batch(4) ──> a2 ──> sink
    const doc = graph(
      [['src', 'TestSource'], ['a1', 'TestAccel'], ['batch', 'Batcher', { size: 4 }], ['a2', 'TestAccel'], ['sink', 'TestChecksum']],
      ['src.frames -> a1.frames', 'a1.frames -> batch.frames', 'batch.frames -> a2.frames', 'a2.frames -> sink.frames'],
    );
    assert.deepEqual(shape((await resolveAndPlan(doc)).plan), ['host:src@1', 'accelerator:a1@1', 'accelerator:a2@4', 'host:sink@4']);
  });

  test('no fusion that would make stages depend on each other in a circle', async () => {
    //  src ──> a1 ──────────> am.a       a1, am: accelerator; h: host
    //          a1 ──> h ────> am.b
    // Fusing am into a1's stage would put h both after and inside that stage.
    const doc = graph(
      [['src', 'TestSource'], ['a1', 'TestAccel'], ['h', 'TestTransform'], ['am', 'TestAccelMix'], ['sink', 'TestChecksum']],
      ['src.frames -> a1.frames', 'a1.frames -> am.a', 'a1.frames -> h.frames', 'h.frames -> am.b', 'am.frames -> sink.frames'],
    );
    assert.deepEqual(shape((await resolveAndPlan(doc)).plan), ['host:src@1', 'accelerator:a1@1', 'host:h@1', 'accelerator:am@1', 'host:sink@1']);
  });

  test('an accelerator join fuses when its other input comes from before the chain', async () => {
    //  src ──> a1 ──> am.a ──> sink
    //  src ─────────> am.b
    const doc = graph(
      [['src', 'TestSource'], ['a1', 'TestAccel'], ['am', 'TestAccelMix'], ['sink', 'TestChecksum']],
      ['src.frames -> a1.frames', 'a1.frames -> am.a', 'src.frames -> am.b', 'am.frames -> sink.frames'],
    );
    const { plan } = await resolveAndPlan(doc);
    assert.deepEqual(shape(plan), ['host:src@1', 'accelerator:a1+am@1*', 'host:sink@1']);
    assert.deepEqual(plan.stages[1]!.inputs, [{ node: 'src', port: 'frames' }]);
  });

  test('a direct accelerator-to-accelerator edge fuses even when another input comes from outside', async () => {
    //  src ──> a1 ──> a2(stamp) ──> sink        img ──> a2.image
    const doc = graph(
      [['src', 'TestSource'], ['img', 'TestImage'], ['a1', 'TestAccel'], ['a2', 'TestStamp'], ['sink', 'TestChecksum']],
      ['src.frames -> a1.frames', 'a1.frames -> a2.frames', 'img.image -> a2.image', 'a2.frames -> sink.frames'],
    );
    const { plan } = await resolveAndPlan(doc);
    assert.deepEqual(shape(plan), ['host:src@1', 'host:img@1(once)', 'accelerator:a1+a2@1*', 'host:sink@1']);
    assert.deepEqual(plan.stages[2]!.after.sort(), ['s1', 's2']);
  });

  test('independent branches get their own stages, and share the CPU threads', async () => {
    //  src ──> a1 ──> s1
    //    └───> a2 ──> s2
    const doc = graph(
      [['src', 'TestSource'], ['a1', 'TestAccel'], ['a2', 'TestAccel'], ['s1', 'TestChecksum'], ['s2', 'TestChecksum']],
      ['src.frames -> a1.frames', 'src.frames -> a2.frames', 'a1.frames -> s1.frames', 'a2.frames -> s2.frames'],
    );
    const { plan } = await resolveAndPlan(doc, 8, 1);
    assert.deepEqual(shape(plan), ['host:src@1', 'accelerator:a1@1', 'accelerator:a2@1', 'host:s1@1', 'host:s2@1']);
    assert.deepEqual(plan.stages.filter((s) => s.kind === 'accelerator').map((s) => s.threads), [4, 4]);
  });

  test('on the CPU, a replicable stage runs as one single-threaded copy per core; a stateful one alone', async () => {
    //  src ──> a(replicable) ──> m(not replicable: fusable test nodes count their batches) ──> sink
    const doc = graph(
      [['src', 'TestSource'], ['a', 'TestAccel'], ['h', 'TestTransform'], ['f', 'TestFusableAdd'], ['sink', 'TestChecksum']],
      ['src.frames -> a.frames', 'a.frames -> h.frames', 'h.frames -> f.frames', 'f.frames -> sink.frames'],
    );
    const { plan } = await resolveAndPlan(doc, 4);
    const of = (id: string) => plan.stages.find((s) => s.nodes.includes(id))!;
    assert.deepEqual([of('a').replicas, of('a').threads], [4, 1]);
    assert.deepEqual([of('f').replicas, of('f').threads], [1, 2]);
    assert.equal(of('h').replicas, 1, 'host nodes run on the main thread, once');
    const { graph: g } = await resolveAndPlan(doc, 4);
    const onGpu = planStages(g, { providers: ['cuda', 'cpu'], cpuThreads: 4 });
    assert.equal(onGpu.stages.find((s) => s.nodes.includes('a'))!.replicas, 1, 'a GPU runs one copy');
  });

  test('a compute stage keeps a core: intra-op threads share the rest', async () => {
    //  src ──> f(accelerator, one copy) ──> c(compute) ──> sink
    const doc = graph(
      [['src', 'TestSource'], ['f', 'TestFusableAdd'], ['c', 'TestCompute'], ['sink', 'TestChecksum']],
      ['src.frames -> f.frames', 'f.frames -> c.frames', 'c.frames -> sink.frames'],
    );
    const { plan } = await resolveAndPlan(doc, 4);
    const of = (id: string) => plan.stages.find((s) => s.nodes.includes(id))!;
    assert.equal(of('f').threads, 3);
    const { plan: small } = await resolveAndPlan(doc, 1);
    assert.equal(small.stages.find((s) => s.nodes.includes('f'))!.threads, 1, 'never fewer than one');
  });

  test('a compute node gets a stage of its own, never fused with accelerator nodes', async () => {
    //  src ──> a1 ──> c ──> a2 ──> sink       c: heavy JavaScript, in a worker
    const doc = graph(
      [['src', 'TestSource'], ['a1', 'TestAccel'], ['c', 'TestCompute'], ['a2', 'TestAccel'], ['sink', 'TestChecksum']],
      ['src.frames -> a1.frames', 'a1.frames -> c.frames', 'c.frames -> a2.frames', 'a2.frames -> sink.frames'],
    );
    assert.deepEqual(shape((await resolveAndPlan(doc)).plan), ['host:src@1', 'accelerator:a1@1', 'compute:c@1', 'accelerator:a2@1', 'host:sink@1']);
  });

  test('the plan is a pure function of the graph and the machine', async () => {
    const doc = graph([['src', 'TestSource'], ['a', 'TestAccel'], ['sink', 'TestChecksum']], ['src.frames -> a.frames', 'a.frames -> sink.frames']);
    const first = (await resolveAndPlan(doc)).plan;
    const second = (await resolveAndPlan(structuredClone(doc))).plan;
    assert.deepEqual(first, second);
  });
});
