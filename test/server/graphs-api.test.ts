/** REST: the catalog, graph files (list, read, create, save, delete), validate and plan, errors as JSON. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineGraph, startTestServer, type TestServer } from './server-fixture.js';

describe('REST API: catalog, graphs, validation', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('GET /api/nodes is the catalog generated from the node definitions', async () => {
    const { status, body } = await server.api('GET', '/api/nodes');
    assert.equal(status, 200);
    assert.equal(body.catalogVersion, 1);
    const source = body.nodes.find((n: { type: string }) => n.type === 'TestSource');
    assert.ok(source, 'TestSource is in the catalog');
    assert.deepEqual(source.outputs.map((p: { name: string; type: string }) => `${p.name}:${p.type}`), ['frames:Frames']);
    assert.equal(source.params.properties.frames.type, 'integer');
    assert.equal(body.portTypes.Frames.color, '#4f8df7');
    assert.ok(!body.nodes.some((n: { category: string }) => n.category === 'Internal'), 'the preview tap stays out of the palette');
  });

  test('graphs: create, refuse to overwrite, save, list, read back unchanged, delete', async () => {
    // Arrange
    const doc = { ...pipelineGraph(), metadata: { note: 'kept' }, extra: { editor: 'unknown keys survive' } };
    // Act + assert
    const created = await server.api('POST', '/api/graphs/mine', { document: doc });
    assert.equal(created.status, 201);
    assert.equal(created.body.name, 'mine.json');
    const again = await server.api('POST', '/api/graphs/mine.json', { document: doc });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'FF_EXISTS');
    const saved = await server.api('PUT', '/api/graphs/mine.json', { document: { ...doc, name: 'renamed' } });
    assert.equal(saved.status, 200);
    const list = await server.api('GET', '/api/graphs');
    assert.deepEqual(list.body.graphs.map((g: { name: string; title: string }) => [g.name, g.title]), [['mine.json', 'renamed']]);
    const read = await server.api('GET', '/api/graphs/mine.json');
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.document, { ...doc, name: 'renamed' });
    assert.deepEqual(read.body.problems, []);
    // The file on disk is what the CLI reads: 2-space JSON with a trailing newline.
    const text = readFileSync(join(server.dataDir, 'graphs', 'mine.json'), 'utf8');
    assert.equal(text, `${JSON.stringify({ ...doc, name: 'renamed' }, null, 2)}\n`);
    assert.equal((await server.api('DELETE', '/api/graphs/mine.json')).status, 204);
    assert.equal((await server.api('GET', '/api/graphs/mine.json')).status, 404);
    assert.equal((await server.api('DELETE', '/api/graphs/mine.json')).body.error.code, 'FF_NOT_FOUND');
  });

  test('graphs: a document that is not one is refused with its problems', async () => {
    const { status, body } = await server.api('PUT', '/api/graphs/bad', { document: { schemaVersion: 1, nodes: 'nope' } });
    assert.equal(status, 422);
    assert.equal(body.error.code, 'FF_SCHEMA');
    assert.ok(body.error.problems.length > 0);
  });

  test('graphs: names that try to leave the folder are refused', async () => {
    for (const name of ['..%2F..%2Fetc%2Fpasswd', 'a%2F..%2F..%2Fx', '.hidden', 'a%00b', 'graph.schema.json']) {
      const { status, body } = await server.api('PUT', `/api/graphs/${name}`, { document: pipelineGraph() });
      assert.equal(status, 400, `${name} is refused`);
      assert.match(body.error.code, /^FF_(BAD_NAME|PATH_UNSAFE)$/);
    }
    // The answer says what a name may be, in words.
    const { body } = await server.api('PUT', '/api/graphs/.hidden', { document: pipelineGraph() });
    assert.equal(body.error.message, 'bad graph name ".hidden": it may use letters, digits, spaces and _ . ( ) - only, and must start with a letter or digit');
    const long = await server.api('PUT', `/api/graphs/${'a'.repeat(130)}`, { document: pipelineGraph() });
    assert.match(long.body.error.message, /it must be at most 120 characters long$/);
  });

  test('graphs: a file with a JSON syntax error reads back with a located problem', async () => {
    writeFileSync(join(server.dataDir, 'graphs', 'broken.json'), '{\n  "nodes": [,]\n}\n');
    const { status, body } = await server.api('GET', '/api/graphs/broken.json');
    assert.equal(status, 200);
    assert.equal(body.document, null);
    assert.equal(body.problems[0].code, 'FF_JSON_SYNTAX');
    assert.match(body.problems[0].message, /line 2/);
  });

  test('POST /api/validate gives every problem with the CLI codes, and the plan when valid', async () => {
    const valid = await server.api('POST', '/api/validate', { graph: pipelineGraph() });
    assert.equal(valid.status, 200);
    assert.equal(valid.body.valid, true);
    assert.deepEqual(valid.body.plan.stages.map((s: { nodes: string[] }) => s.nodes), [['src'], ['t'], ['sink']]);

    const broken = pipelineGraph();
    broken.nodes.push({ id: 'ghost', type: 'NoSuchNode', version: 1, params: {} });
    broken.nodes[0]!.params = { frames: -5 };
    broken.edges.pop(); // sink.frames is now unconnected
    const invalid = await server.api('POST', '/api/validate', { graph: broken });
    assert.equal(invalid.status, 200);
    assert.equal(invalid.body.valid, false);
    assert.equal(invalid.body.plan, null);
    const codes = invalid.body.problems.map((p: { code: string; node?: string }) => `${p.code}@${p.node}`).sort();
    assert.ok(codes.some((c: string) => c.endsWith('@ghost')), `unknown type names its node: ${codes}`);
    assert.ok(codes.some((c: string) => c.endsWith('@src')), `bad param names its node: ${codes}`);
    assert.ok(codes.some((c: string) => c.endsWith('@sink')), `missing input names its node: ${codes}`);
  });

  test('POST /api/plan answers the plan, or 422 FF_INVALID_GRAPH with the problems', async () => {
    const ok = await server.api('POST', '/api/plan', { graph: pipelineGraph() });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.plan.planVersion, 1);
    const bad = await server.api('POST', '/api/plan', { graph: { schemaVersion: 1, nodes: [{ id: 'x', type: 'Nope' }], edges: [] } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'FF_INVALID_GRAPH');
    assert.ok(bad.body.error.problems.length > 0);
  });

  test('request bodies are validated: missing fields, bad JSON, unknown endpoints all answer JSON', async () => {
    const missing = await server.api('POST', '/api/plan', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'FF_BAD_REQUEST');
    const syntax = await server.api('POST', '/api/validate', '{"graph": ', { 'content-type': 'application/json' });
    assert.equal(syntax.status, 400);
    assert.equal(syntax.body.error.code, 'FF_JSON_SYNTAX');
    const runs = await server.api('POST', '/api/runs', { graph: pipelineGraph(), file: 'x.json' });
    assert.equal(runs.status, 400);
    assert.equal(runs.body.error.code, 'FF_BAD_REQUEST');
    const unknown = await server.api('GET', '/api/nope');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'FF_NOT_FOUND');
  });

  test('GET /api/info names the default graph', async () => {
    writeFileSync(join(server.dataDir, 'graphs', 'transcode.json'), JSON.stringify(pipelineGraph()));
    const { body } = await server.api('GET', '/api/info');
    assert.equal(body.defaultGraph, 'transcode.json');
    writeFileSync(join(server.dataDir, 'graphs', 'anonymize.json'), JSON.stringify(pipelineGraph()));
    assert.equal((await server.api('GET', '/api/info')).body.defaultGraph, 'anonymize.json');
  });
});
