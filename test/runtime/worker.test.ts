import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InferenceWorker } from '../../src/runtime/inference-worker.js';
import { openModel } from '../../src/runtime/model-session.js';
import { modelsFolder, swapperFeeds } from './fixtures.js';

describe('InferenceWorker', () => {
  test('returns the same outputs as an in-process session, with buffers transferred', async () => {
    const { dynamic, dir } = await modelsFolder();
    const local = await openModel(dynamic, { modelsDir: dir, threads: 1 });
    const expected = await local.run(swapperFeeds(2, 3));
    await local.dispose();

    const worker = await InferenceWorker.start(dynamic, { modelsDir: dir, threads: 1 });
    assert.equal(worker.provider, 'cpu');
    const feeds = swapperFeeds(2, 3);
    const outputs = await worker.run(feeds);
    assert.equal(feeds.target.data.length, 0, 'the input buffer moved to the worker');
    assert.deepEqual(outputs['output']?.dims, [2, 3, 32, 32]);
    assert.deepEqual(outputs['output']?.data, expected['output']?.data);
    await worker.dispose();
  });

  test('a model that fails to load rejects start(), naming the file, and leaves no thread behind', async () => {
    const { dir } = await modelsFolder();
    const bad = join(dir, 'bad.onnx');
    await writeFile(bad, 'not a model at all');
    await assert.rejects(InferenceWorker.start(bad, { modelsDir: dir }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FF_MODEL_NOT_ONNX');
      assert.ok(e.message.includes(bad));
      return true;
    });
  });

  test('a failing run is an error on its promise and the worker keeps serving', async () => {
    const { fixed, dir } = await modelsFolder();
    const worker = await InferenceWorker.start(fixed, { modelsDir: dir, threads: 1 });
    await assert.rejects(worker.run(swapperFeeds(2)), /FF_MODEL_INPUT_MISMATCH|the model wants/);
    const ok = await worker.run(swapperFeeds(1));
    assert.deepEqual(ok['output']?.dims, [1, 3, 32, 32]);
    await worker.dispose();
  });

  test('dispose ends the thread (it finishes the run it is in, never terminated) and fails runs still pending', async () => {
    const { dynamic, dir } = await modelsFolder();
    const worker = await InferenceWorker.start(dynamic, { modelsDir: dir, threads: 1 });
    const pending = assert.rejects(worker.run(swapperFeeds(8)), /disposed/);
    assert.equal(await worker.dispose(), true, 'the thread ended by itself within the grace period');
    await pending;
    assert.equal(await worker.dispose(), true, 'a second dispose is harmless');
    await assert.rejects(worker.run(swapperFeeds(1)), /disposed/);
  });
});
