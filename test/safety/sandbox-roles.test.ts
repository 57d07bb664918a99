/**
 * The sandbox reads roles, never names: a parameter called `path` or `outputPath` without a
 * role is a plain string to the server (no FF_PATH_UNSAFE, no file check), and one with a
 * role but an odd name (`zebra`, `q`, `w`) is confined like the built-in nodes' files.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineNode } from '../../src/node-api/define-node.js';
import { NodeRegistry } from '../../src/node-api/registry.js';
import { inputFile, modelRef, outputFile } from '../../src/model/param-roles.js';
import { startTestServer, type TestServer } from '../server/server-fixture.js';
import type { GraphDocument } from '../../src/model/document.js';

const sink = { open: () => ({}) };

const pathNamed = defineNode({
  type: 'PathNamed',
  version: 1,
  category: 'Test',
  title: 'Path-like names, no roles',
  description: 'Parameters named like files that name none (tests only).',
  kind: 'host',
  inputs: {},
  outputs: {},
  params: z.object({ path: z.string().default(''), outputPath: z.string().default(''), modelFile: z.string().default('') }),
  create: () => sink,
});

const oddRoles = defineNode({
  type: 'OddRoles',
  version: 1,
  category: 'Test',
  title: 'Roles under odd names',
  description: 'File parameters whose names say nothing (tests only).',
  kind: 'host',
  inputs: {},
  outputs: {},
  params: z.object({
    zebra: inputFile(z.string().default('in.mp4'), 'video'),
    q: outputFile(z.string().default('out.mp4'), 'video'),
    w: modelRef(z.string().default('yunet_2023mar'), 'face-detector'),
  }),
  create: () => sink,
});

const single = (type: string, params: Record<string, unknown>): GraphDocument => ({ schemaVersion: 1, name: 'probe', nodes: [{ id: 'n', type, version: 1, params }], edges: [], metadata: {} });

describe('the sandbox reads roles, not names', () => {
  let server: TestServer;
  before(async () => {
    const registry = new NodeRegistry();
    registry.add(pathNamed, import.meta.url);
    registry.add(oddRoles, import.meta.url);
    server = await startTestServer({ registry });
  });
  after(() => server.stop());

  test('a parameter named like a path but without a role is not treated as a file', async () => {
    const res = await server.api('POST', '/api/validate', { graph: single('PathNamed', { path: '/etc/shadow', outputPath: '../../x.mp4', modelFile: '/root/m.onnx' }) });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.problems, [], JSON.stringify(res.body.problems));
    assert.equal(res.body.valid, true);
  });

  test('a parameter with a role but an odd name is confined', async () => {
    for (const [param, outside] of [['zebra', '/etc/shadow'], ['q', '../../x.mp4'], ['w', '/root/m.onnx']] as const) {
      const res = await server.api('POST', '/api/validate', { graph: single('OddRoles', { [param]: outside }) });
      assert.equal(res.status, 200);
      const mine = res.body.problems.filter((p: { field?: string }) => p.field === param);
      assert.deepEqual(mine.map((p: { code: string }) => p.code), ['FF_PATH_UNSAFE'], `${param} = ${outside}: ${JSON.stringify(res.body.problems)}`);
    }
    // Inside the data folder, the roles' own checks apply: the input file is missing.
    const inside = await server.api('POST', '/api/validate', { graph: single('OddRoles', { zebra: 'nothing-here.mp4' }) });
    assert.ok(inside.body.problems.some((p: { code: string; field: string }) => p.code === 'FF_MEDIA_MISSING' && p.field === 'zebra'), JSON.stringify(inside.body.problems));
  });

  test('a run of the odd-named node with a file outside is refused before it is queued', async () => {
    const res = await server.api('POST', '/api/runs', { graph: single('OddRoles', { q: '/tmp/elsewhere.mp4' }) });
    assert.equal(res.status, 422);
    assert.ok(res.body.error.problems.some((p: { code: string; field: string }) => p.code === 'FF_PATH_UNSAFE' && p.field === 'q'));
    assert.equal((await server.api('GET', '/api/runs')).body.runs.length, 0);
  });
});
