import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openModel } from '../../src/runtime/model-session.js';
import { SessionPool } from '../../src/runtime/session-pool.js';
import { modelsFolder, swapperFeeds } from './fixtures.js';

describe('openModel', () => {
  test('runs a model with plain typed arrays and reports its signature', async () => {
    const { dynamic, dir } = await modelsFolder();
    const session = await openModel(dynamic, { threads: 1, modelsDir: dir });
    assert.deepEqual(session.inputs.map((i) => i.name), ['target', 'source']);
    const out = await session.run(swapperFeeds(2));
    assert.deepEqual(out['output']?.dims, [2, 3, 32, 32]);
    assert.ok(out['output']?.data instanceof Float32Array);
    const values = out['output']!.data as Float32Array;
    assert.ok(values.every((v) => v > 0 && v < 1), 'sigmoid output in (0,1)');
    assert.equal(session.runBatch, 1, 'a single-threaded CPU session runs batches item by item');
    const threaded = await openModel(dynamic, { threads: 2, modelsDir: dir });
    assert.equal(threaded.runBatch, Infinity, 'with more threads a batch runs whole');
    await threaded.dispose();
    assert.equal(session.runs, 2, 'a batch of 2 took two onnxruntime runs');
    await session.dispose();
    await assert.rejects(session.run(swapperFeeds(1)), /disposed/);
  });

  test('a batch run in slices gives what one whole run gives', async () => {
    const { dynamic, dir } = await modelsFolder();
    const sliced = await openModel(dynamic, { threads: 1, modelsDir: dir, runBatch: 2 });
    const whole = await openModel(dynamic, { threads: 1, modelsDir: dir, runBatch: Infinity });
    const feeds = swapperFeeds(5, 7);
    const a = await sliced.run(feeds);
    const b = await whole.run(feeds);
    assert.equal(sliced.runs, 3, 'slices of 2, 2 and 1');
    assert.equal(whole.runs, 1);
    assert.deepEqual(a['output']!.dims, [5, 3, 32, 32]);
    assert.deepEqual(a['output']!.dims, b['output']!.dims);
    const x = a['output']!.data as Float32Array;
    const y = b['output']!.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    assert.ok(worst < 1e-5, `largest difference ${worst}`);
    await Promise.all([sliced.dispose(), whole.dispose()]);
  });

  test('a model whose inputs do not match what the node expects fails at open, naming the file and the difference', async () => {
    const { dynamic, dir } = await modelsFolder();
    await assert.rejects(
      openModel(dynamic, { modelsDir: dir, expect: { inputs: { target: { dims: [null, 3, 128, 128] }, embedding: { dims: [null, 512] } } } }),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'FF_MODEL_INPUT_MISMATCH');
        assert.ok(e.message.includes(dynamic));
        assert.match(e.message, /"target" has 32 at dim 2/);
        assert.match(e.message, /"embedding" is missing/);
        return true;
      },
    );
  });

  test('wrong feeds are refused before onnxruntime sees them', async () => {
    const { fixed, dir } = await modelsFolder();
    const session = await openModel(fixed, { modelsDir: dir, threads: 1 });
    await assert.rejects(session.run(swapperFeeds(2)), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FF_MODEL_INPUT_MISMATCH');
      assert.match(e.message, /"target" got \[2,3,32,32\], the model wants \[1,3,32,32\]/);
      return true;
    });
    await session.dispose();
  });

  test('batchify: a fixed-batch model runs batches after a proven rewrite, cached for the next open', async () => {
    const { fixed, dir } = await modelsFolder();
    const logs: string[] = [];
    const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) };
    const first = await openModel(fixed, { modelsDir: dir, threads: 1, batchify: true, log });
    assert.deepEqual(first.applied, ['batchify']);
    assert.match(logs.join('\n'), /made and proved a dynamic-batch rewrite/);
    const batched = await first.run(swapperFeeds(3, 5));
    assert.deepEqual(batched['output']?.dims, [3, 3, 32, 32]);
    await first.dispose();

    const cached = (await readdir(join(dir, 'cache'))).filter((f) => f.endsWith('.onnx'));
    assert.equal(cached.length, 1);
    const second = await openModel(fixed, { modelsDir: dir, threads: 1, batchify: true, log });
    assert.match(logs.join('\n'), /using the cached dynamic-batch rewrite/);
    const again = await second.run(swapperFeeds(3, 5));
    assert.deepEqual(again['output']?.data, batched['output']?.data);
    await second.dispose();
  });

  test('a missing manifest model fails with the pull command', async () => {
    const { dir } = await modelsFolder();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'manifest.json'), await (await import('node:fs/promises')).readFile('models/manifest.json'));
    await assert.rejects(openModel('inswapper_128', { modelsDir: dir }), (e: Error & { code?: string; fix?: string }) => {
      assert.equal(e.code, 'FF_MODEL_MISSING');
      assert.equal(e.fix, 'run: framefuse models pull inswapper_128');
      return true;
    });
  });
});

describe('SessionPool', () => {
  test('the same file and options share one session; it closes with its last user', async () => {
    const { dynamic, dir } = await modelsFolder();
    const pool = new SessionPool();
    const a = await pool.acquire(dynamic, { modelsDir: dir, threads: 1 });
    const b = await pool.acquire(dynamic, { modelsDir: dir, threads: 1 });
    const c = await pool.acquire(dynamic, { modelsDir: dir, threads: 2 });
    assert.equal(pool.size, 2);
    await a.run(swapperFeeds(1));
    assert.equal(b.runs, 1, 'a and b are one session');
    await a.dispose();
    assert.equal(pool.size, 2);
    await b.dispose();
    assert.equal(pool.size, 1);
    await c.dispose();
    assert.equal(pool.size, 0);
  });
});
