/** YuNet's pieces on hand-made data: the decoding formulas, the letterbox, the mapping back and NMS as detection applies it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeYunet } from '../../src/faces/yunet/decode.js';
import { applyAffine, canvasToFrame, canvasToFrameAffine, letterboxFor, writeLetterboxBgr } from '../../src/faces/geometry/index.js';
import { detectFaces } from '../../src/faces/yunet/yunet.js';
import type { YunetSession } from '../../src/faces/yunet/yunet.js';
import type { Outputs } from '../../src/runtime/tensors.js';

/** Outputs of a 64x32 canvas (8x4, 4x2, 2x1 cells) with everything zero. */
function emptyOutputs(batch = 1): Outputs {
  const outputs: Outputs = {};
  for (const stride of [8, 16, 32]) {
    const cells = (64 / stride) * (32 / stride);
    outputs[`cls_${stride}`] = { data: new Float32Array(batch * cells), dims: [batch, cells, 1] };
    outputs[`obj_${stride}`] = { data: new Float32Array(batch * cells), dims: [batch, cells, 1] };
    outputs[`bbox_${stride}`] = { data: new Float32Array(batch * cells * 4), dims: [batch, cells, 4] };
    outputs[`kps_${stride}`] = { data: new Float32Array(batch * cells * 10), dims: [batch, cells, 10] };
  }
  return outputs;
}

function f32(outputs: Outputs, name: string): Float32Array {
  const data = outputs[name]?.data;
  assert.ok(data instanceof Float32Array, name);
  return data;
}

test('decodes one cell: centre, size, keypoints and sqrt(cls*obj)', () => {
  const outputs = emptyOutputs(2);
  // Image 1, stride 16 (4 columns x 2 rows): cell at row 1, column 2 -> index 6; image 1 starts at 8.
  const i = 8 + 6;
  f32(outputs, 'cls_16')[i] = 0.81;
  f32(outputs, 'obj_16')[i] = 1;
  f32(outputs, 'bbox_16').set([0.5, 0.25, Math.log(2), 0], i * 4);
  f32(outputs, 'kps_16').set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], i * 10);
  assert.deepEqual(decodeYunet(outputs, 0, 64, 32, 0.5), [], 'image 0 has nothing');
  const [found, ...rest] = decodeYunet(outputs, 1, 64, 32, 0.5);
  assert.equal(rest.length, 0);
  // cx = (2 + 0.5) * 16 = 40, cy = (1 + 0.25) * 16 = 20, w = 2 * 16 = 32, h = 16.
  assert.ok(found);
  assert.ok(Math.abs(found.score - 0.9) < 1e-6);
  for (const [key, want] of Object.entries({ x1: 24, y1: 12, x2: 56, y2: 28 })) {
    assert.ok(Math.abs(found.box[key as keyof typeof found.box] - want) < 1e-5, key);
  }
  const want = [[33.6, 19.2], [36.8, 22.4], [40, 25.6], [43.2, 28.8], [46.4, 32]];
  found.landmarks.forEach((p, k) => {
    assert.ok(Math.abs(p.x - want[k]![0]!) < 1e-4 && Math.abs(p.y - want[k]![1]!) < 1e-4, `keypoint ${k}`);
  });
  assert.equal(decodeYunet(outputs, 1, 64, 32, 0.95).length, 0, 'below the threshold');
});

test('letterbox: aspect kept, top-left placement, BGR planes, zero padding', () => {
  assert.deepEqual(letterboxFor(1280, 720, 640, 640), { scale: 0.5, offsetX: 0, offsetY: 0, width: 640, height: 360 });
  assert.deepEqual(letterboxFor(910, 1137, 640, 640), { scale: 640 / 1137, offsetX: 0, offsetY: 0, width: 512, height: 640 });
  // A 2x1 frame, red then blue, onto a 4x4 canvas: 2x upscale into the top half.
  const frame = { width: 2, height: 1, data: new Uint8Array([200, 0, 0, 0, 0, 100]) };
  const box = letterboxFor(2, 1, 4, 4);
  assert.deepEqual(box, { scale: 2, offsetX: 0, offsetY: 0, width: 4, height: 2 });
  const target = new Float32Array(3 * 16);
  writeLetterboxBgr(frame, box, target, 0, 4, 4);
  const blue = [...target.subarray(0, 4)];
  const red = [...target.subarray(32, 36)];
  // Pixel centres: x=0.5 and 3.5 clamp to the ends, 1.5 and 2.5 interpolate 1/4 and 3/4.
  assert.deepEqual(red, [200, 150, 50, 0]);
  assert.deepEqual(blue, [0, 25, 75, 100]);
  assert.deepEqual([...target.subarray(8, 16)], new Array(8).fill(0), 'the bottom half is padding');
});

