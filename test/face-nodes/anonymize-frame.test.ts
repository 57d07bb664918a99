/**
 * The Anonymizer's pixel work on synthetic frames: what is covered (ellipse, box, padding,
 * feather), that nothing outside changes and the input is never written, and each mode
 * against a naive reference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymizeFrame, blurRadius } from '../../src/faces/anonymize/anonymize-frame.js';
import { regionMask } from '../../src/faces/anonymize/face-region.js';
import { blurPatch, blurReduction, blurredRegion, readPatch } from '../../src/faces/anonymize/box-blur.js';
import { parseHexColor } from '../../src/faces/anonymize/parse-color.js';
import type { Face, Frame } from '../../src/model/port-values.js';

/** A frame of seeded noise, so any blur or fill changes nearly every covered pixel. */
function noiseFrame(width: number, height: number, seed = 1): Frame {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, data };
}

function face(x1: number, y1: number, x2: number, y2: number): Face {
  return { box: { x1, y1, x2, y2 }, score: 0.9, landmarks: [] };
}

const OPTIONS = { padding: 0, shape: 'ellipse' as const, feather: 0 };

test('region: an ellipse covers pixel centres inside it, a box its whole rectangle; padding grows both', () => {
  const ellipse = regionMask(face(10, 10, 30, 20), 100, 100, OPTIONS)!;
  assert.deepEqual([ellipse.x, ellipse.y, ellipse.width, ellipse.height], [10, 10, 20, 10]);
  // Centre covered, corners not (a corner pixel's centre lies outside the ellipse).
  assert.equal(ellipse.alpha[5 * 20 + 10], 1);
  assert.equal(ellipse.alpha[0], 0);
  assert.equal(ellipse.alpha[9 * 20 + 19], 0);
  const box = regionMask(face(10, 10, 30, 20), 100, 100, { ...OPTIONS, shape: 'box' })!;
  assert.ok(box.alpha.every((a) => a === 1));
  const padded = regionMask(face(10, 10, 30, 20), 100, 100, { ...OPTIONS, shape: 'box', padding: 0.5 })!;
  assert.deepEqual([padded.x, padded.y, padded.width, padded.height], [0, 5, 40, 20]);
});

test('region: feather ramps coverage from 1 inside to 0 at the edge', () => {
  const m = regionMask(face(0, 0, 40, 40), 100, 100, { ...OPTIONS, shape: 'box', feather: 0.5 })!;
  const row = 20;
  const at = (col: number) => m.alpha[row * 40 + col]!;
  // Box feather 0.5 = the outer half of the half-size (10 px) ramps: col 0 centre at 0.5 px.
  assert.ok(Math.abs(at(0) - 0.5 / 20 / 0.5) < 1e-6);
  assert.ok(at(5) > at(0) && at(9) > at(5) && at(9) < 1);
  assert.equal(at(10), 1);
  assert.equal(at(20), 1);
});

test('a face at the frame edge: the region is clipped to the frame and only its pixels change', () => {
  const frame = noiseFrame(64, 48);
  const before = new Uint8Array(frame.data);
  const out = anonymizeFrame(frame, [face(-20, 30, 20, 70)], { ...OPTIONS, mode: 'fill', color: [255, 0, 0], shape: 'box' });
  assert.deepEqual(frame.data, before, 'input untouched');
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 64; x++) {
      const i = (y * 64 + x) * 3;
      const inside = x < 20 && y >= 30;
      const got = [out.data[i], out.data[i + 1], out.data[i + 2]];
      assert.deepEqual(got, inside ? [255, 0, 0] : [before[i], before[i + 1], before[i + 2]], `pixel ${x},${y}`);
    }
  }
  // Entirely outside: nothing happens, and nothing throws.
  assert.deepEqual(anonymizeFrame(frame, [face(-50, -50, -10, -10), face(70, 10, 90, 20)], { ...OPTIONS, mode: 'blur', strength: 1 }).data, before);
});

test('every mode leaves pixels outside the feathered region bit-exact and writes a new frame', () => {
  const frame = noiseFrame(80, 60, 7);
  const before = new Uint8Array(frame.data);
  const faces = [face(20, 10, 50, 50)];
  for (const mode of ['blur', 'pixelate', 'fill'] as const) {
    const opts = { mode, strength: 0.6, blockSize: 6, color: [10, 20, 30] as const, padding: 0.1, shape: 'ellipse' as const, feather: 0.3 };
    const out = anonymizeFrame(frame, faces, opts);
    assert.notEqual(out.data, frame.data);
    assert.deepEqual(frame.data, before, `${mode}: input untouched`);
    const mask = regionMask(faces[0]!, 80, 60, opts)!;
    let changed = 0;
    let covered = 0;
    for (let y = 0; y < 60; y++) {
      for (let x = 0; x < 80; x++) {
        const inRect = x >= mask.x && x < mask.x + mask.width && y >= mask.y && y < mask.y + mask.height;
        const a = inRect ? mask.alpha[(y - mask.y) * mask.width + x - mask.x]! : 0;
        const i = (y * 80 + x) * 3;
        const same = out.data[i] === before[i] && out.data[i + 1] === before[i + 1] && out.data[i + 2] === before[i + 2];
        if (a === 0) assert.ok(same, `${mode}: pixel ${x},${y} outside the region changed`);
        if (a === 1) {
          covered++;
          if (!same) changed++;
        }
      }
    }
    assert.ok(covered > 500, `${mode}: ${covered} fully covered pixels`);
    assert.ok(changed / covered > 0.95, `${mode}: ${changed}/${covered} covered pixels changed`);
  }
});

