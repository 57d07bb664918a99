/**
 * Preparing the TFLite models into a models folder: written once, reused while the
 * source and converter are unchanged, refused (naming the file) when a source's hash
 * differs, and never a half-written model under the final name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPreparers } from '../../src/models/preparers.js';
import { ensurePrepared, prepareTfliteModel, preparedPath } from '../../src/importers/tflite/prepare.js';
import { packageDir } from '../../src/importers/tflite/source-file.js';
import '../../src/importers/tflite/register.js';

const temp = (prefix: string) => mkdtemp(join(tmpdir(), `framefuse-${prefix}-`));

/** A node_modules folder holding a copy of @mediapipe/face_detection, to tamper with. */
async function fakePackages(): Promise<{ root: string; pkg: string }> {
  const root = await temp('pkgs');
  const pkg = join(root, '@mediapipe', 'face_detection');
  await mkdir(pkg, { recursive: true });
  const real = packageDir('@mediapipe/face_detection');
  for (const f of ['package.json', 'face_detection_short_range.tflite']) await copyFile(join(real, f), join(pkg, f));
  return { root, pkg };
}

test('importing register.js registers the three TFLite preparers', () => {
  const ids = listPreparers().map((p) => p.id);
  for (const id of ['blazeface_short', 'blazeface_full', 'facemesh']) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
  assert.deepEqual(listPreparers().find((p) => p.id === 'facemesh')?.outputs, ['facemesh.onnx']);
});

test('prepare writes the model once, then reuses it; a changed package version re-prepares', async () => {
  const modelsDir = await temp('models');
  const { root, pkg } = await fakePackages();
  const first = await prepareTfliteModel('blazeface_short', { modelsDir, packagesDir: root });
  assert.equal(first.written, true);
  assert.equal(first.path, join(modelsDir, 'blazeface_short.onnx'));
  const second = await prepareTfliteModel('blazeface_short', { modelsDir, packagesDir: root });
  assert.equal(second.written, false);
  const manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')) as { version: string };
  await writeFile(join(pkg, 'package.json'), JSON.stringify({ ...manifest, version: '0.4.9999999999' }));
  const third = await prepareTfliteModel('blazeface_short', { modelsDir, packagesDir: root });
  assert.equal(third.written, true, 'same bytes under a new package version: prepared again (the stamp is keyed by version and hash)');
  assert.deepEqual((await readdir(modelsDir)).filter((f) => f.includes('tmp')), []);
});

test('a source file whose hash differs is refused with FF_MODEL_SOURCE_CHANGED naming it, and nothing is written', async () => {
  const modelsDir = await temp('models');
  const { root, pkg } = await fakePackages();
  const file = join(pkg, 'face_detection_short_range.tflite');
  const bytes = new Uint8Array(await readFile(file));
  bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
  await writeFile(file, bytes);
  await assert.rejects(
    prepareTfliteModel('blazeface_short', { modelsDir, packagesDir: root }),
    (e: Error & { code?: string }) => e.code === 'FF_MODEL_SOURCE_CHANGED' && e.message.includes(file) && /expected 3bc182eb/.test(e.message),
  );
  assert.equal(existsSync(preparedPath('blazeface_short', modelsDir)), false);
  assert.deepEqual(await readdir(modelsDir).catch(() => []), []);
});

test('a missing source file is FF_MODEL_SOURCE_MISSING naming the path', async () => {
  const modelsDir = await temp('models');
  const root = await temp('empty-pkgs');
  await assert.rejects(
    prepareTfliteModel('blazeface_full', { modelsDir, packagesDir: root }),
    (e: Error & { code?: string }) => e.code === 'FF_MODEL_SOURCE_MISSING' && e.message.includes(join(root, '@mediapipe', 'face_detection')),
  );
});

test('ensurePrepared converts lazily, shares one conversion between concurrent callers, and extracts FaceMesh from the packed assets', async () => {
  const modelsDir = await temp('models');
  const [a, b] = await Promise.all([ensurePrepared('facemesh', modelsDir), ensurePrepared('facemesh', modelsDir)]);
  assert.equal(a, join(modelsDir, 'facemesh.onnx'));
  assert.equal(b, a);
  assert.ok(existsSync(a));
  const again = await prepareTfliteModel('facemesh', { modelsDir });
  assert.equal(again.written, false);
});
