/**
 * Typed graph edits (src/model/graph-edits.ts): each edit applied then its inverse gives
 * the original document back, exactly (node and edge order, unknown keys included); the
 * input is never mutated; an edit that does not fit is refused with a stable code; and a
 * seeded fuzz of random edit sequences undoes to the start (seeds that once failed go in
 * PINNED_SEEDS).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdit, applyEdits, GraphEditError, zGraphEdit, type GraphEdit } from '../../src/model/graph-edits.js';
import { zGraphDocument, type GraphDocument } from '../../src/model/document.js';
import { seededRandom } from '../../src/onnx/random-feeds.js';

/**
 *   src ──frames──▶ blur ──frames──▶ enc
 *    └────audio──────────────────────▶ enc
 */
function sample(): GraphDocument {
  return zGraphDocument.parse({
    schemaVersion: 1,
    name: 'sample',
    nodes: [
      { id: 'src', type: 'Decoder', params: { path: 'in.mp4' }, position: { x: 0, y: 0, pinned: true } },
      { id: 'blur', type: 'Anonymizer', params: { sigma: 4 }, position: { x: 200, y: 0 }, note: 'kept' },
      { id: 'enc', type: 'Encoder', params: { path: 'out.mp4' } },
    ],
    edges: [
      { from: { node: 'src', port: 'frames' }, to: { node: 'blur', port: 'frames' }, color: 'red' },
      { from: { node: 'blur', port: 'frames' }, to: { node: 'enc', port: 'frames' } },
      { from: { node: 'src', port: 'audio' }, to: { node: 'enc', port: 'audio' } },
    ],
    metadata: { author: 'a' },
    editorOnly: { zoom: 2 },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Applies `edit` to a frozen document, then its inverse; asserts the round trip and returns the edited document. */
function roundTrip(doc: GraphDocument, edit: GraphEdit): GraphDocument {
  const before = structuredClone(doc);
  const { doc: after, inverse } = applyEdit(deepFreeze(doc), edit);
  assert.notDeepEqual(after, before, `${edit.type} changed nothing`);
  const back = applyEdit(after, inverse);
  assert.deepEqual(back.doc, before, `${edit.type} then its inverse`);
  // Redo: the inverse of the inverse takes it forward again.
  assert.deepEqual(applyEdit(back.doc, back.inverse).doc, after, `${edit.type} redone`);
  // Edits and their inverses are plain messages: they survive JSON and the schema.
  assert.deepEqual(zGraphEdit.parse(JSON.parse(JSON.stringify(inverse))), JSON.parse(JSON.stringify(inverse)));
  return after;
}

const ref = (node: string, port: string) => ({ node, port });

describe('graph edits: apply then inverse gives the original', () => {
  test('addNode, at the end and at an index', () => {
    const after = roundTrip(sample(), { type: 'addNode', node: { id: 'det', type: 'Detector', version: 1, params: {} } });
    assert.equal(after.nodes.at(-1)!.id, 'det');
    assert.equal(roundTrip(sample(), { type: 'addNode', node: { id: 'det', type: 'Detector', version: 1, params: {} }, index: 1 }).nodes[1]!.id, 'det');
  });

  test('removeNode takes its edges along; undo puts node and edges back where they were', () => {
    const after = roundTrip(sample(), { type: 'removeNode', id: 'src' });
    assert.deepEqual(after.nodes.map((n) => n.id), ['blur', 'enc']);
    assert.deepEqual(after.edges.map((e) => `${e.from.node}->${e.to.node}`), ['blur->enc']);
    roundTrip(sample(), { type: 'removeNode', id: 'enc' });
  });

  test('moveNode keeps unknown keys of the old position on undo, and can remove a position', () => {
    assert.deepEqual(roundTrip(sample(), { type: 'moveNode', id: 'src', position: { x: 5, y: 6 } }).nodes[0]!.position, { x: 5, y: 6 });
    assert.equal(roundTrip(sample(), { type: 'moveNode', id: 'blur', position: null }).nodes[1]!.position, undefined);
    assert.deepEqual(roundTrip(sample(), { type: 'moveNode', id: 'enc', position: { x: 1, y: 2 } }).nodes[2]!.position, { x: 1, y: 2 });
  });

  test('renameNode renames the node and every edge end', () => {
    const after = roundTrip(sample(), { type: 'renameNode', id: 'src', to: 'decoder' });
    assert.equal(after.nodes[0]!.id, 'decoder');
    assert.deepEqual(after.edges.map((e) => e.from.node), ['decoder', 'blur', 'decoder']);
    assert.equal(after.edges[0]!['color'], 'red', 'unknown edge keys survive');
  });

  test('setParam sets, replaces and removes a parameter', () => {
    assert.equal(roundTrip(sample(), { type: 'setParam', id: 'blur', param: 'sigma', value: 9 }).nodes[1]!.params['sigma'], 9);
    assert.deepEqual(roundTrip(sample(), { type: 'setParam', id: 'blur', param: 'mode', value: { a: [1] } }).nodes[1]!.params, { sigma: 4, mode: { a: [1] } });
    assert.deepEqual(roundTrip(sample(), { type: 'setParam', id: 'blur', param: 'sigma' }).nodes[1]!.params, {});
  });

  test('connect and disconnect; disconnect keeps the edge and its place for undo', () => {
    const after = roundTrip(sample(), { type: 'connect', edge: { from: ref('src', 'frames'), to: ref('enc', 'extra') } });
    assert.equal(after.edges.length, 4);
    assert.equal(roundTrip(sample(), { type: 'disconnect', from: ref('src', 'frames'), to: ref('blur', 'frames') }).edges.length, 2);
  });

  test('setField sets and removes document fields', () => {
    assert.equal(roundTrip(sample(), { type: 'setField', field: 'description', value: 'blurs faces' }).description, 'blurs faces');
    assert.deepEqual(roundTrip(sample(), { type: 'setField', field: 'providers', value: ['cpu'] }).providers, ['cpu']);
    assert.equal('description' in roundTrip(roundTrip(sample(), { type: 'setField', field: 'description', value: 'x' }), { type: 'setField', field: 'description' }), false);
    assert.deepEqual(roundTrip(sample(), { type: 'setField', field: 'metadata', value: {} }).metadata, {});
  });

  test('setNodeField bypasses, collapses and colours a node, and removes the flag again', () => {
    assert.equal(roundTrip(sample(), { type: 'setNodeField', id: 'blur', field: 'bypass', value: true }).nodes[1]!.bypass, true);
    assert.equal(roundTrip(sample(), { type: 'setNodeField', id: 'src', field: 'collapsed', value: true }).nodes[0]!.collapsed, true);
    const coloured = roundTrip(sample(), { type: 'setNodeField', id: 'enc', field: 'color', value: '#aa3355' });
    assert.equal(coloured.nodes[2]!.color, '#aa3355');
    assert.equal('color' in roundTrip(coloured, { type: 'setNodeField', id: 'enc', field: 'color' }).nodes[2]!, false);
    assert.equal(roundTrip(sample(), { type: 'setNodeField', id: 'blur', field: 'bypass', value: true }).nodes[1]!['note'], 'kept', 'unknown node keys survive');
  });

  test('groups and notes are document fields: set, replaced and removed as one step', () => {
    const group = { id: 'g1', title: 'Faces', color: '#335577', rect: { x: 0, y: 0, width: 400, height: 200 } };
    const withGroup = roundTrip(sample(), { type: 'setField', field: 'groups', value: [group] });
    assert.deepEqual(withGroup.groups, [group]);
    assert.ok(zGraphDocument.safeParse(withGroup).success);
    const note = { id: 'n1', text: 'swap the faces here', position: { x: 10, y: 300 } };
    const withNote = roundTrip(withGroup, { type: 'setField', field: 'notes', value: [note] });
    assert.deepEqual(withNote.notes, [note]);
    assert.equal('groups' in roundTrip(withNote, { type: 'setField', field: 'groups' }), false);
  });

  test('replaceDocument swaps the whole document, and its inverse brings the old one back', () => {
    const other = zGraphDocument.parse({ schemaVersion: 1, name: 'typed', nodes: [{ id: 'only', type: 'Decoder', params: {} }] });
    assert.deepEqual(roundTrip(sample(), { type: 'replaceDocument', doc: other }), other);
  });

  test('a batch is one step: a paste of two connected nodes undoes at once', () => {
    const paste: GraphEdit = {
      type: 'batch',
      edits: [
        { type: 'addNode', node: { id: 'a', type: 'Detector', version: 1, params: {} } },
        { type: 'addNode', node: { id: 'b', type: 'Landmarker', version: 1, params: {} } },
        { type: 'connect', edge: { from: ref('a', 'faces'), to: ref('b', 'faces') } },
        { type: 'connect', edge: { from: ref('src', 'frames'), to: ref('a', 'frames') } },
      ],
    };
    const after = roundTrip(sample(), paste);
    assert.equal(after.nodes.length, 5);
    assert.equal(after.edges.length, 5);
    assert.deepEqual(applyEdits(sample(), (paste as { edits: GraphEdit[] }).edits).doc, after);
  });
});

describe('graph edits: refused when they do not fit', () => {
  const cases: [GraphEdit, GraphEditError['code']][] = [
    [{ type: 'addNode', node: { id: 'src', type: 'Decoder', version: 1, params: {} } }, 'FF_EDIT_ID_TAKEN'],
    [{ type: 'addNode', node: { id: '1bad', type: 'Decoder', version: 1, params: {} } }, 'FF_EDIT_BAD_ID'],
    [{ type: 'addNode', node: { id: 'x', type: 'Decoder', version: 1, params: {} }, index: 9 }, 'FF_EDIT_INDEX'],
    [{ type: 'removeNode', id: 'nope' }, 'FF_EDIT_NO_NODE'],
    [{ type: 'renameNode', id: 'src', to: 'enc' }, 'FF_EDIT_ID_TAKEN'],
    [{ type: 'renameNode', id: 'src', to: 'a.b' }, 'FF_EDIT_BAD_ID'],
    [{ type: 'setParam', id: 'nope', param: 'p', value: 1 }, 'FF_EDIT_NO_NODE'],
    [{ type: 'connect', edge: { from: ref('src', 'frames'), to: ref('blur', 'frames') } }, 'FF_EDIT_EDGE_EXISTS'],
    [{ type: 'connect', edge: { from: ref('ghost', 'frames'), to: ref('blur', 'frames') } }, 'FF_EDIT_NO_NODE'],
    [{ type: 'disconnect', from: ref('blur', 'frames'), to: ref('src', 'frames') }, 'FF_EDIT_NO_EDGE'],
    [{ type: 'setField', field: 'name' }, 'FF_EDIT_REQUIRED'],
    [{ type: 'setNodeField', id: 'nope', field: 'bypass', value: true }, 'FF_EDIT_NO_NODE'],
    // A batch that fails half-way changes nothing: the document given is never touched.
    [{ type: 'batch', edits: [{ type: 'removeNode', id: 'src' }, { type: 'removeNode', id: 'src' }] }, 'FF_EDIT_NO_NODE'],
  ];
  for (const [edit, code] of cases) {
    test(`${edit.type} → ${code}`, () => {
      const doc = deepFreeze(sample());
      assert.throws(() => applyEdit(doc, edit), (e) => e instanceof GraphEditError && e.code === code && e.message.length > 10);
      assert.deepEqual(doc, sample());
    });
  }

  test('the schema refuses a malformed edit message', () => {
    assert.equal(zGraphEdit.safeParse({ type: 'setNodeField', id: 'src', field: 'params', value: {} }).success, false);
    assert.equal(zGraphEdit.safeParse({ type: 'teleport', id: 'src' }).success, false);
    assert.equal(zGraphEdit.safeParse({ type: 'moveNode', id: 'src', position: { x: 'left', y: 0 } }).success, false);
    assert.equal(zGraphEdit.safeParse({ type: 'batch', edits: [{ type: 'removeNode' }] }).success, false);
  });
});

describe('graph edits: seeded random sequences undo to the start', () => {
  function randomEdit(doc: GraphDocument, next: () => number, serial: number): GraphEdit {
    const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(next() * list.length)];
    const node = pick(doc.nodes)?.id ?? 'none';
    const other = pick(doc.nodes)?.id ?? 'none';
    const port = pick(['frames', 'faces', 'audio'])!;
    const edge = pick(doc.edges);
    switch (Math.floor(next() * 10)) {
      case 0: return { type: 'addNode', node: { id: `n${serial}`, type: 'Detector', version: 1, params: {} }, index: Math.floor(next() * (doc.nodes.length + 1)) };
      case 1: return { type: 'removeNode', id: node };
      case 2: return { type: 'moveNode', id: node, position: next() < 0.2 ? null : { x: Math.round(next() * 500), y: Math.round(next() * 500) } };
      case 3: return { type: 'renameNode', id: node, to: `r${serial}` };
      case 4: return next() < 0.3 ? { type: 'setParam', id: node, param: 'p' } : { type: 'setParam', id: node, param: pick(['p', 'q'])!, value: Math.round(next() * 9) };
      case 5: return { type: 'connect', edge: { from: { node, port }, to: { node: other, port } } };
      case 6: return edge ? { type: 'disconnect', from: edge.from, to: edge.to } : { type: 'removeNode', id: node };
      case 7: {
        const field = pick(['name', 'description', 'providers'] as const)!;
        return next() < 0.3 ? { type: 'setField', field } : { type: 'setField', field, value: field === 'providers' ? ['cpu'] : `t${serial}` };
      }
      case 8: {
        const field = pick(['bypass', 'collapsed', 'color'] as const)!;
        return next() < 0.3 ? { type: 'setNodeField', id: node, field } : { type: 'setNodeField', id: node, field, value: field === 'color' ? '#123456' : next() < 0.5 };
      }
      default: return { type: 'batch', edits: [randomEdit(doc, next, serial * 10 + 1), { type: 'moveNode', id: node, position: { x: 1, y: 1 } }] };
    }
  }

  const PINNED_SEEDS: number[] = [];
  for (const seed of [...PINNED_SEEDS, 1, 2, 3, 42, 1234, 99999]) {
    test(`seed ${seed}: 200 random edits, then every inverse in reverse order`, () => {
      const next = seededRandom(seed);
      const start = sample();
      let doc = start;
      const undo: GraphEdit[] = [];
      let applied = 0;
      for (let i = 0; i < 200; i++) {
        const edit = randomEdit(doc, next, i);
        try {
          const result = applyEdit(deepFreeze(doc), edit);
          doc = result.doc;
          undo.push(result.inverse);
          applied++;
          assert.ok(zGraphDocument.safeParse(doc).success, `edit ${i} (${edit.type}) left an invalid document`);
        } catch (error) {
          if (!(error instanceof GraphEditError)) throw error;
        }
      }
      assert.ok(applied > 100, `only ${applied} of 200 random edits applied: the generator is too often wrong`);
      for (const inverse of undo.reverse()) doc = applyEdit(doc, inverse).doc;
      assert.deepEqual(doc, sample());
    });
  }
});