test('letterbox: a frame that fits as it is is copied, as bilinear sampling at scale 1 would give', () => {
  const frame = { width: 5, height: 3, data: Uint8Array.from({ length: 45 }, (_, i) => (i * 37) % 256) };
  const copied = new Float32Array(3 * 6 * 4);
  writeLetterboxBgr(frame, { scale: 1, offsetX: 0, offsetY: 0, width: 5, height: 3 }, copied, 0, 6, 4);
  // The same through the sampling path: a box one pixel larger than the frame, then the
  // frame's own pixels compared (scale 1 along the other axis keeps them exact there).
  for (let y = 0; y < 3; y++) {
    for (let x = 0; x < 5; x++) {
      for (let c = 0; c < 3; c++) assert.equal(copied[(2 - c) * 24 + y * 6 + x], frame.data[(y * 5 + x) * 3 + c]);
    }
  }
  assert.deepEqual([...copied.subarray(5, 6)], [0], 'the padding column stays zero');
  assert.deepEqual([...copied.subarray(18, 24)], new Array(6).fill(0), 'the padding row stays zero');
});

test('letterbox: at an odd whole ratio every output pixel is the input pixel at its centre', () => {
  // 9x6 onto 3x2 (ratio 3, as 1080p onto a 640 canvas): sample (x + 0.5) * 3 - 0.5 = 3x + 1.
  const frame = { width: 9, height: 6, data: Uint8Array.from({ length: 9 * 6 * 3 }, (_, i) => (i * 53) % 256) };
  const box = letterboxFor(9, 6, 3, 4);
  assert.deepEqual(box, { scale: 1 / 3, offsetX: 0, offsetY: 0, width: 3, height: 2 });
  const target = new Float32Array(3 * 3 * 4);
  writeLetterboxBgr(frame, box, target, 0, 3, 4);
  for (let y = 0; y < 2; y++) {
    for (let x = 0; x < 3; x++) {
      const i = ((3 * y + 1) * 9 + 3 * x + 1) * 3;
      assert.deepEqual([0, 1, 2].map((c) => target[(2 - c) * 12 + y * 3 + x]), [0, 1, 2].map((c) => frame.data[i + c]));
    }
  }
  assert.deepEqual([...target.subarray(6, 12)], new Array(6).fill(0), 'padding rows stay zero');
});

test('detectFaces maps canvas pixels back to the frame and splits fixed-batch runs', async () => {
  const calls: number[][] = [];
  // A fake 64x32 model: one face in cell (row 1, col 2) of stride 16 for every image.
  const session: YunetSession = {
    inputs: [{ name: 'input', type: 'float32', typeName: 'float32', dims: [1, 3, 32, 64] }],
    run: async (feeds) => {
      const dims = feeds['input']!.dims;
      calls.push(dims);
      const outputs = emptyOutputs(dims[0]);
      f32(outputs, 'cls_16')[6] = 1;
      f32(outputs, 'obj_16')[6] = 1;
      return outputs;
    },
  };
  // A 128x32 frame is scaled by 0.5 to fit 64 wide.
  const frame = { width: 128, height: 32, data: new Uint8Array(128 * 32 * 3) };
  const faces = await detectFaces(session, [frame, frame], { batchSize: 8 });
  assert.deepEqual(calls, [[1, 3, 32, 64], [1, 3, 32, 64]], 'a fixed batch of 1 runs frame by frame');
  // Canvas centre (32, 16), size 16: box (24, 8, 40, 24) -> frame (48, 16, 80, 48), clipped to the 32-high frame.
  assert.deepEqual(faces[1]?.[0]?.box, { x1: 48, y1: 16, x2: 80, y2: 32 });
  assert.deepEqual(faces[0]?.[0]?.landmarks[0], { x: 64, y: 32 });
});

test('detectFaces drops overlapping candidates (NMS) and caps the count', async () => {
  // One face seen by two neighbouring stride-8 cells (IoU 0.6) and a third cell far away.
  const session: YunetSession = {
    inputs: [{ name: 'input', type: 'float32', typeName: 'float32', dims: ['N', 3, 32, 64] }],
    run: async () => {
      const outputs = emptyOutputs(1);
      const cls = f32(outputs, 'cls_8');
      const obj = f32(outputs, 'obj_8');
      for (const [cell, score] of [[9, 0.9], [10, 0.8], [15, 0.75]] as const) {
        cls[cell] = score;
        obj[cell] = score;
        f32(outputs, 'bbox_8').set([0, 0, Math.log(4), Math.log(4)], cell * 4);
      }
      return outputs;
    },
  };
  const frame = { width: 64, height: 32, data: new Uint8Array(64 * 32 * 3) };
  const [faces] = await detectFaces(session, [frame], { nmsIou: 0.3 });
  assert.deepEqual(faces?.map((f) => Math.round(f.score * 100)), [90, 75]);
  const [capped] = await detectFaces(session, [frame], { nmsIou: 0.3, maxFaces: 1 });
  assert.equal(capped?.length, 1);
  const [loose] = await detectFaces(session, [frame], { nmsIou: 0.7, scoreThreshold: 0.5 });
  assert.deepEqual(loose?.map((f) => Math.round(f.score * 100)), [90, 80, 75]);
});

test('letterbox: centred placement (BlazeFace) splits the padding, and the way back is the inverse', () => {
  const box = letterboxFor(256, 128, 128, 128, 'centre');
  assert.deepEqual(box, { scale: 0.5, offsetX: 0, offsetY: 32, width: 128, height: 64 });
  assert.deepEqual(canvasToFrame(box, { x: 64, y: 64 }), { x: 128, y: 64 }, 'the canvas centre is the frame centre');
  const m = canvasToFrameAffine(box);
  assert.deepEqual(applyAffine(m, { x: 0, y: 32 }), { x: 0, y: 0 });
});
