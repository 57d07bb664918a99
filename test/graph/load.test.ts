import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGraphText, parseGraphJson, serializeGraph } from '../../src/model/parse-document.js';
import { migrateDocument, type Migration } from '../../src/model/migrations.js';
import { locateJsonError } from '../../src/model/json-locate.js';
import { applyOverrides, parseOverride } from '../../src/graph/overrides.js';

const GOOD = `{
  "$schema": "./graph.schema.json",
  "schemaVersion": 1,
  "name": "demo",
  "nodes": [
    { "id": "src", "type": "TestSource", "version": 1, "params": { "frames": 3 }, "position": { "x": 10, "y": 20, "zoomHint": 2 }, "color": "red" }
  ],
  "edges": [],
  "metadata": { "author": "me" },
  "editor": { "viewport": { "x": 1, "y": 2, "zoom": 0.5 } }
}
`;

describe('loading a graph document', () => {
  test('a syntax error gives line and column', () => {
    // Arrange: a missing comma on line 3
    const text = '{\n  "schemaVersion": 1,\n  "name": "x"\n  "nodes": []\n}';
    // Act
    const result = parseGraphText(text);
    // Assert
    assert.equal(result.document, null);
    assert.equal(result.problems[0]!.code, 'FF_JSON_SYNTAX');
    assert.match(result.problems[0]!.message, /^line 4, column 3: expected ',' or '}'/);
  });

  test('locates trailing commas, bad strings and truncation', () => {
    assert.deepEqual(pick(locateJsonError('[1, 2,]')), { line: 1, column: 7 });
    assert.deepEqual(pick(locateJsonError('{"a": "b\nc"}')), { line: 1, column: 9 });
    assert.deepEqual(pick(locateJsonError('{"a": [1,\n 2')), { line: 2, column: 3 });
    assert.equal(locateJsonError('{"a": [1, 2]}'), null);
  });

  test('schema problems name the node and the field', () => {
    const result = parseGraphJson({ schemaVersion: 1, nodes: [{ id: 'a', type: 'X', params: 3 }], edges: [{ from: { node: 'a' } }] });
    const codes = result.problems.map((p) => [p.code, p.node ?? null, p.field ?? null]);
    assert.deepEqual(codes, [
      ['FF_SCHEMA', 'a', 'params'],
      ['FF_SCHEMA', null, 'edges.0.from.port'],
      ['FF_SCHEMA', null, 'edges.0.to'],
    ]);
  });

  test('load then save gives the same document, twice, with unknown keys kept', () => {
    const once = parseGraphText(GOOD);
    assert.deepEqual(once.problems, []);
    const savedOnce = serializeGraph(once.document!);
    const savedTwice = serializeGraph(parseGraphText(savedOnce).document!);
    assert.equal(savedTwice, savedOnce);
    const saved = JSON.parse(savedOnce);
    assert.deepEqual(saved.editor, { viewport: { x: 1, y: 2, zoom: 0.5 } });
    assert.equal(saved.nodes[0].color, 'red');
    assert.equal(saved.nodes[0].position.zoomHint, 2);
    assert.deepEqual(saved.metadata, { author: 'me' });
    assert.notDeepEqual(saved.nodes, []);
  });

  test('a document newer than this build is refused, not guessed at', () => {
    const result = parseGraphJson({ schemaVersion: 99, nodes: [] });
    assert.equal(result.problems[0]!.code, 'FF_SCHEMA_TOO_NEW');
    assert.match(result.problems[0]!.message, /format 99/);
  });
});

describe('migrations', () => {
  // v1 stored edges as "a.out -> b.in" strings; v2 renamed "name" to "title"; v3 is current.
  const steps: Migration[] = [
    {
      from: 1,
      describe: 'edges become objects',
      up: (doc) => ({
        ...doc,
        edges: (doc.edges as string[]).map((e) => {
          const [from, to] = e.split(' -> ').map((s) => s.split('.'));
          return { from: { node: from![0], port: from![1] }, to: { node: to![0], port: to![1] } };
        }),
      }),
    },
    { from: 2, describe: 'name becomes title', up: ({ name, ...doc }) => ({ ...doc, title: name }) },
  ];

  test('applies each step in order and records them', () => {
    const input = { schemaVersion: 1, name: 'old', nodes: [], edges: ['a.frames -> b.frames'] };
    const frozen = structuredClone(input);
    const result = migrateDocument(input, steps, 3);
    assert.ok(result.ok);
    const { document, applied } = result;
    assert.deepEqual(applied, ['edges become objects', 'name becomes title']);
    assert.deepEqual(document, {
      schemaVersion: 3,
      title: 'old',
      nodes: [],
      edges: [{ from: { node: 'a', port: 'frames' }, to: { node: 'b', port: 'frames' } }],
    });
    assert.deepEqual(input, frozen, 'the input is not mutated');
  });

  test('starts from the version the document says', () => {
    const result = migrateDocument({ schemaVersion: 2, name: 'x' }, steps, 3);
    assert.deepEqual(result.ok && result.applied, ['name becomes title']);
  });

  test('a gap in the chain is a problem on schemaVersion, not a throw', () => {
    const result = migrateDocument({ schemaVersion: 1 }, [steps[1]!], 3);
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && [result.problem.code, result.problem.field], ['FF_SCHEMA', 'schemaVersion']);
    assert.match(!result.ok ? result.problem.message : '', /no migration from graph format 1/);
  });
});

describe('--set overrides', () => {
  test('parses JSON values and strings, sets nested params, leaves the input alone', () => {
    const doc = parseGraphText(GOOD).document!;
    const out = applyOverrides(doc, ['src.frames=12', 'src.path=in.mp4', 'src.size.w=3', 'src.flag=true'].map(parseOverride));
    assert.deepEqual(out.nodes[0]!.params, { frames: 12, path: 'in.mp4', size: { w: 3 }, flag: true });
    assert.deepEqual(doc.nodes[0]!.params, { frames: 3 });
  });

  test('an unknown node or bad syntax is a user error with a hint', () => {
    const doc = parseGraphText(GOOD).document!;
    assert.throws(() => applyOverrides(doc, [parseOverride('sr.frames=1')]), /no node "sr" \(did you mean "src"\?\)/);
    assert.throws(() => parseOverride('frames=1'), /--set <node>.<param>=<value>/);
  });
});

function pick(loc: { line: number; column: number } | null) {
  return loc && { line: loc.line, column: loc.column };
}
