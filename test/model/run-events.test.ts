/**
 * The browser-safe model's wire shapes: a run record, its events, model-pull events and the node catalog go
 * through JSON and come back equal when parsed with src/model's schemas; a malformed event
 * is refused with a message that names the event and the field.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalog } from '../../src/node-api/catalog.js';
import { loadNodeRegistry, NodeRegistry } from '../../src/node-api/registry.js';
import { defineNode } from '../../src/node-api/define-node.js';
import { z } from 'zod';
import { zNodeCatalog } from '../../src/model/catalog.js';
import { MODEL_EVENT_NAMES, parseModelEvent } from '../../src/model/model-events.js';
import { serializeError, userError } from '../../src/errors.js';
import { parseRunEvent, RUN_EVENT_NAMES } from '../../src/model/run-events.js';
import { zRunRecord, type RunRecord } from '../../src/model/run-record.js';
import { buildMetrics } from '../../src/run/run-metrics.js';
import { emptyNodeStats } from '../../src/run/stage-stats.js';
import { graph, resolveAndPlan, testRegistry } from '../helpers.js';

async function finishedRecord(): Promise<RunRecord> {
  // src ──frames──▶ t ──frames──▶ sink
  const doc = graph([['src', 'TestSource', { frames: 4 }], ['t', 'TestTransform'], ['sink', 'TestChecksum']], ['src.frames->t.frames', 't.frames->sink.frames']);
  const { plan } = await resolveAndPlan(doc);
  const stats = { src: { ...emptyNodeStats(), framesOut: 4, runs: 2, busyMs: 3, batchSizes: { '2': 2 } }, t: emptyNodeStats(), sink: emptyNodeStats() };
  const metrics = buildMetrics(plan, new Date(0), 40, 1e6, stats, {}, 4, { loadMs: 10, pipelineMs: 30 });
  return {
    id: 'r1', graphName: 'test', file: null, status: 'finished',
    createdAt: new Date(0).toISOString(), startedAt: new Date(1).toISOString(), endedAt: new Date(2).toISOString(),
    queuePosition: null, framesDone: 4, framesTotal: 4, plan, metrics,
    warnings: [{ code: 'FF_W', severity: 'warning', node: 't', message: 'a warning' }],
    logs: [{ at: new Date(1).toISOString(), level: 'info', node: 't', message: 'hello' }],
    outputs: [{ node: 'sink', path: 'outputs/a.mp4', size: 10, url: '/api/outputs/a.mp4' }],
    results: { sink: { frames: 4, checksum: 'abc' } },
    error: null,
  };
}

const overJson = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

describe('model: run records and run events', () => {
  test('a run record goes through JSON and parses back equal (plan and metrics included)', async () => {
    const record = await finishedRecord();
    assert.ok(record.plan!.stages.length === 3 && record.metrics!.stages.length === 3, 'a real plan and metrics, not empty ones');
    assert.deepEqual(zRunRecord.parse(overJson(record)), record);
    const failed = { ...record, status: 'failed', error: { kind: 'user', code: 'FF_X', message: 'bad', node: 't' } };
    assert.deepEqual(zRunRecord.parse(overJson(failed)), failed);
  });

  test('each event parses back equal after JSON', async () => {
    const run = await finishedRecord();
    const events = {
      'run:queued': { run: { ...run, status: 'queued' } },
      'run:started': { runId: 'r1', plan: run.plan, startedAt: run.startedAt },
      'run:progress': { runId: 'r1', framesDone: 2, framesTotal: null, metrics: run.metrics },
      'run:log': { runId: 'r1', ...run.logs[0]! },
      'run:finished': { runId: 'r1', run },
      'run:failed': { runId: 'r1', run: { ...run, status: 'failed' } },
      'run:cancelled': { runId: 'r1', run: { ...run, status: 'cancelled' } },
      'run:farm': {
        runId: 'r1',
        progress: {
          runId: 'r1', framesDone: 30, framesTotal: 60, segments: { waiting: 0, active: 1, done: 1, failed: 0, missing: 0 }, workers: [{ name: 'w1', fps: 12.5, segment: 1 }],
          segmentList: [{ index: 0, state: 'done', frames: 30, worker: 'w1' }, { index: 1, state: 'active', frames: 30, worker: 'w1' }], elapsedMs: 2400,
        },
      },
    } as const;
    for (const [name, payload] of Object.entries(events) as [keyof typeof events, unknown][]) {
      const parsed = parseRunEvent(name, overJson(payload));
      assert.ok(parsed.ok, `${name}: ${parsed.ok ? '' : parsed.error}`);
      assert.deepEqual(parsed.payload, payload);
    }
    assert.deepEqual(new Set([...Object.keys(events), 'run:preview']), new Set(RUN_EVENT_NAMES), 'every event is covered');
  });

  test('a preview frame carries bytes: a Buffer on the server, an ArrayBuffer in the browser, never text', () => {
    const frame = { runId: 'r1', frame: 3, width: 32, height: 24, mime: 'image/jpeg' as const };
    assert.ok(parseRunEvent('run:preview', { ...frame, data: Buffer.from([0xff, 0xd8]) }).ok);
    assert.ok(parseRunEvent('run:preview', { ...frame, data: new ArrayBuffer(2) }).ok);
    const text = parseRunEvent('run:preview', { ...frame, data: 'ffd8' });
    assert.equal(text.ok, false);
    assert.match(text.ok ? '' : text.error, /run:preview.*data/);
  });

  test('a malformed event is refused, naming the event and the field', async () => {
    const run = await finishedRecord();
    const cases: [Parameters<typeof parseRunEvent>[0], unknown, RegExp][] = [
      ['run:progress', { runId: 'r1', framesDone: '2', framesTotal: null, metrics: run.metrics }, /run:progress.*framesDone/],
      ['run:finished', { runId: 'r1', run: { ...run, status: 'done' } }, /run:finished.*run\.status/],
      ['run:started', { runId: 'r1', plan: { ...run.plan, stages: [{ id: 's1' }] }, startedAt: 'x' }, /run:started.*plan\.stages\.0/],
      ['run:log', { runId: '', at: 'x', level: 'info', node: 't', message: 'm' }, /run:log.*runId/],
      ['run:queued', null, /run:queued/],
    ];
    for (const [name, payload, message] of cases) {
      const parsed = parseRunEvent(name, payload);
      assert.equal(parsed.ok, false, name);
      assert.match(parsed.ok ? '' : parsed.error, message);
    }
  });
});

describe('model: the node catalog', () => {
  test('the built-in and test catalogs parse with the shared schema and come back equal', async () => {
    for (const registry of [await loadNodeRegistry(), await testRegistry()]) {
      const catalog = buildCatalog(registry);
      assert.ok(catalog.nodes.length > 3);
      assert.deepEqual(zNodeCatalog.parse(overJson(catalog)), overJson(catalog));
    }
  });

  test('a parameter role travels with its schema, and an unknown role is refused', async () => {
    const catalog = buildCatalog(await loadNodeRegistry());
    const decoder = zNodeCatalog.parse(overJson(catalog)).nodes.find((n) => n.type === 'Decoder');
    assert.deepEqual(decoder?.params.properties?.['path']?.['x-framefuse'], { role: 'input-file', media: 'video' });
    const bad = overJson(catalog) as { nodes: { params: { properties: Record<string, Record<string, unknown>> } }[] };
    bad.nodes[0]!.params.properties = { p: { type: 'string', 'x-framefuse': { role: 'secret-file' } } };
    assert.equal(zNodeCatalog.safeParse(bad).success, false);
  });

  test('so a node whose parameter carries a hand-written, malformed role is refused when registered, naming the parameter', () => {
    const node = defineNode({
      type: 'OddRole', version: 1, category: 'Test', title: 'Odd', description: 'A role written by hand.', kind: 'host',
      inputs: {}, outputs: {},
      params: z.object({ secret: z.string().meta({ 'x-framefuse': { role: 'secret-file' } }), fine: z.string().meta({ 'x-framefuse': { role: 'input-file', media: 'video' } }) }),
      create: () => ({}),
    });
    assert.throws(
      () => new NodeRegistry().add(node, 'file:///odd.js'),
      (e: Error) => /parameter secret has an "x-framefuse" entry that is no role/.test(e.message) && !/parameter fine/.test(e.message),
    );
  });
});

describe('model: model-pull events', () => {
  test('the events a pull sends parse, errors included as serializeError writes them', () => {
    const events = {
      'model:progress': { id: 'inswapper_128', received: 10, total: null },
      'model:message': { id: 'inswapper_128', message: 'converting' },
      'model:pulled': { id: 'inswapper_128', status: 'downloaded' },
      'model:failed': { id: 'inswapper_128', error: serializeError(userError('FF_MODEL_HASH', 'checksum mismatch', { fix: 'pull again' })) },
    } as const;
    for (const [name, payload] of Object.entries(events) as [keyof typeof events, unknown][]) {
      const parsed = parseModelEvent(name, overJson(payload));
      assert.ok(parsed.ok, `${name}: ${parsed.ok ? '' : parsed.error}`);
      assert.deepEqual(parsed.payload, overJson(payload));
    }
    assert.deepEqual(Object.keys(events).sort(), [...MODEL_EVENT_NAMES].sort());
    assert.ok(parseModelEvent('model:failed', { id: 'x', error: serializeError(new Error('boom')) }).ok, 'a bug, stack and all');
  });

  test('a malformed pull event is refused, naming the field', () => {
    const bad = parseModelEvent('model:pulled', { id: 'x', status: 'maybe' });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.error, /model:pulled.*status/);
    assert.equal(parseModelEvent('model:progress', { id: 'x', received: '10', total: 5 }).ok, false);
  });
});
