import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadManifest, parseManifest, findModel } from '../../src/models/manifest.js';
import { sha256File } from '../../src/models/file-hash.js';

describe('models/manifest.json', () => {
  test('validates against its schema and lists the face-swap family', async () => {
    const manifest = await loadManifest('models/manifest.json');
    const ids = manifest.models.map((m) => m.id);
    for (const id of ['inswapper_128', 'inswapper_128_fp16', 'arcface_w600k_r50', 'gfpgan_1.4', 'codeformer', 'real_esrgan_x2', 'real_esrgan_x4', 'scrfd_2.5g', 'yoloface_8n', 'yunet_2023mar']) {
      assert.ok(ids.includes(id), `${id} is listed`);
    }
    const swapper = findModel(manifest, 'inswapper_128')!;
    assert.deepEqual(swapper.inputs.map((i) => [i.name, i.shape]), [['target', [1, 3, 128, 128]], ['source', [1, 512]]]);
    assert.equal(swapper.template, 'arcface_128');
    assert.ok(swapper.hashUrls.every((u) => u.endsWith('.hash')));
    for (const model of manifest.models) {
      if (model.urls.length === 0) continue;
      assert.ok(model.urls.every((u) => u.startsWith('https://')), `${model.id} downloads over https`);
    }
  });

  test("YuNet's recorded sha256 is the fixture file's", async () => {
    const manifest = await loadManifest('models/manifest.json');
    const yunet = findModel(manifest, 'yunet_2023mar')!;
    assert.equal(yunet.sha256, await sha256File('models/yunet_s_640_640.onnx'));
  });

  test('a broken manifest lists every problem with its path', async () => {
    const data = JSON.parse(await readFile('models/manifest.json', 'utf8'));
    data.models[2].sha256 = 'abc';
    delete data.models[3].inputs;
    assert.throws(() => parseManifest(data), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FF_MANIFEST_INVALID');
      assert.match(e.message, /models\.2\.sha256/);
      assert.match(e.message, /models\.3\.inputs/);
      return true;
    });
  });

  test('a duplicate id is refused', async () => {
    const data = JSON.parse(await readFile('models/manifest.json', 'utf8'));
    data.models[1].id = data.models[0].id;
    assert.throws(() => parseManifest(data), /models\.1: duplicate id inswapper_128/);
  });
});
