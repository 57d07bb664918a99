import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alignmentFor,
  applyAffine,
  boxMask,
  composeAffine,
  cropRegion,
  fitSimilarity,
  invertAffine,
  pasteBack,
  tensorToCrop,
  templatePoints,
  warpToCrop,
  warpToTensor,
  type Affine,
} from '../../src/faces/geometry/index.js';
import type { Frame } from '../../src/model/port-values.js';

function smoothFrame(width: number, height: number): Frame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = 128 + 100 * Math.sin(x / 17);
      data[i + 1] = 128 + 100 * Math.cos(y / 13);
      data[i + 2] = (x + y) % 256;
    }
  }
  return { width, height, data };
}

const close = (a: number, b: number, eps: number, what: string) => assert.ok(Math.abs(a - b) <= eps, `${what}: ${a} vs ${b}`);

describe('similarity fit', () => {
  test('recovers a known rotation, scale and translation exactly', () => {
    const angle = 0.3;
    const s = 1.7;
    const truth: Affine = [s * Math.cos(angle), -s * Math.sin(angle), 12, s * Math.sin(angle), s * Math.cos(angle), -5];
    const src = [{ x: 1, y: 2 }, { x: 40, y: 3 }, { x: 22, y: 30 }, { x: 5, y: 50 }, { x: 38, y: 49 }];
    const fitted = fitSimilarity(src, src.map((p) => applyAffine(truth, p)));
    fitted.forEach((v, i) => close(v, truth[i]!, 1e-9, `coefficient ${i}`));
  });

  test('is the least-squares answer for noisy points (residual not reducible by a nudge)', () => {
    const src = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 5, y: 8 }, { x: 2, y: 12 }, { x: 9, y: 12 }];
    const dst = [{ x: 1, y: 1 }, { x: 21, y: 0.5 }, { x: 11, y: 17 }, { x: 5, y: 25 }, { x: 19, y: 24 }];
    const m = fitSimilarity(src, dst);
    const cost = (t: Affine) => src.reduce((sum, p, i) => sum + (applyAffine(t, p).x - dst[i]!.x) ** 2 + (applyAffine(t, p).y - dst[i]!.y) ** 2, 0);
    const best = cost(m);
    for (const [da, db] of [[1e-3, 0], [-1e-3, 0], [0, 1e-3], [0, -1e-3]] as const) {
      const nudged: Affine = [m[0] + da, m[1] - db, m[2], m[3] + db, m[4] + da, m[5]];
      assert.ok(cost(nudged) > best);
    }
  });

  test('landmarks already on the template give the identity', () => {
    const m = alignmentFor(templatePoints('arcface_128', 128), 'arcface_128', 128);
    [1, 0, 0, 0, 1, 0].forEach((v, i) => close(m[i]!, v, 1e-9, `coefficient ${i}`));
  });

  test('inverse and composition round-trip', () => {
    const m: Affine = [0.8, -0.2, 30, 0.2, 0.8, -7];
    const id = composeAffine(invertAffine(m), m);
    [1, 0, 0, 0, 1, 0].forEach((v, i) => close(id[i]!, v, 1e-12, `coefficient ${i}`));
  });
});

