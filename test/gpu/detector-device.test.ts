/**
 * Detectors on WebGPU letterbox on the device (the frames go in as bytes): the faces they
 * find must be the ones the CPU path finds from its host-made canvas: the astronaut (512x512,
 * scaled up onto the canvas), Obama (955x1200, scaled down), and both in one batch (frames
 * of two sizes, letterboxed in two runs).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadImage } from '../../src/media/load-image.js';
import { openDetector, type FaceDetector } from '../../src/faces/detectors/open-detector.js';
import { isLetterboxed } from '../../src/faces/detect/device-letterbox.js';
import { defaultModelsDir } from '../../src/models/paths.js';
import type { Face, Frame } from '../../src/model/port-values.js';
import { requireWebGpu } from './webgpu.js';
import { DETECT_DEFAULTS } from '../face-nodes/face-helpers.js';

/** Within a pixel: the canvases differ only in float rounding (bilinear on the device in float32). */
const PIXELS = 1.0;

function assertSameFaces(actual: Face[], expected: Face[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: ${actual.length} faces on the device, ${expected.length} on the host`);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    for (const k of ['x1', 'y1', 'x2', 'y2'] as const) assert.ok(Math.abs(a.box[k] - e.box[k]) <= PIXELS, `${label} face ${i} ${k}: ${a.box[k]} vs ${e.box[k]}`);
    a.landmarks.forEach((p, j) => assert.ok(Math.hypot(p.x - e.landmarks[j]!.x, p.y - e.landmarks[j]!.y) <= PIXELS, `${label} face ${i} point ${j}`));
    assert.ok(Math.abs(a.score - e.score) <= 0.01, `${label} face ${i} score ${a.score} vs ${e.score}`);
  });
}

for (const model of ['yunet', 'retinaface'] as const) {
  describe(`${model}: letterboxed on the device, the same faces as on the host`, () => {
    let cpu: FaceDetector;
    let gpu: FaceDetector;
    let pictures: Frame[];

    before(async () => {
      await requireWebGpu();
      const modelsDir = defaultModelsDir();
      cpu = await openDetector(model, { modelsDir, providers: ['cpu'], threads: 2 });
      gpu = await openDetector(model, { modelsDir, providers: ['webgpu'] });
      pictures = [await loadImage('test/fixtures/images/astronaut.png'), await loadImage('test/fixtures/images/fr_obama.jpg')];
    });
    after(async () => {
      await cpu?.dispose();
      await gpu?.dispose();
    });

    test('the session takes frames and runs on webgpu', () => {
      assert.equal(gpu.session.provider, 'webgpu');
      assert.ok(isLetterboxed(gpu.session));
      assert.deepEqual(gpu.session.inputs.map((i) => i.name), ['frames', 'lb_size', 'lb_pads']);
    });

    test('each picture on its own', async () => {
      for (const [i, picture] of pictures.entries()) {
        const [expected] = await cpu.detect([picture], DETECT_DEFAULTS);
        const [actual] = await gpu.detect([picture], DETECT_DEFAULTS);
        assert.ok(expected!.length >= 1, `picture ${i} has a face`);
        assertSameFaces(actual!, expected!, `picture ${i}`);
      }
    });

    test('a batch mixing two sizes, padded, in one call', async () => {
      const batch = [pictures[0]!, pictures[0]!, pictures[1]!];
      const expected = await cpu.detect(batch, DETECT_DEFAULTS);
      const actual = await gpu.detect(batch, DETECT_DEFAULTS);
      assert.equal(actual.length, 3);
      actual.forEach((faces, i) => assertSameFaces(faces, expected[i]!, `batch item ${i}`));
    });
  });
}
