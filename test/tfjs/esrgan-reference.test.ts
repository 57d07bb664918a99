/**
 * The converted ESRGAN-slim models against TensorFlow.js itself (pure-JS CPU backend,
 * model loaded from the same files with tf.io.fromMemory) on crops of a real photo.
 * Inputs stay small: tfjs's JS kernels take about a second for a 32x32 x2 run.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import ort from 'onnxruntime-node';
import { convertLayersModel } from '../../src/importers/tfjs/convert.js';
import { ESRGAN_PACKAGE, ESRGAN_SOURCES } from '../../src/importers/tfjs/esrgan-slim.js';
import { findPackage } from '../../src/importers/tfjs/package-dir.js';
import { readLayersModelFiles, weightsOf } from '../../src/importers/tfjs/read-files.js';
import { loadImage } from '../../src/media/load-image.js';
import type { Image } from '../../src/model/port-values.js';

let photo: Image;
before(async () => {
  await tf.setBackend('cpu');
  photo = await loadImage('test/fixtures/images/astronaut.png');
});

/** NHWC float crops (0..255) of the photo, one after another. */
function crops(corners: [number, number][], side: number): Float32Array {
  const out = new Float32Array(corners.length * side * side * 3);
  corners.forEach(([x0, y0], b) => {
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) for (let c = 0; c < 3; c++) {
      out[((b * side + y) * side + x) * 3 + c] = photo.data[((y0 + y) * photo.width + x0 + x) * 3 + c]!;
    }
  });
  return out;
}

function nhwcToNchw(data: Float32Array, [n, h, w, c]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n!; b++) for (let y = 0; y < h!; y++) for (let x = 0; x < w!; x++) for (let k = 0; k < c!; k++) {
    out[((b * c! + k) * h! + y) * w! + x] = data[((b * h! + y) * w! + x) * c! + k]!;
  }
  return out;
}

const CASES = [
  { scale: 2, side: 32, corners: [[200, 90], [300, 300]] as [number, number][] },
  { scale: 3, side: 16, corners: [[210, 100]] as [number, number][] },
  { scale: 4, side: 16, corners: [[210, 100]] as [number, number][] },
  { scale: 8, side: 16, corners: [[210, 100]] as [number, number][] },
];

for (const { scale, side, corners } of CASES) {
  test(`esrgan x${scale}: ONNX matches TF.js within 1e-4 of the output range (batch ${corners.length}, ${side}x${side})`, async () => {
    const source = ESRGAN_SOURCES.find((s) => s.scale === scale)!;
    const files = await readLayersModelFiles(join(findPackage(ESRGAN_PACKAGE).dir, source.modelJson));
    const converted = convertLayersModel(files.model, weightsOf(files), { file: files.files[0]!.path });
    assert.equal(converted.scale, scale);
    const input = crops(corners, side);
    const dims = [corners.length, side, side, 3];

    const session = await ort.InferenceSession.create(converted.bytes, { intraOpNumThreads: 1, logSeverityLevel: 3 });
    const onnx = (await session.run({ input: new ort.Tensor('float32', nhwcToNchw(input, dims), [dims[0]!, 3, side, side]) }))['output']!;
    await session.release();

    const weightData = new Uint8Array(files.shards.flat().reduce((n, s) => n + s.bytes.byteLength, 0));
    let at = 0;
    for (const s of files.shards.flat()) {
      weightData.set(s.bytes, at);
      at += s.bytes.byteLength;
    }
    const reference = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: files.model.modelTopology as never, weightSpecs: files.model.weightsManifest.flatMap((g) => g.weights) as never, weightData: weightData.buffer }),
    );
    const started = performance.now();
    const x = tf.tensor4d(input, dims as [number, number, number, number]);
    const y = reference.predict(x) as tf.Tensor;
    const expected = nhwcToNchw(y.dataSync() as Float32Array, y.shape);
    const tfjsMs = performance.now() - started;
    tf.dispose([x, y]);
    reference.dispose();

    assert.deepEqual(onnx.dims, [corners.length, 3, side * scale, side * scale]);
    let maxDiff = 0;
    let maxRef = 0;
    const got = onnx.data as Float32Array;
    for (let i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(got[i]! - expected[i]!));
      maxRef = Math.max(maxRef, Math.abs(expected[i]!));
    }
    console.log(`# esrgan x${scale}: max |onnx - tfjs| ${maxDiff.toExponential(2)} on 0..255 (${(maxDiff / 255).toExponential(2)} of the range), max |out| ${maxRef.toFixed(1)}, tfjs ${tfjsMs.toFixed(0)} ms`);
    assert.ok(maxRef > 100, 'a real picture, not zeros');
    // 1e-4 on the 0..1 scale of the output range; float32 rounding at 255 alone is 1.5e-5 per value.
    assert.ok(maxDiff / 255 <= 1e-4, `max diff ${maxDiff}`);
    assert.ok(maxDiff <= 2e-3, `max diff ${maxDiff} on 0..255`);
  });
}
