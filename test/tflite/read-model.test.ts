/**
 * The FlatBuffer reader on MediaPipe's real files (what FACTS.md records of them) and on
 * corrupt bytes, which must fail with FF_TFLITE_CORRUPT naming the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTfliteModel } from '../../src/importers/tflite/read-model.js';
import { packageDir } from '../../src/importers/tflite/source-file.js';

const detection = packageDir('@mediapipe/face_detection');
const shortPath = join(detection, 'face_detection_short_range.tflite');

function summary(m: ReturnType<typeof readTfliteModel>) {
  const io = (list: number[]) => list.map((i) => [m.tensors[i]!.name, m.tensors[i]!.shape]);
  return { inputs: io(m.inputs), outputs: io(m.outputs) };
}

test('reads the short range BlazeFace: input [1,128,128,3], outputs regressors and classificators, float16 weights behind DEQUANTIZE', async () => {
  const m = readTfliteModel(new Uint8Array(await readFile(shortPath)), shortPath);
  assert.deepEqual(summary(m), {
    inputs: [['input', [1, 128, 128, 3]]],
    outputs: [
      ['regressors', [1, 896, 16]],
      ['classificators', [1, 896, 1]],
    ],
  });
  const counts: Record<string, number> = {};
  for (const op of m.operators) counts[op.opName] = (counts[op.opName] ?? 0) + 1;
  assert.deepEqual(counts, { DEQUANTIZE: 74, CONV_2D: 21, RELU: 17, DEPTHWISE_CONV_2D: 16, ADD: 16, PAD: 11, MAX_POOL_2D: 3, RESHAPE: 4, CONCATENATION: 2 });
  const dequantized = m.operators.filter((o) => o.opName === 'DEQUANTIZE').map((o) => m.tensors[o.inputs[0]!]!);
  assert.ok(dequantized.every((t) => t.type === 'float16' && t.data !== null));
  const first = m.operators.find((o) => o.opName === 'CONV_2D')!;
  assert.deepEqual(first.options, { kind: 'conv2d', padding: 'SAME', strideW: 2, strideH: 2, activation: 'NONE', dilationW: 1, dilationH: 1 });
  assert.deepEqual(m.tensors[first.inputs[1]!]!.shape, [24, 5, 5, 3]);
});

test('reads the full range BlazeFace: input [1,192,192,3], 2304 anchors', async () => {
  const path = join(detection, 'face_detection_full_range.tflite');
  const m = readTfliteModel(new Uint8Array(await readFile(path)), path);
  assert.deepEqual(summary(m), {
    inputs: [['input', [1, 192, 192, 3]]],
    outputs: [
      ['reshaped_regressor_face_4', [1, 2304, 16]],
      ['reshaped_classifier_face_4', [1, 2304, 1]],
    ],
  });
  const resize = m.operators.filter((o) => o.opName === 'RESIZE_BILINEAR');
  assert.equal(resize.length, 3);
  assert.deepEqual(resize[0]!.options, { kind: 'resize_bilinear', alignCorners: false, halfPixelCenters: true });
});

test('a file that is not a TFLite flatbuffer is refused by its identifier, naming the file', () => {
  const bytes = new TextEncoder().encode('this is not a model, just some text of reasonable length');
  assert.throws(() => readTfliteModel(bytes, '/models/notes.tflite'), (e: Error & { code?: string }) => e.code === 'FF_TFLITE_CORRUPT' && /\/models\/notes\.tflite/.test(e.message) && /identifier/.test(e.message));
});

test('a truncated TFLite file fails with FF_TFLITE_CORRUPT naming the file, not a RangeError', async () => {
  const full = new Uint8Array(await readFile(shortPath));
  for (const length of [8, 64, 4096, Math.floor(full.byteLength / 2)]) {
    assert.throws(
      () => readTfliteModel(full.subarray(0, length), `cut-${length}.tflite`),
      (e: Error & { code?: string }) => e.code === 'FF_TFLITE_CORRUPT' && e.message.startsWith(`cut-${length}.tflite is not a readable TFLite model`),
      `cut at ${length} bytes`,
    );
  }
});

test('a corrupt root offset or vtable fails with FF_TFLITE_CORRUPT', async () => {
  const good = new Uint8Array(await readFile(shortPath));
  const badRoot = good.slice();
  new DataView(badRoot.buffer).setUint32(0, 0x7ffffff0, true);
  assert.throws(() => readTfliteModel(badRoot, 'bad-root.tflite'), (e: Error & { code?: string }) => e.code === 'FF_TFLITE_CORRUPT' && /bad-root\.tflite/.test(e.message));
  // Point the root table's vtable far outside the file.
  const badVtable = good.slice();
  const view = new DataView(badVtable.buffer);
  view.setInt32(view.getUint32(0, true), -0x7ffffff, true);
  assert.throws(() => readTfliteModel(badVtable, 'bad-vtable.tflite'), (e: Error & { code?: string }) => e.code === 'FF_TFLITE_CORRUPT' && /bad-vtable\.tflite/.test(e.message));
});
