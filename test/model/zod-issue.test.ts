/** Problems read as words, not zod's text: a document with wrong and missing fields (src/model/zod-issue.ts through parseGraphJson). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGraphJson } from '../../src/model/parse-document.js';

test('a malformed document is described without zod wording', () => {
  const { problems } = parseGraphJson({ schemaVersion: 1, name: 'x', nodes: [{ id: 'a', type: 'T', params: 5 }], edges: [{ from: { node: 'a' } }] });
  assert.deepEqual(problems.map((p) => p.message), ['nodes.0.params must be an object, not a number', 'edges.0.from.port is missing', 'edges.0.to is missing']);
  for (const p of problems) assert.doesNotMatch(p.message, /Invalid input|received|expected/);
});
