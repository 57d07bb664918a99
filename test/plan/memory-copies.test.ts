/**
 * Copies of a model stage each hold their own sessions: the planner gives a stage fewer
 * copies than cores when its models would not fit the memory free at planning time.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { planStages, MODEL_FOOTPRINT } from '../../src/plan/plan-stages.js';
import { formatPlan } from '../../src/plan/format-plan.js';
import { prepareGraph } from '../../src/run/prepare-graph.js';
import { graph, resolveAndPlan } from '../helpers.js';
import { writeFaceModels } from '../swap/face-models.js';
import { chainGraph, swapRegistry } from '../swap/swap-graph.js';

const MB = 2 ** 20;

describe('copies and memory', () => {
  const doc = graph([['src', 'TestSource'], ['a', 'TestAccel'], ['sink', 'TestChecksum']], ['src.frames -> a.frames', 'a.frames -> sink.frames']);

  test('as many copies as fit: each needs MODEL_FOOTPRINT times its models', async () => {
    const { graph: g } = await resolveAndPlan(doc, 4);
    const perCopy = MODEL_FOOTPRINT * 100 * MB;
    const plan = planStages(g, { providers: ['cpu'], cpuThreads: 4, memory: { availableBytes: 2.5 * perCopy, nodeModelBytes: { a: 100 * MB } } });
    const a = plan.stages.find((s) => s.nodes.includes('a'))!;
    assert.equal(a.replicas, 2);
    assert.match(a.replicasNote ?? '', /^2 copies, not 4: each needs about 500\.0 MiB \(5x its 100\.0 MiB of models\)/);
    assert.match(formatPlan(plan), /s2 a: 2 copies, not 4/);
  });

  test('at least one copy; no cap when the models fit, are unknown, or --replicas says', async () => {
    const { graph: g } = await resolveAndPlan(doc, 4);
    const copies = (options: Partial<Parameters<typeof planStages>[1]>) =>
      planStages(g, { providers: ['cpu'], cpuThreads: 4, ...options }).stages.find((s) => s.nodes.includes('a'))!;
    assert.equal(copies({ memory: { availableBytes: MB, nodeModelBytes: { a: 100 * MB } } }).replicas, 1);
    assert.equal(copies({ memory: { availableBytes: 64 * 2 ** 30, nodeModelBytes: { a: 100 * MB } } }).replicas, 4);
    assert.equal(copies({ memory: { availableBytes: MB, nodeModelBytes: {} } }).replicas, 4);
    const forced = copies({ replicas: 3, memory: { availableBytes: MB, nodeModelBytes: { a: 100 * MB } } });
    assert.equal(forced.replicas, 3);
    assert.equal(forced.replicasNote, undefined);
  });

  test('prepareGraph sizes the models each node names: the composed face stage gets one copy when two do not fit', async () => {
    const models = writeFaceModels();
    const bytes = statSync(models.swapper).size + statSync(models.embedder).size + statSync(models.gfpgan).size;
    const chain = chainGraph({ models, start: 104, end: 106 });
    const registry = await swapRegistry();
    const tight = await prepareGraph(chain, registry, { providers: ['cpu'], cpuThreads: 2, availableBytes: 1.5 * MODEL_FOOTPRINT * bytes });
    const stage = tight.plan!.stages.find((s) => s.nodes.includes('swap'))!;
    assert.equal(stage.replicas, 1, JSON.stringify(stage));
    assert.match(stage.replicasNote ?? '', /1 copy, not 2/);
    const roomy = await prepareGraph(chain, registry, { providers: ['cpu'], cpuThreads: 2, availableBytes: 3 * MODEL_FOOTPRINT * bytes });
    assert.equal(roomy.plan!.stages.find((s) => s.nodes.includes('swap'))!.replicas, 2);
  });
});
