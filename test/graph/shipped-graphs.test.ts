import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { loadNodeRegistry } from '../../src/node-api/registry.js';
import { loadGraphFile } from '../../src/graph/load.js';
import { prepareGraph } from '../../src/run/prepare-graph.js';
import { graphJsonSchema } from '../../src/graph/graph-json-schema.js';

const files = readdirSync('graphs').filter((f) => f.endsWith('.json') && f !== 'graph.schema.json');

test('graphs/graph.schema.json is current (run `framefuse schema` after changing a node)', async () => {
  const expected = `${JSON.stringify(graphJsonSchema(await loadNodeRegistry({ builtins: true })), null, 2)}\n`;
  assert.equal(readFileSync('graphs/graph.schema.json', 'utf8'), expected);
});

test('every shipped graph references the schema and validates; only models to pull may be missing', async () => {
  assert.ok(files.length > 0);
  const registry = await loadNodeRegistry();
  for (const file of files) {
    const loaded = await loadGraphFile(`graphs/${file}`);
    assert.deepEqual(loaded.problems, [], file);
    assert.equal(loaded.document!.$schema, './graph.schema.json', file);
    // Graphs of the face-swap family need downloads this machine cannot make: those, and
    // only those, may be reported, each with the command that fetches the model.
    const checked = await prepareGraph(loaded.document!, registry, { providers: ['cpu'] });
    for (const p of checked.problems) {
      assert.equal(p.code, 'FF_MODEL_MISSING', `${file}: ${p.code} ${p.node}.${p.field}: ${p.message}`);
      assert.match(p.message, /framefuse models pull \S+/, file);
    }
    const planned = await prepareGraph(loaded.document!, registry, { providers: ['cpu'], checks: false });
    assert.deepEqual(planned.problems, [], file);
    assert.ok(planned.plan!.stages.length >= 2, file);
  }
});

test('faceswap.json plans the Swapper and Enhancer as one composed stage after the detector', async () => {
  const loaded = await loadGraphFile('graphs/faceswap.json');
  const { plan } = await prepareGraph(loaded.document!, await loadNodeRegistry(), { providers: ['cpu'], checks: false });
  const composed = plan!.stages.find((s) => s.composedBy === 'face-crop-chain');
  assert.ok(composed, JSON.stringify(plan!.stages.map((s) => s.nodes)));
  assert.deepEqual(composed.nodes.map((id) => loaded.document!.nodes.find((n) => n.id === id)!.type), ['Swapper', 'Enhancer']);
  assert.ok(composed.batchSize > 1, 'the swap runs on batches');
});
