/**
 * The face nodes through the real scheduler on the real clip.
 *
 *   golden:   [Decoder] -> [Batcher 4] -> [Detector yunet] -> [Anonymizer] -> [Encoder lossless]
 *                                    \_________________________/
 *   no faces: [Decoder robot frames] -> [Detector] -> [Anonymizer] -> (frames sink)
 *             [Decoder] ------------------------------------------> (frames sink)
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDetector, type FaceDetector } from '../../src/faces/detectors/open-detector.js';
import { anonymizeFrame } from '../../src/faces/anonymize/anonymize-frame.js';
import { regionMask } from '../../src/faces/anonymize/face-region.js';
import type { GraphDocument } from '../../src/model/document.js';
import type { Face, Frame } from '../../src/model/port-values.js';
import { decodeAll } from '../media/media-helpers.js';
import { CLIP, clipFrames, DETECT_DEFAULTS, graph, runGraph, type Collected } from './face-helpers.js';

let dir: string;
let yunet: FaceDetector;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ff-anon-graph-'));
  yunet = await openDetector('yunet', { modelsDir: 'models', threads: 2 });
});
after(async () => {
  await yunet.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Whether pixel (x, y) has any coverage from any face's region. */
function coveredBy(faces: readonly Face[], width: number, height: number, options: Parameters<typeof regionMask>[3]): Uint8Array {
  const covered = new Uint8Array(width * height);
  for (const f of faces) {
    const m = regionMask(f, width, height, options);
    if (!m) continue;
    for (let row = 0; row < m.height; row++) for (let col = 0; col < m.width; col++) if (m.alpha[row * m.width + col]! > 0) covered[(m.y + row) * width + m.x + col] = 1;
  }
  return covered;
}

test('golden: graphs/anonymize.json blurs the faces YuNet finds and leaves every other pixel exact', async () => {
  const doc = JSON.parse(readFileSync('graphs/anonymize.json', 'utf8')) as GraphDocument;
  const out = join(dir, 'anonymized.mkv');
  const node = (id: string) => doc.nodes.find((n) => n.id === id)!;
  // Frames 100-115 (4.2-4.8 s): the man with glasses.
  node('decoder').params = { ...node('decoder').params, start: 100, end: 116 };
  node('encoder').params = { ...node('encoder').params, path: out, quality: 100, pixelFormat: 'rgb24', preset: 'ultrafast' };
  const outputs = await runGraph(doc);
  assert.equal((outputs.encoder as { path: string }).path, out);

  const written = (await decodeAll({ path: out })).frames;
  const original = await clipFrames(100, 116);
  assert.equal(written.length, 16);
  const faces = await yunet.detect(original, { ...DETECT_DEFAULTS, maxFaces: 20 });
  assert.ok(faces.filter((f) => f.length > 0).length >= 14, `faces in ${faces.filter((f) => f.length > 0).length} of 16 frames`);
  const options = node('anonymizer').params as { padding: number; shape: 'ellipse'; feather: number; strength: number };
  const region = { padding: options.padding, shape: options.shape, feather: options.feather };
  let coveredPixels = 0;
  let changedInside = 0;
  let offByMoreThanOne = 0;
  written.forEach((frame, i) => {
    const before = original[i]!;
    const covered = coveredBy(faces[i]!, 640, 360, region);
    const expected = anonymizeFrame(before, faces[i]!, { mode: 'blur', strength: options.strength, ...region });
    for (let p = 0; p < 640 * 360; p++) {
      const o = p * 3;
      if (!covered[p]) {
        // Outside every face region: exactly the decoded input.
        if (frame.data[o] !== before.data[o] || frame.data[o + 1] !== before.data[o + 1] || frame.data[o + 2] !== before.data[o + 2]) {
          assert.fail(`frame ${100 + i}: pixel ${p % 640},${Math.floor(p / 640)} outside the faces changed`);
        }
        continue;
      }
      coveredPixels++;
      if (frame.data[o] !== before.data[o] || frame.data[o + 1] !== before.data[o + 1] || frame.data[o + 2] !== before.data[o + 2]) changedInside++;
      for (let c = 0; c < 3; c++) if (Math.abs(frame.data[o + c]! - expected.data[o + c]!) > 1) offByMoreThanOne++;
    }
  });
  assert.ok(coveredPixels > 16 * 5000, `${coveredPixels} covered pixels`);
  assert.ok(changedInside / coveredPixels > 0.9, `${changedInside} of ${coveredPixels} covered pixels changed`);
  // The pipeline's batched detection against this test's own: same faces, same blur.
  assert.ok(offByMoreThanOne / (coveredPixels * 3) < 0.001, `${offByMoreThanOne} values differ from the library's result by more than 1`);
  // The detail inside the faces is gone: mean absolute horizontal gradient over the middle
  // of each face box (inset by 20% per side, inside the ellipse) drops by more than 80%. (A blurred head keeps its shape: YuNet still scores it
  // about 0.7 instead of 0.92, so "no detection" would be the wrong test.)
  const detail = (frame: Frame, f: Face): number => {
    let sum = 0;
    let n = 0;
    const w = f.box.x2 - f.box.x1;
    const h = f.box.y2 - f.box.y1;
    for (let y = Math.ceil(f.box.y1 + 0.2 * h); y < Math.floor(f.box.y2 - 0.2 * h); y++) {
      for (let x = Math.ceil(f.box.x1 + 0.2 * w); x < Math.floor(f.box.x2 - 0.2 * w) - 1; x++) {
        const o = (y * 640 + x) * 3;
        for (let c = 0; c < 3; c++) sum += Math.abs(frame.data[o + c + 3]! - frame.data[o + c]!);
        n += 3;
      }
    }
    return sum / n;
  };
  written.forEach((frame, i) => {
    for (const f of faces[i]!) {
      const ratio = detail(frame, f) / detail(original[i]!, f);
      assert.ok(ratio < 0.2, `frame ${100 + i}: detail kept ${(ratio * 100).toFixed(0)}%`);
    }
  });
});

test('frames without faces (the robot, 8.0-8.5 s) pass through untouched', async () => {
  const doc = graph(
    [
      ['decoder', 'Decoder', { path: CLIP, start: 192, end: 204 }],
      ['detector', 'Detector', {}],
      ['anonymizer', 'Anonymizer', { mode: 'pixelate' }],
      ['faces', 'FaceTestFaces'],
      ['out', 'FaceTestFrames'],
      ['original', 'FaceTestFrames'],
    ],
    ['decoder.frames -> detector.frames', 'decoder.frames -> anonymizer.frames', 'detector.faces -> anonymizer.faces', 'detector.faces -> faces.faces', 'anonymizer.frames -> out.frames', 'decoder.frames -> original.frames'],
  );
  const outputs = await runGraph(doc);
  const faces = outputs.faces as Collected['faces'];
  const out = outputs.out as Collected['frames'];
  const original = outputs.original as Collected['frames'];
  assert.deepEqual(faces.faces.map((f) => f.length), new Array(12).fill(0));
  assert.equal(out.frames.length, 12);
  out.frames.forEach((f: Frame, i) => assert.deepEqual(f.data, original.frames[i]!.data, `frame ${192 + i}`));
});
