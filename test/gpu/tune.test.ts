/**
 * framefuse tune: runs the graph on an excerpt of its input per provider and batch size,
 * reads each model stage's steady time per frame, caches the best per machine, and the
 * planner takes it for a Batcher's "auto" size (never over a pinned one).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGraphFile } from '../../src/graph/load.js';
import { loadNodeRegistry, type NodeRegistry } from '../../src/node-api/registry.js';
import { PROJECT_MODELS_DIR } from '../../src/models/paths.js';
import { prepareGraph } from '../../src/run/prepare-graph.js';
import { tuneGraph, tuningDocument } from '../../src/run/tune-graph.js';
import type { GraphDocument } from '../../src/model/document.js';
import { requireWebGpu } from './webgpu.js';

describe('framefuse tune', () => {
  let registry: NodeRegistry;
  let anonymize: GraphDocument;
  let models: string;
  const saved = process.env['FRAMEFUSE_MODELS'];

  before(async () => {
    registry = await loadNodeRegistry();
    anonymize = (await loadGraphFile('graphs/anonymize.json')).document!;
    // A models folder of its own, so this machine's real tune cache is neither read nor written.
    models = mkdtempSync(join(tmpdir(), 'ff-tune-models-'));
    cpSync(PROJECT_MODELS_DIR, models, { recursive: true, filter: (src) => !src.includes('/cache') });
    process.env['FRAMEFUSE_MODELS'] = models;
  });
  after(() => {
    if (saved === undefined) delete process.env['FRAMEFUSE_MODELS'];
    else process.env['FRAMEFUSE_MODELS'] = saved;
    rmSync(models, { recursive: true, force: true });
  });

  test('the tuning document writes nothing and pins every Batcher', () => {
    const doc = tuningDocument(anonymize, registry, 2);
    assert.ok(!doc.nodes.some((n) => n.type === 'Encoder'), 'the Encoder (a sink) is left out');
    assert.ok(!doc.edges.some((e) => e.to.node === 'encoder'));
    assert.deepEqual(doc.nodes.find((n) => n.type === 'Batcher')?.params['size'], 2);
    assert.equal(anonymize.nodes.find((n) => n.type === 'Batcher')?.params['size'], 'auto', 'the graph itself is not changed');
  });

  test('measures every provider and size, caches the best, and the plan then uses it for "auto"', async () => {
    await requireWebGpu();
    const before = await prepareGraph(anonymize, registry, { providers: ['webgpu', 'cpu'], checks: false });
    const detectorBefore = before.plan!.stages.find((s) => s.nodes.includes('detector'))!;
    assert.match(detectorBefore.batchReason ?? '', /^auto: 8 on a GPU \(not measured/);
    assert.equal(detectorBefore.tuned, undefined);

    const lines: string[] = [];
    const report = await tuneGraph(anonymize, registry, { providers: ['webgpu', 'cpu'], batches: [1, 2], frames: 6, onProgress: (l) => lines.push(l) });
    assert.equal(lines.length, 4, lines.join('\n'));
    const detector = report.stages.find((s) => s.nodes.includes('detector'));
    assert.ok(detector, JSON.stringify(report));
    assert.equal(detector.table.length, 4);
    for (const m of detector.table) assert.ok(m.msPerFrame !== null && m.msPerFrame > 0, JSON.stringify(m));
    const best = Math.min(...detector.table.map((m) => m.msPerFrame!));
    assert.equal(detector.msPerFrame, best);
    assert.ok(report.cacheFile && report.cacheFile.startsWith(models) && existsSync(report.cacheFile));
    assert.equal(readdirSync(join(models, 'cache', 'tune')).length, 1);

    const after = await prepareGraph(anonymize, registry, { providers: ['webgpu', 'cpu'], checks: false });
    const stage = after.plan!.stages.find((s) => s.nodes.includes('detector'))!;
    assert.equal(stage.providers[0], detector.provider);
    assert.equal(stage.batchSize, detector.batch);
    assert.match(stage.batchReason ?? '', /auto: measured best on .* by framefuse tune/);
    assert.match(stage.tuned ?? '', /ms a frame/);

    // A pinned size stays pinned, whatever was measured.
    const pinned = structuredClone(anonymize);
    pinned.nodes.find((n) => n.type === 'Batcher')!.params['size'] = 16;
    const kept = await prepareGraph(pinned, registry, { providers: ['webgpu', 'cpu'], checks: false });
    const pinnedStage = kept.plan!.stages.find((s) => s.nodes.includes('detector'))!;
    assert.equal(pinnedStage.batchSize, 16);
    assert.match(pinnedStage.batchReason ?? '', /pinned by batcher/);
  });
});