test('fill and pixelate give the colour and the block means where coverage is full', () => {
  const frame = noiseFrame(40, 40, 3);
  const fill = anonymizeFrame(frame, [face(0, 0, 40, 40)], { ...OPTIONS, shape: 'box', mode: 'fill', color: parseHexColor('#0a141e') });
  assert.deepEqual([...fill.data.subarray(0, 3)], [10, 20, 30]);
  const pix = anonymizeFrame(frame, [face(0, 0, 40, 40)], { ...OPTIONS, shape: 'box', mode: 'pixelate', blockSize: 8 });
  // Block (1, 2): rows 16..23, columns 8..15; its mean per channel, rounded.
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    for (let y = 16; y < 24; y++) for (let x = 8; x < 16; x++) sum += frame.data[(y * 40 + x) * 3 + c]!;
    const mean = Math.round(sum / 64);
    for (const [x, y] of [[8, 16], [15, 23], [11, 19]] as const) assert.equal(pix.data[(y * 40 + x) * 3 + c], mean);
  }
  assert.deepEqual(parseHexColor('#fa0'), [255, 170, 0]);
  assert.throws(() => parseHexColor('red'));
});

test('the running-sum blur equals three naive box passes per axis (clamped edges)', () => {
  const frame = noiseFrame(23, 17, 11);
  const patch = readPatch(frame, 0, 0, 23, 17);
  blurPatch(patch, 3);
  // Naive reference: direct sums, clamp-to-edge.
  let ref: Float64Array = Float64Array.from(readPatch(frame, 0, 0, 23, 17).data);
  const pass = (src: Float64Array, horizontal: boolean): Float64Array => {
    const dst = new Float64Array(src.length);
    for (let y = 0; y < 17; y++) {
      for (let x = 0; x < 23; x++) {
        for (let c = 0; c < 3; c++) {
          let s = 0;
          for (let k = -3; k <= 3; k++) {
            const xx = horizontal ? Math.min(Math.max(x + k, 0), 22) : x;
            const yy = horizontal ? y : Math.min(Math.max(y + k, 0), 16);
            s += src[(yy * 23 + xx) * 3 + c]!;
          }
          dst[(y * 23 + x) * 3 + c] = s / 7;
        }
      }
    }
    return dst;
  };
  for (let i = 0; i < 3; i++) ref = pass(pass(ref, true), false);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i]! - patch.data[i]!));
  assert.ok(worst < 1e-3, `max difference ${worst}`);
  assert.equal(blurRadius(0.5, 100, 80), 10);
  assert.equal(blurRadius(0.05, 4, 4), 1);
});

test('a wide blur runs on a reduced copy and stays within a few levels of the full-size blur', () => {
  // Stripes and a gradient with noise: content at several scales for the blur to remove.
  const width = 400;
  const height = 300;
  const data = new Uint8Array(width * height * 3);
  const noise = noiseFrame(width, height, 5).data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        data[i] = Math.max(0, Math.min(255, Math.round(128 + 100 * Math.sin(x / (9 + 4 * c)) * Math.cos(y / 13) + (noise[i]! - 128) * 0.25)));
      }
    }
  }
  const frame = { width, height, data };
  assert.equal(blurReduction(7), 1, 'small radii stay full size');
  for (const radius of [12, 20, 37]) {
    assert.ok(blurReduction(radius) > 1);
    const [x, y, w, h] = [120, 80, 160, 140];
    const fast = blurredRegion(frame, x, y, w, h, radius);
    assert.ok(fast.x <= x && fast.y <= y && fast.x + fast.width >= x + w && fast.y + fast.height >= y + h, 'covers the rectangle');
    const full = readPatch(frame, x - 3 * radius, y - 3 * radius, w + 6 * radius, h + 6 * radius);
    blurPatch(full, radius);
    let sum = 0;
    let worst = 0;
    for (let row = y; row < y + h; row++) {
      for (let col = x; col < x + w; col++) {
        for (let c = 0; c < 3; c++) {
          const d = Math.abs(fast.data[((row - fast.y) * fast.width + col - fast.x) * 3 + c]! - full.data[((row - full.y) * full.width + col - full.x) * 3 + c]!);
          sum += d;
          worst = Math.max(worst, d);
        }
      }
    }
    const mean = sum / (w * h * 3);
    assert.ok(mean < 3 && worst < 10, `radius ${radius}: mean difference ${mean.toFixed(2)}, largest ${worst.toFixed(1)} levels`);
  }
  // A region at the frame's corner: clipped, still covered.
  const corner = blurredRegion(frame, -20, -20, 80, 60, 24);
  assert.deepEqual([corner.x, corner.y, corner.width, corner.height], [0, 0, 60, 40]);
});

test('no faces: the output is an equal copy, not the same buffer', () => {
  const frame = noiseFrame(16, 16);
  const out = anonymizeFrame(frame, [], { ...OPTIONS, mode: 'blur' });
  assert.notEqual(out.data, frame.data);
  assert.deepEqual(out.data, frame.data);
});