describe('warp and paste-back', () => {
  const frame = smoothFrame(200, 160);
  // A face whose eyes are 40 px apart around (100, 80), a little rotated.
  const landmarks = templatePoints('arcface_128', 128).map((p) => applyAffine([0.5 * Math.cos(0.2), -0.5 * Math.sin(0.2), 60, 0.5 * Math.sin(0.2), 0.5 * Math.cos(0.2), 40], p));
  const m = alignmentFor(landmarks, 'arcface_128', 128);

  test('the crop samples the frame where the transform says', () => {
    const crop = warpToCrop(frame, m, 128);
    const inv = invertAffine(m);
    for (const [u, v] of [[64, 64], [10, 100], [120, 5]] as const) {
      const p = applyAffine(inv, { x: u, y: v });
      const fi = (Math.round(p.y) * frame.width + Math.round(p.x)) * 3;
      close(crop[(v * 128 + u) * 3]!, frame.data[fi]!, 6, `red at crop (${u},${v})`);
    }
  });

  test('warp then paste with a full mask gives the frame back inside the face region, and touches nothing outside it', () => {
    const crop = warpToCrop(frame, m, 128);
    const target = { width: frame.width, height: frame.height, data: frame.data.slice() };
    pasteBack(target, crop, 128, m, new Float32Array(128 * 128).fill(1));
    const region = cropRegion(m, 128, frame.width, frame.height);
    let maxInside = 0;
    let changedOutside = 0;
    for (let y = 0; y < frame.height; y++) {
      for (let x = 0; x < frame.width; x++) {
        const i = (y * frame.width + x) * 3;
        const diff = Math.abs(target.data[i]! - frame.data[i]!);
        const c = applyAffine(m, { x, y });
        const inside = c.x >= 2 && c.y >= 2 && c.x <= 125 && c.y <= 125;
        if (inside) maxInside = Math.max(maxInside, diff);
        const inRegion = x >= region.x0 && x < region.x1 && y >= region.y0 && y < region.y1;
        if (!inRegion && diff > 0) changedOutside++;
      }
    }
    assert.ok(maxInside <= 4, `round trip error ${maxInside}`);
    assert.equal(changedOutside, 0);
  });

  test('a zero mask changes nothing', () => {
    const target = { width: frame.width, height: frame.height, data: frame.data.slice() };
    pasteBack(target, new Uint8Array(128 * 128 * 3), 128, m, new Float32Array(128 * 128));
    assert.deepEqual(target.data, frame.data);
  });

  test('tensor warp matches the RGB crop, with BGR order and normalization', () => {
    const crop = warpToCrop(frame, m, 64);
    const tensor = new Float32Array(2 * 3 * 64 * 64);
    const norm = { order: 'bgr', mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] } as const;
    warpToTensor(frame, m, 64, tensor, 3 * 64 * 64, norm);
    const back = tensorToCrop(tensor, 1, 64, norm);
    let max = 0;
    for (let i = 0; i < crop.length; i++) max = Math.max(max, Math.abs(back[i]! - crop[i]!));
    assert.ok(max <= 1, `max difference ${max}`);
    assert.equal(tensor[0], 0, 'item 0 was left alone');
    // Blue comes first in BGR: channel 0 of item 1 is the crop's blue.
    close(tensor[3 * 64 * 64]!, crop[2]! / 127.5 - 1, 0.01, 'blue first');
  });

  test('tensorToCrop clamps values outside the range instead of wrapping', () => {
    const tensor = new Float32Array([1.5, -0.2, 0.5]);
    assert.deepEqual([...tensorToCrop(tensor, 0, 1)], [255, 0, 128]);
  });
});

describe('box mask', () => {
  test('is one in the middle, zero at the border, symmetric and soft', () => {
    const size = 128;
    const mask = boxMask(size, { blur: 0.3 });
    const at = (x: number, y: number) => mask[y * size + x]!;
    close(at(64, 64), 1, 1e-3, 'centre');
    assert.ok(at(0, 64) < 0.05 && at(64, 0) < 0.05 && at(127, 127) < 0.01, 'borders');
    close(at(10, 64), at(117, 64), 1e-5, 'left-right symmetry');
    const ramp = [4, 8, 12, 16, 20].map((x) => at(x, 64));
    for (let i = 1; i < ramp.length; i++) assert.ok(ramp[i]! > ramp[i - 1]!, `ramps up: ${ramp.join(', ')}`);
  });

  test('padding widens the zero border on its side only', () => {
    const size = 100;
    const plain = boxMask(size, { blur: 0 });
    const padded = boxMask(size, { blur: 0, padding: [20, 0, 0, 0] });
    assert.equal(plain[10 * size + 50], 1);
    assert.equal(padded[10 * size + 50], 0);
    assert.equal(padded[90 * size + 50], plain[90 * size + 50]);
  });
});
