/**
 * Upscaling with the converted ESRGAN-slim: UpscalerJS's own published samples are
 * reproduced, tiles join without seams, and the PSNR of x2 on downscaled photos is
 * measured against bicubic and bilinear upscaling.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESRGAN_PACKAGE } from '../../src/importers/tfjs/esrgan-slim.js';
import { findPackage } from '../../src/importers/tfjs/package-dir.js';
import { ensurePrepared } from '../../src/importers/tfjs/prepare.js';
import { loadImage } from '../../src/media/load-image.js';
import { openModel } from '../../src/runtime/model-session.js';
import type { ModelSession } from '../../src/runtime/model-session.js';
import type { Image } from '../../src/model/port-values.js';
import { upscaleImages } from '../../src/upscale/esrgan.js';

let modelsDir: string;
const sessions = new Map<number, ModelSession>();
async function esrgan(scale: number): Promise<ModelSession> {
  let session = sessions.get(scale);
  if (!session) {
    session = await openModel(await ensurePrepared(`esrgan_x${scale}`, modelsDir), { threads: 2 });
    sessions.set(scale, session);
  }
  return session;
}
before(() => {
  modelsDir = mkdtempSync(join(tmpdir(), 'ff-esrgan-'));
});
after(async () => {
  for (const s of sessions.values()) await s.dispose();
  rmSync(modelsDir, { recursive: true, force: true });
});

function crop(image: Image, x0: number, y0: number, size: number): Image {
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) data.set(image.data.subarray(((y0 + y) * image.width + x0) * 3, ((y0 + y) * image.width + x0 + size) * 3), y * size * 3);
  return { width: size, height: size, data };
}

function psnr(a: Image, b: Image): number {
  assert.deepEqual([a.width, a.height], [b.width, b.height]);
  let se = 0;
  for (let i = 0; i < a.data.length; i++) se += (a.data[i]! - b.data[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (se / a.data.length));
}

/** Keys cubic (a = -0.5), as MATLAB's imresize and PIL use. */
function cubic(x: number): number {
  const t = Math.abs(x);
  if (t < 1) return (1.5 * t - 2.5) * t * t + 1;
  if (t < 2) return ((-0.5 * t + 2.5) * t - 4) * t + 2;
  return 0;
}
function linear(x: number): number {
  return Math.max(0, 1 - Math.abs(x));
}

/**
 * Separable resampling with pixel-centre alignment; when shrinking, the kernel is widened
 * by the factor (antialiasing, as MATLAB's imresize does when making the standard SR test
 * sets).
 */
function resize(image: Image, width: number, height: number, kernel: (x: number) => number, radius: number): Image {
  const taps = (inSize: number, outSize: number) =>
    Array.from({ length: outSize }, (_, o) => {
      const ratio = inSize / outSize;
      const stretch = Math.max(ratio, 1);
      const centre = (o + 0.5) * ratio;
      const list: [number, number][] = [];
      for (let i = Math.floor(centre - radius * stretch); i <= Math.ceil(centre + radius * stretch); i++) {
        const w = kernel((i + 0.5 - centre) / stretch);
        if (w !== 0) list.push([Math.min(Math.max(i, 0), inSize - 1), w]);
      }
      const total = list.reduce((s, [, w]) => s + w, 0);
      return list.map(([i, w]) => [i, w / total] as [number, number]);
    });
  const tx = taps(image.width, width);
  const ty = taps(image.height, height);
  const rows = new Float32Array(width * image.height * 3);
  for (let y = 0; y < image.height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) {
    rows[(y * width + x) * 3 + c] = tx[x]!.reduce((s, [i, w]) => s + w * image.data[(y * image.width + i) * 3 + c]!, 0);
  }
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) {
    data[(y * width + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(ty[y]!.reduce((s, [i, w]) => s + w * rows[(i * width + x) * 3 + c]!, 0))));
  }
  return { width, height, data };
}

test('reproduces the samples UpscalerJS publishes for this package (x2, x3, x4)', async () => {
  const assets = join(findPackage(ESRGAN_PACKAGE).dir, 'assets');
  const fixture = await loadImage(join(assets, 'fixture.png'));
  for (const scale of [2, 3, 4]) {
    const expected = await loadImage(join(assets, 'samples', `${scale}x`, 'result.png'));
    const [got] = await upscaleImages(await esrgan(scale), [fixture]);
    assert.deepEqual([got!.width, got!.height], [expected.width, expected.height]);
    let worst = 0;
    for (let i = 0; i < got!.data.length; i++) worst = Math.max(worst, Math.abs(got!.data[i]! - expected.data[i]!));
    console.log(`# x${scale} vs UpscalerJS's result.png: max diff ${worst}, PSNR ${psnr(got!, expected).toFixed(1)} dB`);
    assert.ok(worst <= 1, `x${scale}: max diff ${worst} levels (rounding only)`);
  }
});

test('tiles join without seams: a tiled run equals a whole-image run', async () => {
  const photo = crop(await loadImage('test/fixtures/images/astronaut.png'), 150, 60, 96);
  const model = await esrgan(2);
  const [whole] = await upscaleImages(model, [photo], { tile: 128 });
  const [tiled] = await upscaleImages(model, [photo, photo], { tile: 40, overlap: 12, batchSize: 7 });
  let worst = 0;
  for (let i = 0; i < whole!.data.length; i++) worst = Math.max(worst, Math.abs(whole!.data[i]! - tiled!.data[i]!));
  assert.ok(worst <= 1, `max diff ${worst}`);
});

test('x2 PSNR on downscaled photos: well above bilinear, about bicubic', async () => {
  const astronaut = await loadImage('test/fixtures/images/astronaut.png');
  const obama = await loadImage('test/fixtures/images/fr_obama.jpg');
  for (const [name, original] of [['astronaut (128,128)', crop(astronaut, 128, 128, 256)], ['fr_obama face (327,100)', crop(obama, 327, 100, 256)]] as const) {
    const small = resize(original, 128, 128, cubic, 2);
    const [upscaled] = await upscaleImages(await esrgan(2), [small]);
    const scores = {
      esrgan: psnr(upscaled!, original),
      bicubic: psnr(resize(small, 256, 256, cubic, 2), original),
      bilinear: psnr(resize(small, 256, 256, linear, 1), original),
    };
    console.log(`# ${name} x2 PSNR: esrgan ${scores.esrgan.toFixed(2)} dB, bicubic ${scores.bicubic.toFixed(2)} dB, bilinear ${scores.bilinear.toFixed(2)} dB`);
    // Measured here: ESRGAN-slim x2 lands 0.2-0.4 dB under antialiased bicubic (it does not beat it,
    // see docs/models.md) and 0.5-1 dB over bilinear; broken weights or a wrong range fall far below both.
    assert.ok(scores.esrgan > scores.bilinear + 0.3, JSON.stringify(scores));
    assert.ok(scores.esrgan > scores.bicubic - 0.6, JSON.stringify(scores));
  }
});
