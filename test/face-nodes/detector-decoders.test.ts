/**
 * The decoders of the canvas detectors. SCRFD and YOLOFace run as generated models with
 * their real output signatures (constant outputs placing faces at chosen anchors) through
 * the Detector's own code path, against boxes computed by hand. RetinaFace runs as the
 * real shipped model on the photos and the clip.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDetector } from '../../src/faces/detectors/open-detector.js';
import { retinaFacePriors, decodeRetinaFace } from '../../src/faces/retinaface/decode.js';
import { iou } from '../../src/faces/detect/iou.js';
import { loadImage } from '../../src/media/load-image.js';
import type { Face, Frame } from '../../src/model/port-values.js';
import { scrfdLike, yolofaceLike } from './generated-detectors.js';
import { clipFrames, DETECT_DEFAULTS } from './face-helpers.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ff-decoders-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A 1280x720 frame: letterboxed onto 640x640 at scale 0.5, so canvas pixels x2 = frame pixels. */
const FRAME: Frame = { width: 1280, height: 720, data: new Uint8Array(1280 * 720 * 3) };

function rounded(face: Face) {
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return { box: [face.box.x1, face.box.y1, face.box.x2, face.box.y2].map(r), score: r(face.score), landmarks: face.landmarks.map((p) => [r(p.x), r(p.y)]) };
}

test('SCRFD: anchors, distances and keypoints in strides; NMS keeps the best of two overlapping boxes', async () => {
  const model = join(dir, 'scrfd_like.onnx');
  writeFileSync(model, scrfdLike((stride, scores, boxes, kps) => {
    if (stride === 16) {
      // Row 10, column 20 of the 40x40 grid, second anchor: centre (320, 160) on the canvas.
      const a = (10 * 40 + 20) * 2 + 1;
      scores[a] = 0.9;
      boxes.set([2, 3, 4, 5], a * 4);
      kps.set([-1, -1, 1, -1, 0, 0, -1, 1, 1, 1], a * 10);
      // Its neighbour, weaker and overlapping: suppressed.
      scores[a - 1] = 0.8;
      boxes.set([2, 3, 4, 4], (a - 1) * 4);
    }
    if (stride === 32) {
      // Row 2, column 3: centre (96, 64); below the threshold 0.5.
      scores[(2 * 20 + 3) * 2] = 0.4;
    }
    if (stride === 8) {
      // Row 0, column 1, first anchor: centre (8, 0), a small face at the top edge.
      scores[2] = 0.6;
      boxes.set([1, 1, 1, 1], 2 * 4);
    }
  }));
  const detector = await openDetector('scrfd_2.5g', { modelsDir: 'models', modelPath: model, threads: 1, cacheDir: dir });
  const [faces = [], again = []] = await detector.detect([FRAME, FRAME], DETECT_DEFAULTS);
  await detector.dispose();
  assert.deepEqual(faces.map(rounded), [
    {
      // Canvas box (320-32, 160-48, 320+64, 160+80) = (288, 112, 384, 240), x2 for the frame.
      box: [576, 224, 768, 480],
      score: 0.9,
      landmarks: [[608, 288], [672, 288], [640, 320], [608, 352], [672, 352]],
    },
    // Canvas (0, -8, 16, 8): clamped to the frame's top.
    { box: [0, 0, 32, 16], score: 0.6, landmarks: [[16, 0], [16, 0], [16, 0], [16, 0], [16, 0]] },
  ]);
  assert.deepEqual(again.map(rounded), faces.map(rounded), 'each image of the batch decodes its own share');
});

test('YOLOFace: centre, size, score and three values per keypoint, channel-major', async () => {
  const model = join(dir, 'yoloface_like.onnx');
  writeFileSync(model, yolofaceLike((t) => {
    const set = (row: number, p: number, v: number) => (t[row * 8400 + p] = v);
    const p = 1234;
    [100, 200, 50, 60, 0.95].forEach((v, row) => set(row, p, v));
    [[90, 190], [110, 190], [100, 200], [92, 215], [108, 215]].forEach(([x, y], k) => {
      set(5 + 3 * k, p, x!);
      set(6 + 3 * k, p, y!);
      set(7 + 3 * k, p, 0.99);
    });
    set(4, 8399, 0.3); // below the threshold
  }));
  const detector = await openDetector('yoloface_8n', { modelsDir: 'models', modelPath: model, threads: 1, cacheDir: dir });
  const [faces = []] = await detector.detect([FRAME], DETECT_DEFAULTS);
  await detector.dispose();
  assert.deepEqual(faces.map(rounded), [
    { box: [150, 340, 250, 460], score: 0.95, landmarks: [[180, 380], [220, 380], [200, 400], [184, 430], [216, 430]] },
  ]);
});

