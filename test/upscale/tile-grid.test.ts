/** Tile spans: windows of one length whose cores partition the side, with the overlap kept inside. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tileSpans } from '../../src/upscale/tile-grid.js';

test('a side shorter than a tile is one window', () => {
  assert.deepEqual(tileSpans(50, 64, 8), [{ windowStart: 0, windowLength: 50, coreStart: 0, coreEnd: 50 }]);
});

test('cores partition the side; windows keep the overlap except at image edges', () => {
  for (const [length, tile, overlap] of [[100, 40, 12], [641, 160, 12], [97, 32, 4], [161, 160, 12]] as const) {
    const spans = tileSpans(length, tile, overlap);
    assert.equal(spans[0]!.coreStart, 0);
    assert.equal(spans.at(-1)!.coreEnd, length);
    spans.forEach((s, i) => {
      if (i > 0) assert.equal(s.coreStart, spans[i - 1]!.coreEnd, 'contiguous cores');
      assert.equal(s.windowLength, tile, 'one window shape');
      assert.ok(s.windowStart >= 0 && s.windowStart + s.windowLength <= length);
      if (s.windowStart > 0) assert.ok(s.coreStart - s.windowStart >= overlap, 'context on the left');
      if (s.windowStart + s.windowLength < length) assert.ok(s.windowStart + s.windowLength - s.coreEnd >= overlap, 'context on the right');
    });
  }
  assert.throws(() => tileSpans(100, 24, 12), /no core/);
});
