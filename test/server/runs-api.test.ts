/** Runs over REST and socket.io: events in order, results, the queue, cancel, failure, path safety. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { parseRunEvent, RUN_EVENT_NAMES, type RunEventName } from '../../src/model/run-events.js';
import { zRunRecord } from '../../src/model/run-record.js';
import { pipelineGraph, RunEventLog, startTestServer, type TestServer } from './server-fixture.js';
import { prepareGraph } from '../../src/run/prepare-graph.js';

describe('runs', () => {
  let server: TestServer;
  let socket: Socket;
  let log: RunEventLog;
  /** How many times the server validated and planned a graph: its prepare function, wrapped. */
  let preparations = 0;
  before(async () => {
    server = await startTestServer({
      prepare: (...args) => {
        preparations++;
        return prepareGraph(...args);
      },
    });
    socket = await server.socket();
    log = new RunEventLog(socket);
  });
  after(() => server.stop());

  const queue = async (body: unknown) => {
    const res = await server.api('POST', '/api/runs', body);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body.run.id as string;
  };

  test('a run streams queued, started, progress, preview and finished, with the results', async () => {
    // Act
    const graph = pipelineGraph({ frames: 24, chunk: 2, delayMs: 15 });
    const id = await queue({ graph });
    const done = await log.wait(id, 'run:finished');
    const frame = await log.wait(id, 'run:preview');
    // Assert: the order of events.
    const names = log.names(id);
    assert.equal(names[0], 'run:queued');
    assert.equal(names[1], 'run:started');
    assert.ok(names.includes('run:progress'), names.join(','));
    assert.equal(names[names.length - 1], 'run:finished');
    // The result.
    assert.equal(done.run.status, 'finished');
    assert.equal(done.run.framesDone, 24);
    assert.equal(done.run.framesTotal, 24);
    assert.equal(done.run.results.sink.frames, 24);
    assert.deepEqual(done.run.plan.stages.map((s: { id: string; nodes: string[] }) => `${s.id}:${s.nodes}`), ['s1:src', 's2:t', 's3:sink'], 'the plan is the run\'s own: no hidden node');
    assert.ok(!('__preview' in done.run.metrics.nodes));
    assert.deepEqual(Object.keys(done.run.metrics.nodes).sort(), ['sink', 'src', 't']);
    // The preview is a real JPEG of the frame size.
    const jpeg = Buffer.from(frame.data);
    assert.equal(frame.mime, 'image/jpeg');
    assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
    assert.deepEqual([...jpeg.subarray(-2)], [0xff, 0xd9]);
    assert.deepEqual([frame.width, frame.height], [32, 24]);
    // GET /api/runs/:id says the same.
    assert.equal((await server.api('GET', `/api/runs/${id}`)).body.run.status, 'finished');
    assert.ok((await server.api('GET', '/api/runs')).body.runs.some((r: { id: string }) => r.id === id));
    assert.equal((await server.api('GET', '/api/runs/nope')).status, 404);
    // GET /api/runs/:id/graph gives back the graph it ran.
    assert.deepEqual((await server.api('GET', `/api/runs/${id}/graph`)).body.document.nodes.map((n: { id: string }) => n.id), graph.nodes.map((n) => n.id));
    assert.equal((await server.api('GET', '/api/runs/nope/graph')).status, 404);
  });

  test('one press of Run validates and plans once, and the run executes that plan', async () => {
    const before = preparations;
    const planned = await server.api('POST', '/api/plan', { graph: pipelineGraph({ frames: 6 }) });
    assert.equal(preparations - before, 1);
    const id = await queue({ graph: pipelineGraph({ frames: 6 }) });
    const done = await log.wait(id, 'run:finished');
    assert.equal(preparations - before, 2, 'POST /api/runs prepared the graph once; the executor used that plan');
    assert.equal(server.context.runs.heldRequests, 0, 'the queue let go of the finished run\'s graph and plan');
    assert.deepEqual(done.run.plan, planned.body.plan, 'the plan the run reports is the plan /api/plan gives');
    assert.equal(done.run.framesDone, 6);
  });

  test('a file that becomes a link out of the data folder while its run waits fails that run when it starts', async () => {
    const busy = await queue({ graph: pipelineGraph({ frames: 2000, chunk: 1, delayMs: 5 }) });
    await log.wait(busy, 'run:started');
    mkdirSync(join(server.dataDir, 'later'));
    const graph = pipelineGraph({ frames: 4 });
    graph.nodes.push({ id: 'enc', type: 'Encoder', version: 1, params: { path: 'later/out.mp4' } });
    graph.edges.push({ from: { node: 't', port: 'frames' }, to: { node: 'enc', port: 'frames' } });
    const waiting = await queue({ graph });
    // While it waits, its output folder is swapped for a link out of the data folder.
    const outside = mkdtempSync(join(tmpdir(), 'framefuse-outside-'));
    try {
      rmSync(join(server.dataDir, 'later'), { recursive: true });
      symlinkSync(outside, join(server.dataDir, 'later'));
      assert.equal((await server.api('POST', `/api/runs/${busy}/cancel`)).status, 202);
      const failed = await log.wait(waiting, 'run:failed');
      assert.deepEqual([failed.run.error.code, failed.run.error.node], ['FF_PATH_UNSAFE', 'enc']);
      assert.ok(!log.names(waiting).includes('run:started'), 'it never started');
      assert.deepEqual(readdirSync(outside), [], 'nothing written outside');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a run of a graph file from the graphs folder', async () => {
    writeFileSync(join(server.dataDir, 'graphs', 'saved.json'), JSON.stringify(pipelineGraph({ frames: 5 }, 'saved')));
    const { status, body } = await server.api('POST', '/api/runs', { file: 'saved.json' });
    assert.equal(status, 202);
    assert.equal(body.run.file, 'saved.json');
    const done = await log.wait(body.run.id, 'run:finished');
    assert.equal(done.run.results.sink.frames, 5);
    assert.equal((await server.api('POST', '/api/runs', { file: 'nope.json' })).status, 404);
  });

  test('one run at a time: the second waits with its place, then runs', async () => {
    const slow = await queue({ graph: pipelineGraph({ frames: 20, chunk: 1, delayMs: 20 }) });
    const second = await server.api('POST', '/api/runs', { graph: pipelineGraph({ frames: 3 }) });
    assert.equal(second.body.run.status, 'queued');
    assert.equal(second.body.run.queuePosition, 0);
    const firstEnd = await log.wait(slow, 'run:finished');
    const started = await log.wait(second.body.run.id, 'run:started');
    assert.ok(Date.parse(started.startedAt) >= Date.parse(firstEnd.run.endedAt), 'the second started after the first ended');
    await log.wait(second.body.run.id, 'run:finished');
  });

  test('cancel a running run (REST) and a queued one (socket); cancelling a finished run is refused', async () => {
    const running = await queue({ graph: pipelineGraph({ frames: 500, chunk: 1, delayMs: 20 }) });
    const queued = await queue({ graph: pipelineGraph({ frames: 3 }) });
    await log.wait(running, 'run:progress', (p) => p.framesDone > 0);
    // The queued one, over the socket:
    assert.deepEqual(await socket.emitWithAck('run:cancel', { runId: queued }), { ok: true });
    assert.equal((await server.api('GET', `/api/runs/${queued}`)).body.run.status, 'cancelled');
    await log.wait(queued, 'run:cancelled');
    // The running one, over REST:
    const cancel = await server.api('POST', `/api/runs/${running}/cancel`);
    assert.equal(cancel.status, 202);
    const event = await log.wait(running, 'run:cancelled');
    assert.equal(event.run.status, 'cancelled');
    assert.ok(event.run.framesDone < 500);
    assert.ok(!log.names(queued).includes('run:started'), 'the cancelled queued run never started');
    const again = await server.api('POST', `/api/runs/${running}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'FF_RUN_OVER');
    assert.equal((await server.api('POST', '/api/runs/no-such-run/cancel')).status, 404);
  });

  test('a failing node fails the run with its node, code and message', async () => {
    const graph = pipelineGraph({ frames: 10 });
    graph.nodes[1]!.params = { failAt: 3 };
    const id = await queue({ graph });
    const failed = await log.wait(id, 'run:failed');
    assert.equal(failed.run.status, 'failed');
    assert.equal(failed.run.error.node, 't');
    assert.match(failed.run.error.code, /^FF_/);
    assert.ok(failed.run.error.message.length > 0);
    assert.equal(failed.run.error.stack, undefined, 'no stack traces leave the server');
  });

  test('an invalid graph is not queued: 422 with the problems', async () => {
    const graph = pipelineGraph();
    graph.edges = [];
    const { status, body } = await server.api('POST', '/api/runs', { graph });
    assert.equal(status, 422);
    assert.equal(body.error.code, 'FF_INVALID_GRAPH');
    assert.ok(body.error.problems.some((p: { node: string }) => p.node === 'sink'));
  });

  test('a graph may not name files outside the data folder (parameters with a file role)', async () => {
    const graph = pipelineGraph();
    graph.nodes.push({ id: 'enc', type: 'Encoder', version: 1, params: { path: '/etc/framefuse-pwned.mp4' } });
    graph.edges.push({ from: { node: 't', port: 'frames' }, to: { node: 'enc', port: 'frames' } });
    const outside = await server.api('POST', '/api/runs', { graph });
    assert.equal(outside.status, 422);
    const problem = outside.body.error.problems.find((p: { code: string }) => p.code === 'FF_PATH_UNSAFE');
    assert.deepEqual([problem.node, problem.field], ['enc', 'path']);
    graph.nodes[3]!.params = { path: '../../escape.mp4' };
    assert.equal((await server.api('POST', '/api/validate', { graph })).body.problems[0].code, 'FF_PATH_UNSAFE');
  });

  // Runs last: it reads every event the runs above made the server send.
  test('every run event the server sent parses with its schema in src/model/run-events.ts', async () => {
    const seen = new Set(log.events.map((e) => e.name));
    for (const name of ['run:queued', 'run:started', 'run:progress', 'run:preview', 'run:finished', 'run:failed', 'run:cancelled']) {
      assert.ok(seen.has(name), `the runs above sent no ${name}; saw ${[...seen].join(', ')}`);
    }
    for (const { name, payload } of log.events) {
      assert.ok((RUN_EVENT_NAMES as string[]).includes(name), `${name} is not a declared run event`);
      const parsed = parseRunEvent(name as RunEventName, payload);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    }
    const { body } = await server.api('GET', '/api/runs');
    assert.ok(body.runs.length > 3);
    for (const run of body.runs) zRunRecord.parse(run);
  });
});
