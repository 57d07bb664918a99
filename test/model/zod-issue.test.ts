/** Problems read as words, not zod's text: a document with wrong and missing fields (src/model/zod-issue.ts through parseGraphJson). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { parseGraphJson } from '../../src/model/parse-document.js';
import { describeZodIssue } from '../../src/model/zod-issue.js';

test('a malformed document is described without zod wording', () => {
  const { problems } = parseGraphJson({ schemaVersion: 1, name: 'x', nodes: [{ id: 'a', type: 'T', params: 5 }], edges: [{ from: { node: 'a' } }] });
  assert.deepEqual(problems.map((p) => p.message), ['nodes.0.params must be an object, not a number', 'edges.0.from.port is missing', 'edges.0.to is missing']);
  for (const p of problems) assert.doesNotMatch(p.message, /Invalid input|received|expected/);
});

test('bounds on texts and lists are said in characters and items; empty is "must not be empty"', () => {
  const said = (schema: z.ZodType, value: unknown) => {
    const parsed = schema.safeParse(value);
    assert.equal(parsed.success, false);
    return describeZodIssue(parsed.error!.issues[0]!);
  };
  assert.equal(said(z.string().max(5), 'abcdefg'), 'must be at most 5 characters long');
  assert.equal(said(z.string().min(3), 'ab'), 'must be at least 3 characters long');
  assert.equal(said(z.string().min(1), ''), 'must not be empty');
  assert.equal(said(z.array(z.number()).length(4), [1, 2]), 'must have exactly 4 items');
  assert.equal(said(z.array(z.number()).max(1), [1, 2]), 'must have at most 1 item');
  assert.equal(said(z.number().max(255), 300), 'must be at most 255');
  assert.equal(said(z.number().gt(0), 0), 'must be more than 0');
});
