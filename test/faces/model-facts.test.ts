/**
 * Model facts declared once: the face code's pre- and post-processing take colour order and
 * normalization from models/manifest.json, and every detector model has a family behind
 * the one detector interface.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputSpec, outputSpec } from '../../src/models/model-facts.js';
import { normalizationOf, scaleBias, valueRange } from '../../src/faces/geometry/index.js';
import { canvasBatch } from '../../src/faces/detect/canvas-input.js';
import { DETECTORS, DETECTOR_MODELS } from '../../src/faces/detectors/detector-models.js';
import { DETECTOR_FAMILIES } from '../../src/faces/detectors/open-detector.js';
import { chainRanges } from '../../src/faces/fusion/chain-ranges.js';

test('the manifest\'s normalization becomes the one PixelNormalization', () => {
  assert.deepEqual(normalizationOf(inputSpec('retinaface_mnet025')), { order: 'bgr', mean: [104, 117, 123], std: [1, 1, 1] });
  assert.deepEqual(normalizationOf(inputSpec('scrfd_2.5g')), { order: 'rgb', mean: [127.5, 127.5, 127.5], std: [128, 128, 128] });
  assert.deepEqual(normalizationOf(inputSpec('yunet_2023mar')), { order: 'bgr', mean: [0, 0, 0], std: [1, 1, 1] });
  // Unsaid: RGB, raw values.
  assert.deepEqual(normalizationOf({}), { order: 'rgb', mean: [0, 0, 0], std: [1, 1, 1] });
  // The same numbers the code wrote by hand before: x / 127.5 - 1, exactly.
  assert.deepEqual(scaleBias(normalizationOf(inputSpec('arcface_w600k_r50'))), { scale: [1 / 127.5, 1 / 127.5, 1 / 127.5], bias: [-1, -1, -1] });
  assert.deepEqual(valueRange(normalizationOf(outputSpec('gfpgan_1.4'))), [-1, 1]);
  assert.deepEqual(chainRanges(), { swap: [0, 1], enhance: [-1, 1] });
});

test('a canvas batch follows the normalization it is given (order and per-plane mean)', () => {
  // One 1x1 frame, pure red (255, 0, 0), on a 1x1 canvas.
  const frame = { width: 1, height: 1, data: new Uint8Array([255, 0, 0]) };
  const bgr = canvasBatch([frame], 1, 1, normalizationOf(inputSpec('retinaface_mnet025')));
  assert.deepEqual([...bgr.data], [0 - 104, 0 - 117, 255 - 123], 'BGR planes minus the manifest\'s means');
  const rgb = canvasBatch([frame], 1, 1, normalizationOf(inputSpec('scrfd_2.5g')));
  assert.deepEqual([...rgb.data], [(255 - 127.5) / 128, -127.5 / 128, -127.5 / 128]);
});

test('every detector model has a manifest entry with its input\'s facts and a family behind the one interface', () => {
  for (const id of DETECTOR_MODELS) {
    const info = DETECTORS[id];
    const spec = inputSpec(info.modelId);
    assert.ok(spec.colorOrder, `${id}: the manifest gives its colour order`);
    assert.ok(spec.normalization, `${id}: the manifest gives its normalization`);
    const family = DETECTOR_FAMILIES[info.family];
    assert.equal(typeof family.open, 'function', `${id}: ${info.family} opens`);
    assert.equal(typeof family.detect, 'function', `${id}: ${info.family} detects`);
  }
  // BlazeFace has its own centred input; the others take a letterboxed canvas.
  assert.equal(DETECTOR_FAMILIES.blazeface.canvas, undefined);
  for (const name of ['yunet', 'retinaface', 'scrfd', 'yoloface'] as const) assert.ok(DETECTOR_FAMILIES[name].canvas, name);
});
