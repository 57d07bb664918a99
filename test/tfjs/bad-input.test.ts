/**
 * Bad input to the TF.js importer: changed, missing or corrupt package files and unknown
 * layers give errors naming the file, and no model is left under the final name.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFramefuseError } from '../../src/errors.js';
import { convertLayersModel } from '../../src/importers/tfjs/convert.js';
import { ESRGAN_PACKAGE, esrganSource } from '../../src/importers/tfjs/esrgan-slim.js';
import { findPackage } from '../../src/importers/tfjs/package-dir.js';
import { prepareEsrgan } from '../../src/importers/tfjs/prepare.js';
import { readLayersModelFiles, weightsOf } from '../../src/importers/tfjs/read-files.js';

const X2 = esrganSource('esrgan_x2')!;
let root: string;
let installed: string;

/** A node_modules folder holding a copy of the package's x2 files. */
function copyPackage(name: string): { packagesDir: string; dir: string } {
  const packagesDir = join(root, name, 'node_modules');
  const dir = join(packagesDir, ESRGAN_PACKAGE);
  mkdirSync(join(dir, 'models'), { recursive: true });
  cpSync(join(installed, 'package.json'), join(dir, 'package.json'));
  cpSync(join(installed, 'models', 'x2'), join(dir, 'models', 'x2'), { recursive: true });
  return { packagesDir, dir };
}

function assertNothingWritten(modelsDir: string): void {
  const left = existsSync(modelsDir) ? readdirSync(modelsDir) : [];
  assert.deepEqual(left.filter((f) => f !== 'cache'), [], `nothing under ${modelsDir}`);
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'ff-tfjs-bad-'));
  installed = findPackage(ESRGAN_PACKAGE).dir;
});
after(() => rmSync(root, { recursive: true, force: true }));

test('a changed weight file is refused, naming it', async () => {
  const { packagesDir, dir } = copyPackage('changed');
  const shard = join(dir, 'models', 'x2', 'group1-shard1of1.bin');
  const bytes = readFileSync(shard);
  bytes[1000] = bytes[1000]! ^ 0xff;
  writeFileSync(shard, bytes);
  const modelsDir = join(root, 'changed-models');
  await assert.rejects(prepareEsrgan(X2, modelsDir, { packagesDir }), (e) => isFramefuseError(e) && e.code === 'FF_MODEL_SOURCE_CHANGED' && e.message.includes(shard));
  assertNothingWritten(modelsDir);
});

test('a missing weight file is refused, naming it', async () => {
  const { packagesDir, dir } = copyPackage('missing');
  const shard = join(dir, 'models', 'x2', 'group1-shard1of1.bin');
  unlinkSync(shard);
  const modelsDir = join(root, 'missing-models');
  await assert.rejects(prepareEsrgan(X2, modelsDir, { packagesDir }), (e) => isFramefuseError(e) && e.code === 'FF_MODEL_SOURCE_MISSING' && e.message.includes(shard));
  assertNothingWritten(modelsDir);
});

test('an unknown package version is refused, naming the version', async () => {
  const { packagesDir, dir } = copyPackage('version');
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, version: '9.9.9' }));
  await assert.rejects(prepareEsrgan(X2, join(root, 'version-models'), { packagesDir }), (e) => isFramefuseError(e) && e.code === 'FF_MODEL_SOURCE_CHANGED' && e.message.includes('@9.9.9'));
});

test('a missing package is refused', async () => {
  await assert.rejects(prepareEsrgan(X2, join(root, 'none-models'), { packagesDir: join(root, 'empty') }), (e) => isFramefuseError(e) && e.code === 'FF_MODEL_SOURCE_MISSING' && e.message.includes(ESRGAN_PACKAGE));
});

test('corrupt model.json: cut short, or JSON that is not a layers model', async () => {
  const { dir } = copyPackage('corrupt-json');
  const file = join(dir, 'models', 'x2', 'model.json');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.slice(0, text.length / 2));
  await assert.rejects(readLayersModelFiles(file), (e) => isFramefuseError(e) && e.code === 'FF_TFJS_CORRUPT_MODEL' && e.message.includes(file) && e.message.includes('not valid JSON'));
  writeFileSync(file, JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }));
  await assert.rejects(readLayersModelFiles(file), (e) => isFramefuseError(e) && e.code === 'FF_TFJS_CORRUPT_MODEL' && e.message.includes(file) && e.message.includes('model_config'));
});

test('corrupt weights: a shard cut short', async () => {
  const { dir } = copyPackage('short-shard');
  const shard = join(dir, 'models', 'x2', 'group1-shard1of1.bin');
  writeFileSync(shard, readFileSync(shard).subarray(0, 1000));
  const files = await readLayersModelFiles(join(dir, 'models', 'x2', 'model.json'));
  assert.throws(() => weightsOf(files), (e) => isFramefuseError(e) && e.code === 'FF_TFJS_CORRUPT_WEIGHTS' && e.message.includes(shard) && e.message.includes('1000 bytes'));
});

test('unknown layers are refused by class and layer name, all at once', async () => {
  const { dir } = copyPackage('unknown-layer');
  const file = join(dir, 'models', 'x2', 'model.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { modelTopology: { model_config: { config: { layers: { class_name: string; name: string }[] } } } };
  const layers = json.modelTopology.model_config.config.layers;
  layers.find((l) => l.name === 'F_1_1_Relu')!.class_name = 'LeakyReLU';
  layers.find((l) => l.name === 'UPsample')!.class_name = 'Conv2DTranspose';
  writeFileSync(file, JSON.stringify(json));
  const files = await readLayersModelFiles(file);
  assert.throws(
    () => convertLayersModel(files.model, weightsOf(files), { file }),
    (e) =>
      isFramefuseError(e) && e.code === 'FF_TFJS_UNKNOWN_LAYER' && e.message.includes(file) &&
      e.message.includes('LeakyReLU (F_1_1_Relu)') && e.message.includes('Conv2DTranspose (UPsample)'),
  );
});

test('a layer reading a layer the model does not define', async () => {
  const { dir } = copyPackage('dangling');
  const file = join(dir, 'models', 'x2', 'model.json');
  writeFileSync(file, readFileSync(file, 'utf8').replace('[["F_0", 0, 0, {}]]', '[["F_404", 0, 0, {}]]'));
  const files = await readLayersModelFiles(file);
  assert.throws(() => convertLayersModel(files.model, weightsOf(files), { file }), (e) => isFramefuseError(e) && e.code === 'FF_TFJS_CORRUPT_MODEL' && e.message.includes('F_404'));
});
