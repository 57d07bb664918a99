/** BlazeFace decoding and MediaPipe's weighted NMS on values worked out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBlazeFace } from '../../src/faces/blazeface/decode.js';
import { weightedNms } from '../../src/faces/detect/nms.js';
import type { Anchor } from '../../src/faces/blazeface/anchors.js';

const anchors: Anchor[] = [
  { xCenter: 0.25, yCenter: 0.5, w: 1, h: 1 },
  { xCenter: 0.75, yCenter: 0.5, w: 1, h: 1 },
];

test('decodes centre, size and keypoints relative to the anchor, in units of the input (scale 128)', () => {
  const regressors = new Float32Array(32);
  // Anchor 0: centre moved by (+12.8, -6.4) px = (+0.1, -0.05); size 64 x 32 px = 0.5 x 0.25; keypoint 0 at +(0, 0); keypoint 5 at (-32, +32) px.
  regressors.set([12.8, -6.4, 64, 32], 0);
  regressors.set([-32, 32], 14);
  const scores = new Float32Array([Math.log(0.9 / 0.1), -3]); // sigmoid -> 0.9, and 0.047 (below 0.5)
  const [d, ...rest] = decodeBlazeFace(regressors, scores, anchors, { decodeScale: 128, scoreClip: 100, scoreThreshold: 0.5 });
  assert.equal(rest.length, 0);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
  close(d!.score, 0.9);
  close(d!.box.x1, 0.35 - 0.25);
  close(d!.box.x2, 0.35 + 0.25);
  close(d!.box.y1, 0.45 - 0.125);
  close(d!.box.y2, 0.45 + 0.125);
  close(d!.points[0]!.x, 0.25);
  close(d!.points[5]!.x, 0.25 - 0.25);
  close(d!.points[5]!.y, 0.75);
  assert.equal(d!.points.length, 6);
});

test('scores are clipped to +-scoreClip before the sigmoid; the image index selects the rows', () => {
  const regressors = new Float32Array(64);
  const scores = new Float32Array([-5, -5, 1e9, -5]);
  const found = decodeBlazeFace(regressors, scores, anchors, { decodeScale: 128, scoreClip: 100, scoreThreshold: 0.5 }, 1);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.score, 1 / (1 + Math.exp(-100)));
  assert.equal(found[0]!.box.x1, 0.25); // anchor 0 of image 1, zero-size box at its centre
});

test('weighted NMS averages an overlapping group by score and keeps the best score; a distant box stays apart', () => {
  const a = { box: { x1: 0, y1: 0, x2: 10, y2: 10 }, score: 0.9, points: [{ x: 1, y: 1 }] };
  const b = { box: { x1: 1, y1: 1, x2: 11, y2: 11 }, score: 0.6, points: [{ x: 2, y: 3 }] }; // IoU 81/119 = 0.68 with a
  const c = { box: { x1: 50, y1: 50, x2: 60, y2: 60 }, score: 0.7, points: [{ x: 55, y: 55 }] };
  const [first, second, ...rest] = weightedNms([b, c, a], 0.3);
  assert.equal(rest.length, 0);
  // (0.9 * 0 + 0.6 * 1) / 1.5 = 0.4; (0.9 * 10 + 0.6 * 11) / 1.5 = 10.4; point x (0.9 + 1.2) / 1.5 = 1.4, y (0.9 + 1.8) / 1.5 = 1.8.
  const rounded = (v: number) => Math.round(v * 1e9) / 1e9;
  assert.deepEqual(
    { box: Object.fromEntries(Object.entries(first!.box).map(([k, v]) => [k, rounded(v)])), score: first!.score, points: first!.points.map((p) => ({ x: rounded(p.x), y: rounded(p.y) })) },
    { box: { x1: 0.4, y1: 0.4, x2: 10.4, y2: 10.4 }, score: 0.9, points: [{ x: 1.4, y: 1.8 }] },
  );
  assert.deepEqual(second, c);
});
