/**
 * Bounds on every way in: the run queue (429 when full), the JSON body, the graph's size
 * and nesting depth (server and CLI: 4000 levels used to give FF_INTERNAL stack overflow,
 * and a saved 6000-deep graph a 500), ffmpeg processes per run; and the server stays
 * responsive while it validates the largest graph it accepts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRAPH_LIMITS } from '../../src/model/graph-limits.js';
import { validateGraph } from '../../src/graph/validate.js';
import { testRegistry } from '../helpers.js';
import { tempDir } from '../media/media-helpers.js';
import { pipelineGraph, RunEventLog, startTestServer, type TestServer } from '../server/server-fixture.js';
import type { GraphDocument } from '../../src/model/document.js';
import { cli } from './safety-helpers.js';

/** A document whose metadata nests `depth` arrays deep, written as text (JSON.stringify would overflow). */
function deepDocumentText(depth: number): string {
  const base = JSON.stringify(pipelineGraph({ frames: 2 }));
  return `${base.slice(0, -1)},"metadata":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
}

/**
 * A chain of `n` nodes, the most the limits allow:
 *   src ─▶ t1 ─▶ t2 ─▶ ... ─▶ sink
 */
function chain(n: number): GraphDocument {
  const doc = pipelineGraph({ frames: 2 });
  doc.nodes = [doc.nodes[0]!];
  doc.edges = [];
  let prev = 'src';
  for (let i = 1; i < n - 1; i++) {
    doc.nodes.push({ id: `t${i}`, type: 'TestTransform', version: 1, params: {} });
    doc.edges.push({ from: { node: prev, port: 'frames' }, to: { node: `t${i}`, port: 'frames' } });
    prev = `t${i}`;
  }
  doc.nodes.push({ id: 'sink', type: 'TestChecksum', version: 1, params: {} });
  doc.edges.push({ from: { node: prev, port: 'frames' }, to: { node: 'sink', port: 'frames' } });
  return doc;
}

describe('limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxWaitingRuns: 2 });
  });
  after(() => server.stop());

  test('the run queue is bounded: 429 with a clear message, and cancelling makes room', async () => {
    const log = new RunEventLog(await server.socket());
    const slow = pipelineGraph({ frames: 400, chunk: 1, delayMs: 20 });
    const running = await server.api('POST', '/api/runs', { graph: slow });
    assert.equal(running.status, 202);
    for (let i = 0; i < 2; i++) assert.equal((await server.api('POST', '/api/runs', { graph: slow })).status, 202);
    const full = await server.api('POST', '/api/runs', { graph: slow });
    assert.equal(full.status, 429);
    assert.equal(full.body.error.code, 'FF_QUEUE_FULL');
    assert.match(full.body.error.message, /2 runs are waiting.*cancel one/);
    assert.ok(full.headers.get('retry-after'));
    const waiting = (await server.api('GET', '/api/runs')).body.runs.filter((r: { status: string }) => r.status === 'queued');
    assert.equal((await server.api('POST', `/api/runs/${waiting[0].id}/cancel`)).status, 202);
    assert.equal((await server.api('POST', '/api/runs', { graph: pipelineGraph({ frames: 2 }) })).status, 202);
    for (const run of (await server.api('GET', '/api/runs')).body.runs) {
      if (run.status === 'queued' || run.status === 'running') await server.api('POST', `/api/runs/${run.id}/cancel`);
    }
    await log.wait(running.body.run.id, 'run:cancelled');
  });

  test('a body over the JSON limit is refused with 413 before it is parsed', async () => {
    const doc = pipelineGraph();
    doc.metadata = { blob: 'x'.repeat(1024 ** 2 + 10) };
    const res = await server.api('POST', '/api/validate', { graph: doc });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'FF_TOO_LARGE');
  });

  test('nesting 4000 and 6000 deep: refused with FF_JSON_TOO_DEEP on validate, runs and save, never a 500', async () => {
    for (const depth of [4000, 6000]) {
      const text = deepDocumentText(depth);
      for (const [method, path, body] of [
        ['POST', '/api/validate', `{"graph":${text}}`],
        ['POST', '/api/runs', `{"graph":${text}}`],
        ['PUT', '/api/graphs/deep.json', `{"document":${text}}`],
      ] as const) {
        const res = await server.api(method, path, body);
        assert.ok(res.status === 200 || res.status === 422, `${method} ${path} ${depth}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        const problems = res.status === 200 ? res.body.problems : res.body.error.problems;
        assert.equal(problems[0].code, 'FF_JSON_TOO_DEEP', `${method} ${path}`);
      }
    }
    assert.equal((await server.api('GET', '/api/graphs/deep.json')).status, 404, 'nothing was saved');
  });

  test('the CLI refuses a 4000-deep graph and a deep --set value with FF_JSON_TOO_DEEP (exit 2), not a stack overflow', () => {
    const file = join(tempDir('framefuse-safety-deep-'), 'deep.json');
    writeFileSync(file, deepDocumentText(4000));
    const r = cli(['validate', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /FF_JSON_TOO_DEEP/);
    assert.doesNotMatch(r.stderr, /FF_INTERNAL|call stack/);
    const set = cli(['run', 'test/graphs/checksum.json', '--set', `src.frames=${'['.repeat(3000)}${']'.repeat(3000)}`]);
    assert.equal(set.code, 2, set.stderr);
    assert.match(set.stderr, /FF_JSON_TOO_DEEP/);
  });

  test('a graph over the size limit is refused at once; the largest allowed validates while /api/info stays responsive', async () => {
    const huge = await server.api('POST', '/api/validate', { graph: chain(5000) });
    assert.equal(huge.body.problems[0].code, 'FF_GRAPH_TOO_LARGE');
    // /api/info polled while the largest graph validates and plans. Before the limits, a
    // 5000-node graph kept it waiting 4.4 s; now the whole validation takes about 0.15 s.
    let slowest = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const t = performance.now();
        assert.equal((await server.api('GET', '/api/info')).status, 200);
        slowest = Math.max(slowest, performance.now() - t);
      }
    })();
    const largest = await server.api('POST', '/api/validate', { graph: chain(GRAPH_LIMITS.nodes) });
    polling = false;
    await poll;
    assert.equal(largest.body.valid, true, JSON.stringify(largest.body.problems));
    assert.ok(slowest < 2000, `/api/info took ${slowest.toFixed(0)} ms while a graph validated`);
  });

  test('a run may start only so many ffmpeg processes: too many media nodes is a validation error', async () => {
    const doc = pipelineGraph({ frames: 2 });
    for (let i = 0; i <= GRAPH_LIMITS.mediaNodes; i++) {
      doc.nodes.push({ id: `enc${i}`, type: 'Encoder', version: 1, params: { path: `outputs/o${i}.mp4` } });
      doc.edges.push({ from: { node: 'src', port: 'frames' }, to: { node: `enc${i}`, port: 'frames' } });
    }
    const { problems } = await validateGraph(doc, await testRegistry());
    assert.deepEqual(problems.map((p) => p.code), ['FF_TOO_MANY_MEDIA_NODES']);
  });
});
