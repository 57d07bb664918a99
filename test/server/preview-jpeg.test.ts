/** The preview encoder: a baseline JPEG that a real decoder (ffmpeg) reads back close to the input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { encodeJpeg } from '../../server/preview/jpeg-encode.js';
import { downscaleFrame } from '../../server/preview/downscale.js';
import { getTools } from '../../src/media/ffmpeg-tools.js';

function gradient(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = 128 + 100 * Math.sin(x / 5);
    }
  }
  return { width, height, data };
}

test('encodeJpeg writes a JPEG that ffmpeg decodes to the same picture (size not a multiple of 8)', () => {
  // Arrange
  const frame = gradient(61, 35);
  // Act
  const jpeg = encodeJpeg(frame, 90);
  // Assert
  assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
  const decoded = spawnSync(getTools().ffmpeg.path, ['-v', 'error', '-f', 'jpeg_pipe', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { input: jpeg });
  assert.equal(decoded.status, 0, decoded.stderr.toString());
  assert.equal(decoded.stdout.length, 61 * 35 * 3);
  let error = 0;
  for (let i = 0; i < frame.data.length; i++) error += Math.abs(decoded.stdout[i]! - frame.data[i]!);
  assert.ok(error / frame.data.length < 4, `mean absolute error ${error / frame.data.length}`);
});

test('downscaleFrame keeps the aspect ratio and averages', () => {
  const frame = { width: 4, height: 2, data: new Uint8Array([0, 0, 0, 100, 100, 100, 10, 10, 10, 30, 30, 30, 0, 0, 0, 100, 100, 100, 10, 10, 10, 30, 30, 30]) };
  const small = downscaleFrame(frame, 2);
  assert.deepEqual([small.width, small.height], [2, 1]);
  assert.deepEqual([...small.data], [50, 50, 50, 20, 20, 20]);
});
