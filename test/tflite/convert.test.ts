/**
 * Whole-model conversion: the real models convert with a dynamic batch, and models with
 * operators the converter does not know are refused by name (never guessed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { convertTfliteToOnnx } from '../../src/importers/tflite/convert.js';
import { extractPackedFile } from '../../src/importers/tflite/packed-assets.js';
import { readTfliteModel } from '../../src/importers/tflite/read-model.js';
import { packageDir } from '../../src/importers/tflite/source-file.js';
import { model, op, tensor } from './helpers.js';

const detection = packageDir('@mediapipe/face_detection');
const mesh = packageDir('@mediapipe/face_mesh');

test('the short range BlazeFace converts with TFLite names and a dynamic batch', async () => {
  const path = join(detection, 'face_detection_short_range.tflite');
  const converted = convertTfliteToOnnx(readTfliteModel(new Uint8Array(await readFile(path)), path));
  assert.deepEqual(converted.inputs, [{ name: 'input', dims: ['N', 128, 128, 3] }]);
  assert.deepEqual(converted.outputs, [
    { name: 'regressors', dims: ['N', 896, 16] },
    { name: 'classificators', dims: ['N', 896, 1] },
  ]);
  assert.equal(converted.operatorCounts['CONV_2D'], 21);
});

test('an operator the converter does not know is refused with its name and the file (DENSIFY in the sparse full range model)', async () => {
  const path = join(detection, 'face_detection_full_range_sparse.tflite');
  const m = readTfliteModel(new Uint8Array(await readFile(path)), path);
  assert.throws(
    () => convertTfliteToOnnx(m),
    (e: Error & { code?: string }) =>
      e.code === 'FF_TFLITE_UNKNOWN_OP' && e.message.includes(path) && /DENSIFY \(x46\)/.test(e.message) && /DEPTH_TO_SPACE \(x2\)/.test(e.message),
  );
});

test('custom operators are refused by their custom code (FaceMesh with attention)', async () => {
  const dataPath = join(mesh, 'face_mesh_solution_packed_assets.data');
  const loader = await readFile(join(mesh, 'face_mesh_solution_packed_assets_loader.js'), 'utf8');
  const bytes = extractPackedFile(new Uint8Array(await readFile(dataPath)), loader, '/third_party/mediapipe/modules/face_landmark/face_landmark_with_attention.tflite', { data: dataPath, loader: 'loader.js' });
  const m = readTfliteModel(bytes, 'face_landmark_with_attention.tflite');
  assert.throws(
    () => convertTfliteToOnnx(m),
    (e: Error & { code?: string }) => e.code === 'FF_TFLITE_UNKNOWN_OP' && /CUSTOM:Landmarks2TransformMatrix \(x3\)/.test(e.message) && /MUL \(x6\)/.test(e.message),
  );
});

test('an unknown builtin in a hand-built model is refused before anything is converted', () => {
  const m = model([tensor('x', [1, 4]), tensor('w', [2, 4], new Float32Array(8)), tensor('y', [1, 2])], [op('FULLY_CONNECTED', [0, 1], [2])], [0], [2]);
  assert.throws(() => convertTfliteToOnnx(m), (e: Error & { code?: string }) => e.code === 'FF_TFLITE_UNKNOWN_OP' && /hand-built\.tflite uses TFLite operators the converter does not know: FULLY_CONNECTED \(x1\)/.test(e.message));
});
