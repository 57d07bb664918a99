/** BlazeFace's SSD anchors, generated as MediaPipe does, against counts and positions worked out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blazeFaceAnchors } from '../../src/faces/blazeface/config.js';
import { generateSsdAnchors } from '../../src/faces/blazeface/anchors.js';

test('short range: 16x16 cells x 2 anchors (stride 8) then 8x8 x 6 (three stride-16 layers merged) = 896', () => {
  const anchors = blazeFaceAnchors('short');
  assert.equal(anchors.length, 16 * 16 * 2 + 8 * 8 * 6);
  // First cell of the stride-8 map: centre (0.5/16, 0.5/16), twice (aspect 1 and the interpolated one).
  assert.deepEqual(anchors[0], { xCenter: 0.03125, yCenter: 0.03125, w: 1, h: 1 });
  assert.deepEqual(anchors[1], anchors[0]);
  // Second cell moves along x first.
  assert.deepEqual(anchors[2], { xCenter: 1.5 / 16, yCenter: 0.03125, w: 1, h: 1 });
  // First anchor of the stride-16 map, then its 6 copies, then the next cell.
  assert.deepEqual(anchors[512], { xCenter: 0.0625, yCenter: 0.0625, w: 1, h: 1 });
  assert.deepEqual(anchors[517], anchors[512]);
  assert.deepEqual(anchors[518], { xCenter: 0.1875, yCenter: 0.0625, w: 1, h: 1 });
  assert.deepEqual(anchors[895], { xCenter: 7.5 / 8, yCenter: 7.5 / 8, w: 1, h: 1 });
});

test('full range: one stride-4 layer without the interpolated anchor: 48x48 = 2304', () => {
  const anchors = blazeFaceAnchors('full');
  assert.equal(anchors.length, 2304);
  assert.deepEqual(anchors[0], { xCenter: 0.5 / 48, yCenter: 0.5 / 48, w: 1, h: 1 });
  assert.deepEqual(anchors[48], { xCenter: 0.5 / 48, yCenter: 1.5 / 48, w: 1, h: 1 });
});

test('without a fixed size, anchors take the layer scales: min + (max - min) * i / (n - 1), aspect ratios as sqrt', () => {
  // Two layers of stride 32 on 64x64: scale 0.2 for layer 0 and 0.8 for layer 1 (merged, same stride);
  // aspect 4 halves the height and doubles the width; the interpolated anchor of the last layer uses sqrt(0.8 * 1).
  const anchors = generateSsdAnchors({
    inputWidth: 64, inputHeight: 64, numLayers: 2, minScale: 0.2, maxScale: 0.8, strides: [32, 32], aspectRatios: [4],
    interpolatedScaleAspectRatio: 1, anchorOffsetX: 0.5, anchorOffsetY: 0.5, fixedAnchorSize: false,
  });
  assert.equal(anchors.length, 2 * 2 * 4);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  const [a0, a1, a2, a3] = anchors;
  close(a0!.w, 0.4); close(a0!.h, 0.1);
  close(a1!.w, Math.sqrt(0.2 * 0.8)); close(a1!.h, Math.sqrt(0.2 * 0.8));
  close(a2!.w, 1.6); close(a2!.h, 0.4);
  close(a3!.w, Math.sqrt(0.8)); close(a3!.h, Math.sqrt(0.8));
  close(a0!.xCenter, 0.25);
});
