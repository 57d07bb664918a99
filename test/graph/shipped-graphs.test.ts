import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { loadNodeRegistry } from '../../src/nodes/registry.js';
import { loadGraphFile } from '../../src/graph/load.js';
import { prepareGraph } from '../../src/run/prepare-graph.js';
import { graphJsonSchema } from '../../src/graph/graph-json-schema.js';

const files = readdirSync('graphs').filter((f) => f.endsWith('.json') && f !== 'graph.schema.json');

test('graphs/graph.schema.json is current (run `framefuse schema` after changing a node)', async () => {
  const expected = `${JSON.stringify(graphJsonSchema(await loadNodeRegistry({ builtins: true })), null, 2)}\n`;
  assert.equal(readFileSync('graphs/graph.schema.json', 'utf8'), expected);
});

test('every shipped graph references the schema and validates, with its files present', async () => {
  assert.ok(files.length > 0);
  const registry = await loadNodeRegistry();
  for (const file of files) {
    const loaded = await loadGraphFile(`graphs/${file}`);
    assert.deepEqual(loaded.problems, [], file);
    assert.equal(loaded.document!.$schema, './graph.schema.json', file);
    const prepared = await prepareGraph(loaded.document!, registry, { providers: ['cpu'] });
    assert.deepEqual(prepared.problems, [], file);
    assert.ok(prepared.plan!.stages.length >= 2, file);
  }
});
