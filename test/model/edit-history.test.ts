/**
 * Undo/redo over inverse edits (src/model/edit-history.ts): one action is one step, however
 * many edges it touches; a run of edits with one merge key is one step; a new action clears
 * redo; the limit drops the oldest.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRecorded, emptyEditHistory, HISTORY_LIMIT, redoEdit, undoEdit } from '../../src/model/edit-history.js';
import { zGraphDocument, type GraphDocument } from '../../src/model/document.js';

/**   src ──frames──▶ blur ──frames──▶ enc */
function sample(): GraphDocument {
  return zGraphDocument.parse({
    schemaVersion: 1,
    name: 'sample',
    nodes: [
      { id: 'src', type: 'Decoder', params: { path: 'in.mp4' } },
      { id: 'blur', type: 'Anonymizer', params: { sigma: 4 } },
      { id: 'enc', type: 'Encoder', params: {} },
    ],
    edges: [
      { from: { node: 'src', port: 'frames' }, to: { node: 'blur', port: 'frames' } },
      { from: { node: 'blur', port: 'frames' }, to: { node: 'enc', port: 'frames' } },
    ],
    metadata: {},
  });
}

describe('edit history', () => {
  test('deleting a node with its edges is undone and redone in one step each', () => {
    const start = sample();
    // arrange: remove the middle node (both its edges go with it)
    const removed = applyRecorded(start, emptyEditHistory(), { type: 'removeNode', id: 'blur' });
    assert.equal(removed.doc.nodes.length, 2);
    assert.equal(removed.doc.edges.length, 0);
    // act: one undo
    const undone = undoEdit(removed.doc, removed.history)!;
    // assert: node and both edges back, exactly
    assert.deepEqual(undone.doc, start);
    assert.equal(undone.history.undo.length, 0);
    // one redo takes all of it away again
    const redone = redoEdit(undone.doc, undone.history)!;
    assert.deepEqual(redone.doc, removed.doc);
    assert.equal(redoEdit(redone.doc, redone.history), null);
    assert.deepEqual(undoEdit(redone.doc, redone.history)!.doc, start);
  });

  test('an edit that changes nothing (a field left as it was) is no step, and keeps what redo can do', () => {
    const start = sample();
    const changed = applyRecorded(start, emptyEditHistory(), { type: 'setParam', id: 'blur', param: 'sigma', value: 9 });
    const undone = undoEdit(changed.doc, changed.history)!;
    const same = applyRecorded(undone.doc, undone.history, { type: 'setParam', id: 'blur', param: 'sigma', value: 4 });
    assert.equal(same.doc, undone.doc, 'the same document, not a copy');
    assert.equal(same.history, undone.history);
    assert.equal(redoEdit(same.doc, same.history)!.doc.nodes[1]!.params['sigma'], 9, 'redo still redoes');
  });

  test('edits with one merge key are one step back to the first value; another key is a new step', () => {
    let step = { doc: sample(), history: emptyEditHistory() };
    for (const sigma of [5, 6, 7]) step = applyRecorded(step.doc, step.history, { type: 'setParam', id: 'blur', param: 'sigma', value: sigma }, 'param:blur:sigma');
    step = applyRecorded(step.doc, step.history, { type: 'setParam', id: 'src', param: 'path', value: 'b.mp4' }, 'param:src:path');
    assert.equal(step.history.undo.length, 2);
    step = undoEdit(step.doc, step.history)!;
    assert.equal(step.doc.nodes[0]!.params['path'], 'in.mp4');
    assert.equal(step.doc.nodes[1]!.params['sigma'], 7);
    step = undoEdit(step.doc, step.history)!;
    assert.equal(step.doc.nodes[1]!.params['sigma'], 4);
    assert.equal(undoEdit(step.doc, step.history), null);
  });

  test('a new action clears redo; a failed edit changes neither document nor history', () => {
    const start = sample();
    const a = applyRecorded(start, emptyEditHistory(), { type: 'moveNode', id: 'src', position: { x: 5, y: 5 } });
    const u = undoEdit(a.doc, a.history)!;
    assert.equal(u.history.redo.length, 1);
    const b = applyRecorded(u.doc, u.history, { type: 'setField', field: 'name', value: 'other' });
    assert.equal(b.history.redo.length, 0);
    assert.throws(() => applyRecorded(b.doc, b.history, { type: 'removeNode', id: 'nope' }), /no node "nope"/);
    assert.equal(b.doc.name, 'other');
  });

  test('the oldest steps fall off past the limit', () => {
    let step = { doc: sample(), history: emptyEditHistory() };
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) step = applyRecorded(step.doc, step.history, { type: 'moveNode', id: 'enc', position: { x: i, y: 0 } });
    assert.equal(step.history.undo.length, HISTORY_LIMIT);
  });
});
