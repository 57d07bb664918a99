/**
 * Preparing ESRGAN-slim models from a copy of the package: written once and reused while
 * the stamp matches, rebuilt when it does not, registered with `framefuse models prepare`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { isFramefuseError } from '../../src/errors.js';
import { listPreparers } from '../../src/models/preparers.js';
import { ESRGAN_PACKAGE, esrganSource } from '../../src/importers/tfjs/esrgan-slim.js';
import { findPackage } from '../../src/importers/tfjs/package-dir.js';
import { ensurePrepared, prepareEsrgan } from '../../src/importers/tfjs/prepare.js';
import '../../src/importers/tfjs/register.js';

let root: string;
let packagesDir: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'ff-tfjs-prepare-'));
  packagesDir = join(root, 'node_modules');
  const target = join(packagesDir, ESRGAN_PACKAGE);
  mkdirSync(join(target, 'models'), { recursive: true });
  const installed = findPackage(ESRGAN_PACKAGE).dir;
  cpSync(join(installed, 'package.json'), join(target, 'package.json'));
  cpSync(join(installed, 'models', 'x2'), join(target, 'models', 'x2'), { recursive: true });
});
after(() => rmSync(root, { recursive: true, force: true }));

test('the four preparers are registered with their output files', () => {
  const ours = listPreparers().filter((p) => p.id.startsWith('esrgan_'));
  assert.deepEqual(ours.map((p) => [p.id, p.outputs]), [2, 3, 4, 8].map((s) => [`esrgan_x${s}`, [`esrgan_x${s}.onnx`]]));
});

test('ensurePrepared converts once, shares concurrent calls, reuses the file, and rebuilds on a stale stamp', async () => {
  const modelsDir = join(root, 'models-a');
  const [first, second] = await Promise.all([ensurePrepared('esrgan_x2', modelsDir, { packagesDir }), ensurePrepared('esrgan_x2', modelsDir, { packagesDir })]);
  assert.equal(first, join(modelsDir, 'esrgan_x2.onnx'));
  assert.equal(second, first);
  const stampFile = join(modelsDir, 'cache', 'esrgan_x2.onnx.source.json');
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { version: string; files: Record<string, string> };
  assert.equal(stamp.version, '1.0.0');
  assert.deepEqual(Object.keys(stamp.files), ['models/x2/model.json', 'models/x2/group1-shard1of1.bin']);
  const session = await ort.InferenceSession.create(first, { logSeverityLevel: 3 });
  const out = await session.run({ input: new ort.Tensor('float32', new Float32Array(2 * 3 * 8 * 12).fill(100), [2, 3, 8, 12]) });
  assert.deepEqual(out['output']?.dims, [2, 3, 16, 24], 'any batch, any size, x2');
  await session.release();

  const mtime = statSync(first).mtimeMs;
  const again = await prepareEsrgan(esrganSource('esrgan_x2')!, modelsDir, { packagesDir });
  assert.equal(again.written, false);
  assert.equal(statSync(first).mtimeMs, mtime);

  writeFileSync(stampFile, JSON.stringify({ ...stamp, converter: 0 }));
  const rebuilt = await prepareEsrgan(esrganSource('esrgan_x2')!, modelsDir, { packagesDir });
  assert.equal(rebuilt.written, true, 'an older converter version re-prepares');
  assert.deepEqual(readdirSync(modelsDir).sort(), ['cache', 'esrgan_x2.onnx'], 'no temporary files left');
});

test('an id that is not a TF.js model is refused', async () => {
  await assert.rejects(ensurePrepared('esrgan_x5', join(root, 'models-b')), (e) => isFramefuseError(e) && e.code === 'FF_MODEL_UNKNOWN' && e.message.includes('esrgan_x5'));
  assert.equal(existsSync(join(root, 'models-b')), false);
});
