/**
 * The server's sandbox: every parameter that names a file (by its declared role, whatever
 * its name) stays inside the data folder, and validation answers for a file outside it
 * with one message that says nothing about it (before: /etc/shadow "valid",
 * /root/.ssh/id_rsa "does not exist"). And traversal on every route that takes a path.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog } from '../../src/node-api/catalog.js';
import { paramRoles } from '../../src/model/param-roles.js';
import { loadNodeRegistry } from '../../src/node-api/registry.js';
import { rawRequest } from '../server/raw-request.js';
import { startTestServer, type TestServer } from '../server/server-fixture.js';
import type { GraphDocument } from '../../src/model/document.js';

/** One node of `type` with `params`, alone: file checks run on nodes whatever their edges. */
const single = (type: string, params: Record<string, unknown>): GraphDocument => ({ schemaVersion: 1, name: 'probe', nodes: [{ id: 'n', type, version: 1, params }], edges: [], metadata: {} });

/** Every file-naming parameter of the built-in nodes, with a value that makes it matter. */
const FILE_PARAMS: [type: string, param: string, extra: Record<string, unknown>][] = [
  ['Decoder', 'path', {}],
  ['Encoder', 'path', {}],
  ['Image', 'path', {}],
  ['Detector', 'modelPath', {}],
  ['Detector', 'embedder', { selector: 'reference' }],
  ['Swapper', 'model', {}],
  ['Swapper', 'embedder', {}],
  ['Enhancer', 'faceModel', {}],
  ['Enhancer', 'frameModel', { mode: 'frame' }],
];

describe('the sandbox, by declared role', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('every path and model parameter of the built-in nodes declares its role, and the catalog shows it', async () => {
    const registry = await loadNodeRegistry();
    const declared = registry
      .list()
      .flatMap(({ definition }) => [...paramRoles(definition.params)].filter(([, role]) => role.role !== 'live-setting').map(([param, role]) => `${definition.type}.${param}:${role.role}`));
    assert.deepEqual(declared.sort(), [
      'Decoder.path:input-file', 'Detector.embedder:model', 'Detector.modelPath:model', 'Encoder.path:output-file', 'Enhancer.faceModel:model',
      'Enhancer.frameModel:model', 'Image.path:input-file', 'Swapper.embedder:model', 'Swapper.model:model',
    ]);
    const detector = buildCatalog(registry).nodes.find((n) => n.type === 'Detector')!;
    assert.deepEqual((detector.params as { properties: Record<string, Record<string, unknown>> }).properties['embedder']!['x-framefuse'], { role: 'model', family: 'face-embedder' });
  });

  test('a file outside the data folder gets one answer, whether it exists or not, on every file parameter', async () => {
    for (const [type, param, extra] of FILE_PARAMS) {
      const messages = new Set<string>();
      for (const outside of ['/etc/shadow', '/root/.ssh/id_rsa', '/no/such/file.onnx', '../../etc/passwd', `${server.dataDir}/../x.onnx`]) {
        const res = await server.api('POST', '/api/validate', { graph: single(type, { ...extra, [param]: outside }) });
        assert.equal(res.status, 200);
        const mine = res.body.problems.filter((p: { field?: string }) => p.field === param);
        assert.deepEqual(mine.map((p: { code: string }) => p.code), ['FF_PATH_UNSAFE'], `${type}.${param} = ${outside}: ${JSON.stringify(res.body.problems)}`);
        assert.ok(!res.body.problems.some((p: { code: string }) => /^FF_(MEDIA_MISSING|MODEL_MISSING|MODEL_UNKNOWN|MODEL_NOT_ONNX|MEDIA_NOT_FILE|OUTPUT_)/.test(p.code)), `${type}.${param} = ${outside} reveals something: ${JSON.stringify(res.body.problems)}`);
        messages.add(mine[0].message);
      }
      assert.equal(messages.size, 1, `${type}.${param}: ${[...messages].join(' | ')}`);
    }
  });

  test('a run naming a file outside is never queued, and a symbolic link out of the folder counts as outside', async () => {
    symlinkSync('/etc', join(server.dataDir, 'etc-link'));
    for (const [type, param, extra] of FILE_PARAMS) {
      for (const value of ['/etc/hostname', 'etc-link/hostname']) {
        const res = await server.api('POST', '/api/runs', { graph: single(type, { ...extra, [param]: value }) });
        assert.equal(res.status, 422);
        assert.ok(res.body.error.problems.some((p: { code: string; field: string }) => p.code === 'FF_PATH_UNSAFE' && p.field === param), `${type}.${param}=${value}`);
      }
    }
    assert.equal((await server.api('GET', '/api/runs')).body.runs.length, 0);
  });

  test('traversal on every route that takes a path: refused, nothing read or written outside', async () => {
    writeFileSync(join(server.dataDir, 'secret.txt'), 'top secret');
    mkdirSync(join(server.dataDir, 'outputs', 'deep'), { recursive: true });
    const reads = [
      '/api/graphs/..%2fsecret.txt', '/api/graphs/%2e%2e%2fsecret', '/api/uploads/..%2fsecret.txt', '/api/uploads/%2fetc%2fpasswd',
      '/api/outputs/../secret.txt', '/api/outputs/deep/%2e%2e/%2e%2e/secret.txt', '/api/outputs/%2fetc%2fpasswd', '/api/runs/..%2f..%2fsecret/outputs/0',
      '/api/runs/x/outputs/..%2f..%2fsecret.txt', '/api/graphs/..%5csecret.txt',
    ];
    for (const path of reads) {
      const res = await rawRequest(server.url, path, server.auth);
      assert.ok([400, 404].includes(res.status), `${path} answered ${res.status}`);
      assert.ok(!res.body.includes('top secret') && !res.body.includes('root:'), `${path} leaked a file`);
      assert.ok(!res.body.includes(server.dataDir), `${path} showed the data folder: ${res.body}`);
    }
    const writes: [string, string, unknown][] = [
      ['PUT', '/api/graphs/..%2f..%2fpwned.json', { document: single('Batcher', {}) }],
      ['POST', '/api/graphs/%2e%2e%2fpwned', { document: single('Batcher', {}) }],
      ['DELETE', '/api/graphs/..%2fsecret.txt', undefined],
      ['POST', '/api/runs', { file: '../secret.txt' }],
      ['POST', '/api/runs', { file: '/etc/passwd' }],
    ];
    for (const [method, path, body] of writes) {
      const res = await server.api(method, path, body);
      assert.ok([400, 404].includes(res.status), `${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    const named = await fetch(`${server.url}/api/uploads?name=${encodeURIComponent('../../pwned.mp4')}`, { method: 'POST', headers: { ...server.auth, 'content-type': 'video/mp4' }, body: 'x' });
    assert.notEqual(named.status, 201);
  });
});
