import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { checkModelPresent, modelBytes, resolveModel } from '../../src/models/paths.js';
import { listPreparers, registerPreparer, runPreparers } from '../../src/models/preparers.js';

describe('model resolution', () => {
  test('a node check reports a missing model with the exact pull command, and nothing once it is there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-paths-'));
    await copyFile('models/manifest.json', join(dir, 'manifest.json'));
    const problems = await checkModelPresent('gfpgan_1.4', dir, 'model');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'FF_MODEL_MISSING');
    assert.equal(problems[0]?.param, 'model');
    assert.match(problems[0]?.message ?? '', /run: framefuse models pull gfpgan_1\.4/);

    await copyFile('models/yunet_s_640_640.onnx', join(dir, 'yunet_s_640_640.onnx'));
    assert.deepEqual(await checkModelPresent('yunet_2023mar', dir, 'model'), []);
    assert.equal((await resolveModel('yunet_2023mar', dir)).entry?.id, 'yunet_2023mar');
  });

  test('modelBytes: the file when present, else the size the manifest records, else 0; never throws', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-paths-'));
    const manifest = JSON.parse(readFileSync('models/manifest.json', 'utf8')) as { models: { id: string; size: number | null }[] };
    manifest.models.find((m) => m.id === 'gfpgan_1.4')!.size = 348_632_874;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await copyFile('models/yunet_s_640_640.onnx', join(dir, 'yunet_s_640_640.onnx'));
    assert.equal(await modelBytes('yunet_2023mar', dir), statSync('models/yunet_s_640_640.onnx').size, 'the file');
    assert.equal(await modelBytes('gfpgan_1.4', dir), 348_632_874, 'not downloaded: the manifest size');
    assert.equal(await modelBytes('inswapper_128', dir), 0, 'not downloaded, size unknown');
    assert.equal(await modelBytes('no_such_model', dir), 0);
    assert.equal(await modelBytes(join(dir, 'missing.onnx'), dir), 0);
    assert.equal(await modelBytes(join(dir, 'yunet_s_640_640.onnx'), dir), statSync('models/yunet_s_640_640.onnx').size, 'a path');
  });

  test('an unknown id is a user error listing the known ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-paths-'));
    await copyFile('models/manifest.json', join(dir, 'manifest.json'));
    await assert.rejects(resolveModel('inswapper', dir), (e: Error & { code?: string; fix?: string }) => {
      assert.equal(e.code, 'FF_MODEL_UNKNOWN');
      assert.match(e.fix ?? '', /inswapper_128/);
      return true;
    });
  });
});

describe('model preparers', () => {
  test('registered preparers run in order; a failing one does not stop the rest; ids are unique', async () => {
    const before = listPreparers().length;
    registerPreparer({ id: 'test-ok', description: 'writes nothing', outputs: [], prepare: async () => ({ written: ['a.onnx'] }) });
    registerPreparer({ id: 'test-fails', description: 'fails', outputs: [], prepare: async () => { throw new Error('no tflite here'); } });
    assert.equal(listPreparers().length, before + 2);
    assert.throws(() => registerPreparer({ id: 'test-ok', description: '', outputs: [], prepare: async () => ({ written: [] }) }), /already registered/);
    const outcomes = await runPreparers({ modelsDir: '/nonexistent', force: false, log: () => {} }, ['test-fails', 'test-ok']);
    assert.deepEqual(outcomes.map((o) => [o.id, o.ok]), [['test-ok', true], ['test-fails', false]]);
    assert.equal(outcomes[1]?.error, 'no tflite here');
  });
});