test('RetinaFace priors: level, row, column, min size order; decoding with variances 0.1 and 0.2', () => {
  const priors = retinaFacePriors(640, 640);
  assert.equal(priors.length / 4, 16800);
  // Level 0 (step 8), row 1, column 2, second min size (32).
  assert.deepEqual([...priors.subarray(165 * 4, 166 * 4)], [20, 12, 32, 32]);
  // First prior of level 1 (step 16): after 80*80*2.
  assert.deepEqual([...priors.subarray(12800 * 4, 12801 * 4)], [8, 8, 64, 64]);
  const loc = new Float32Array(16800 * 4);
  const conf = new Float32Array(16800 * 2).fill(0);
  const landmarks = new Float32Array(16800 * 10);
  for (let p = 0; p < 16800; p++) conf[p * 2] = 1;
  conf[165 * 2] = 0.1;
  conf[165 * 2 + 1] = 0.9;
  loc.set([1, -1, Math.log(2) / 0.2, 0], 165 * 4);
  landmarks.set([1, 1, 0, 0, 0, 0, 0, 0, -1, -1], 165 * 10);
  const [face, ...rest] = decodeRetinaFace({ loc, conf, landmarks }, priors, 0, 1, 0.5);
  assert.equal(rest.length, 0);
  // Centre (20 + 0.1*32, 12 - 0.1*32) = (23.2, 8.8); size (64, 32).
  assert.ok(face);
  assert.ok(Math.abs(face.box.x1 - (23.2 - 32)) < 1e-4 && Math.abs(face.box.y2 - (8.8 + 16)) < 1e-4);
  assert.ok(Math.abs(face.score - 0.9) < 1e-6);
  assert.ok(Math.abs(face.landmarks[0]!.x - 23.2) < 1e-4 && Math.abs(face.landmarks[4]!.y - 8.8) < 1e-4);
});

test('RetinaFace (shipped, MIT) finds the faces of the photos and of the clip at 4.5 s, batched', async () => {
  const detector = await openDetector('retinaface', { modelsDir: 'models', threads: 2, cacheDir: dir });
  const photos = await Promise.all(['astronaut.png', 'fr_obama.jpg'].map((f) => loadImage(`test/fixtures/images/${f}`)));
  const [clip] = await clipFrames(108, 109);
  const frames = [photos[0]!, photos[1]!, clip!];
  const batched = await detector.detect(frames, DETECT_DEFAULTS);
  const single: Face[][] = [];
  for (const f of frames) single.push(...(await detector.detect([f], DETECT_DEFAULTS)));
  await detector.dispose();
  // Hand-labelled boxes (as in test/faces/yunet.test.ts).
  const labels = [
    { x1: 180, y1: 75, x2: 272, y2: 177 },
    { x1: 372, y1: 100, x2: 610, y2: 405 },
    { x1: 405, y1: 20, x2: 519, y2: 177 },
  ];
  batched.forEach((faces, i) => {
    assert.equal(faces.length, 1, `one face in picture ${i}`);
    const f = faces[0]!;
    assert.ok(iou(f.box, labels[i]!) > 0.7, `picture ${i}: IoU ${iou(f.box, labels[i]!).toFixed(2)}`);
    assert.ok(f.score > 0.9);
    const [re, le, nose, rm, lm] = f.landmarks;
    assert.ok(re!.x < le!.x && rm!.x < lm!.x && Math.max(re!.y, le!.y) < nose!.y && nose!.y < Math.min(rm!.y, lm!.y), `picture ${i}: landmarks in face order`);
    const s = single[i]![0]!;
    assert.ok(Math.abs(s.box.x1 - f.box.x1) < 0.01 && Math.abs(s.box.y2 - f.box.y2) < 0.01, 'batch of 4 (padded) == one at a time');
  });
});
