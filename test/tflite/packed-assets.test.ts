/** Reading MediaPipe's packed-assets list, and refusing a data file that does not match it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractPackedFile, parsePackedAssetList } from '../../src/importers/tflite/packed-assets.js';
import { packageDir } from '../../src/importers/tflite/source-file.js';

const entry = '/third_party/mediapipe/modules/face_landmark/face_landmark.tflite';

test('the face_mesh loader lists face_landmark.tflite among its packed files', async () => {
  const loader = await readFile(join(packageDir('@mediapipe/face_mesh'), 'face_mesh_solution_packed_assets_loader.js'), 'utf8');
  const files = parsePackedAssetList(loader);
  assert.ok(files.length >= 4);
  assert.deepEqual(files.find((f) => f.filename === entry), { filename: entry, start: 2495952, end: 3737848 });
});

test('a loader that does not list the model, or a data file too short for its range, is FF_MODEL_SOURCE_CHANGED naming the files', () => {
  const loader = `{"files": [{"filename": "${entry}", "start": 10, "end": 30}]}`;
  const names = { data: '/pkg/assets.data', loader: '/pkg/loader.js' };
  assert.deepEqual(Array.from(extractPackedFile(Uint8Array.from({ length: 40 }, (_, i) => i), loader, entry, names)), Array.from({ length: 20 }, (_, i) => i + 10));
  assert.throws(() => extractPackedFile(new Uint8Array(40), loader, '/other.tflite', names), (e: Error & { code?: string }) => e.code === 'FF_MODEL_SOURCE_CHANGED' && e.message.includes('/pkg/loader.js') && e.message.includes('/other.tflite'));
  assert.throws(() => extractPackedFile(new Uint8Array(20), loader, entry, names), (e: Error & { code?: string }) => e.code === 'FF_MODEL_SOURCE_CHANGED' && e.message.includes('/pkg/assets.data is 20 bytes'));
});
