import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel, readModel, writeModel } from '../../src/onnx/model-io.js';
import { inspectModel } from '../../src/onnx/inspect.js';
import { buildSwapperLikeModel } from '../../src/onnx/synthetic-models.js';
import { encodeModel } from '../../src/onnx/model-io.js';
import { filled, runModel } from './helpers.js';

const YUNET = 'models/yunet_s_640_640.onnx';

describe('reading and writing models', () => {
  test('a real exported model reads, inspects, and written back gives the same outputs', async () => {
    const bytes = await readFile(YUNET);
    const model = decodeModel(bytes, YUNET);
    const summary = inspectModel(model);
    assert.deepEqual(summary.inputs.map((i) => [i.name, i.dims]), [['input', [1, 3, 640, 640]]]);
    assert.equal(summary.outputs.length, 12);
    assert.deepEqual(summary.batch, { kind: 'fixed', size: 1 });
    assert.ok((summary.operators['Conv'] ?? 0) > 10);
    // Field order and packing may differ from the exporter's bytes; what must not differ is the model.
    const again = encodeModel(model);
    assert.equal(Buffer.compare(Buffer.from(encodeModel(decodeModel(again))), Buffer.from(again)), 0, 'stable once re-encoded');
    const input = { input: { data: filled(3 * 640 * 640, 9).map((v) => v * 255), dims: [1, 3, 640, 640] } };
    const before = await runModel(bytes, input);
    const after = await runModel(again, input);
    for (const name of Object.keys(before)) assert.deepEqual(after[name]!.data, before[name]!.data);
  });

  test('a file that is not ONNX is a user error naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-io-'));
    const path = join(dir, 'photo.onnx');
    await writeFile(path, Buffer.from('\x89PNG\r\n\x1a\n this is an image, not a model', 'binary'));
    await assert.rejects(readModel(path), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FF_MODEL_NOT_ONNX');
      assert.ok(e.message.includes(path));
      return true;
    });
  });

  test('a truncated model is told apart from a wrong file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-io-'));
    const path = join(dir, 'cut.onnx');
    const bytes = encodeModel(buildSwapperLikeModel({ channels: 4, convs: 1, size: 16 }));
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await assert.rejects(readModel(path), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FF_MODEL_TRUNCATED');
      assert.match(e.message, /truncated/);
      return true;
    });
    await writeFile(path, new Uint8Array(0));
    await assert.rejects(readModel(path), /empty/);
  });

  test('writeModel writes atomically and the result reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-io-'));
    const path = join(dir, 'm.onnx');
    const model = buildSwapperLikeModel({ channels: 4, convs: 1, size: 16 });
    await writeModel(path, model);
    assert.deepEqual(inspectModel(await readModel(path)).inputs.map((i) => i.name), ['target', 'source']);
  });
});
