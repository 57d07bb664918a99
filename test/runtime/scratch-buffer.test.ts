import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ScratchBuffer, scratchFor } from '../../src/runtime/scratch-buffer.js';

describe('scratch buffer', () => {
  test('the same array comes back zeroed once released', () => {
    const scratch = new ScratchBuffer();
    const a = scratch.take(8);
    a.fill(5);
    scratch.release(a);
    const b = scratch.take(8);
    assert.equal(b, a);
    assert.ok(b.every((v) => v === 0), 'zeroed again');
  });

  test('a call while the buffer is in use gets a fresh array; a new length gets a new buffer', () => {
    const scratch = new ScratchBuffer();
    const a = scratch.take(4);
    const b = scratch.take(4);
    assert.notEqual(a, b);
    scratch.release(b); // not the shared one: changes nothing
    assert.notEqual(scratch.take(4), a);
    scratch.release(a);
    const c = scratch.take(6);
    assert.equal(c.length, 6);
  });

  test('one scratch buffer per owner', () => {
    const s1 = {};
    const s2 = {};
    assert.equal(scratchFor(s1), scratchFor(s1));
    assert.notEqual(scratchFor(s1), scratchFor(s2));
  });
});
