/**
 * The Detector (and Image) nodes through the real scheduler:
 *
 *   [Decoder] -> [Batcher 8 | none] -> [Detector every 3] -> (faces sink)
 *   [Image] --reference--> [Detector reference] -> (faces sink)
 *
 * plus validation (a missing pulled model names its pull command, a missing image) and
 * the bad-input cases on the library: a tiny face, a face cut by the frame edge.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { openDetector } from '../../src/faces/detectors/open-detector.js';
import { anonymizeFrame } from '../../src/faces/anonymize/anonymize-frame.js';
import { iou } from '../../src/faces/detect/iou.js';
import { isFramefuseError } from '../../src/errors.js';
import { getTools } from '../../src/media/ffmpeg-tools.js';
import { loadImage } from '../../src/media/load-image.js';
import type { Face, Frame } from '../../src/model/port-values.js';
import { CLIP, DETECT_DEFAULTS, graph, problemsOf, runGraph, type Collected } from './face-helpers.js';
import { arcfaceLike } from './generated-detectors.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ff-detector-graph-'));
  writeFileSync(join(dir, 'arcface_like.onnx'), arcfaceLike());
  // The man with glasses at frame 130, as a still for the reference selector.
  execFileSync(getTools().ffmpeg.path, ['-v', 'error', '-i', CLIP, '-vf', "select='eq(n\\,130)'", '-vsync', '0', '-frames:v', '1', join(dir, 'man.png')]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function facesOf(detector: Record<string, unknown>, range: [number, number], batch: number | null, extra: { reference?: string } = {}): Promise<Face[][]> {
  const nodes: [string, string, Record<string, unknown>?][] = [
    ['decoder', 'Decoder', { path: CLIP, start: range[0], end: range[1] }],
    ['detector', 'Detector', detector],
    ['faces', 'FaceTestFaces'],
  ];
  const edges = ['detector.faces -> faces.faces'];
  if (batch) {
    nodes.push(['batcher', 'Batcher', { size: batch }]);
    edges.push('decoder.frames -> batcher.frames', 'batcher.frames -> detector.frames');
  } else edges.push('decoder.frames -> detector.frames');
  if (extra.reference) {
    nodes.push(['reference', 'Image', { path: extra.reference }]);
    edges.push('reference.image -> detector.reference');
  }
  const outputs = await runGraph(graph(nodes, edges));
  return (outputs.faces as Collected['faces']).faces;
}

test('batch 8 == batch 1, with detection every 3 frames and tracking in between (frames 100-123)', async () => {
  const params = { every: 3 };
  const [one, eight, everyFrame] = [await facesOf(params, [100, 124], null), await facesOf(params, [100, 124], 8), await facesOf({}, [100, 124], 8)];
  assert.equal(one.length, 24);
  assert.deepEqual(eight.map((f) => f.map((x) => x.trackId)), one.map((f) => f.map((x) => x.trackId)), 'same faces, same track ids');
  one.forEach((faces, i) =>
    faces.forEach((f, k) => {
      const g = eight[i]![k]!;
      assert.ok(Math.abs(f.box.x1 - g.box.x1) < 0.01 && Math.abs(f.box.y2 - g.box.y2) < 0.01 && Math.abs(f.landmarks[2]!.x - g.landmarks[2]!.x) < 0.01, `frame ${100 + i}`);
    }),
  );
  // One man, one track, through the whole run.
  assert.ok(one.every((f) => f.length === 1), `faces per frame: ${one.map((f) => f.length).join(',')}`);
  assert.deepEqual(new Set(one.map((f) => f[0]!.trackId)), new Set([1]));
  // Carried frames (not multiples of 3 from the start) stay on the face that detection on
  // every frame finds there.
  let worst = 1;
  one.forEach((faces, i) => {
    if (i % 3 === 0) return;
    worst = Math.min(worst, iou(faces[0]!.box, everyFrame[i]![0]!.box));
  });
  assert.ok(worst > 0.75, `worst IoU of a carried box with a detected one: ${worst.toFixed(2)}`);
});

test('reference selector: the man is kept with his own face as reference, dropped with another face (generated ArcFace-like embedder)', async () => {
  const embedder = join(dir, 'arcface_like.onnx');
  const base = { selector: 'reference', embedder, referenceDistance: 0.3 };
  const same = await facesOf(base, [100, 106], 4, { reference: join(dir, 'man.png') });
  assert.deepEqual(same.map((f) => f.length), [1, 1, 1, 1, 1, 1]);
  assert.ok(same.every((f) => f[0]!.embedding?.length === 512), 'faces carry their 512-float embedding');
  const other = await facesOf(base, [100, 106], 4, { reference: 'test/fixtures/images/astronaut.png' });
  assert.deepEqual(other.map((f) => f.length), [0, 0, 0, 0, 0, 0]);
  // 'one' keeps the largest face; here the only one.
  const largest = await facesOf({ selector: 'one' }, [100, 102], null);
  assert.deepEqual(largest.map((f) => f.length), [1, 1]);
});

test('reference selector without a reference image, or with no face in it, fails before any frame flows', async () => {
  await assert.rejects(facesOf({ selector: 'reference', embedder: join(dir, 'arcface_like.onnx') }, [100, 102], null), (e: unknown) => isFramefuseError(e) && e.code === 'FF_REFERENCE_MISSING' && e.node === 'detector' && e.kind === 'user');
  const blank = join(dir, 'blank.png');
  execFileSync(getTools().ffmpeg.path, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240', '-frames:v', '1', blank]);
  await assert.rejects(facesOf({ selector: 'reference', embedder: join(dir, 'arcface_like.onnx') }, [100, 102], null, { reference: blank }), (e: unknown) => isFramefuseError(e) && e.code === 'FF_REFERENCE_NO_FACE');
});

test('validation: a pulled detector or embedder that is missing names the pull command; a missing image is FF_MEDIA_MISSING', async () => {
  const models = join(dir, 'models');
  mkdirSync(models);
  copyFileSync('models/manifest.json', join(models, 'manifest.json'));
  const doc = graph(
    [
      ['decoder', 'Decoder', { path: CLIP }],
      ['detector', 'Detector', { model: 'scrfd_2.5g', selector: 'reference' }],
      ['yolo', 'Detector', { model: 'yoloface_8n' }],
      ['reference', 'Image', { path: 'nowhere/face.png' }],
      ['faces', 'FaceTestFaces'],
      ['faces2', 'FaceTestFaces'],
    ],
    ['decoder.frames -> detector.frames', 'decoder.frames -> yolo.frames', 'reference.image -> detector.reference', 'detector.faces -> faces.faces', 'yolo.faces -> faces2.faces'],
  );
  const problems = await problemsOf(doc, models);
  const summary = problems.map((p) => [p.code, p.node, p.field]);
  assert.deepEqual(summary.sort(), [
    ['FF_MEDIA_MISSING', 'reference', 'path'],
    ['FF_MODEL_MISSING', 'detector', 'embedder'],
    ['FF_MODEL_MISSING', 'detector', 'model'],
    ['FF_MODEL_MISSING', 'yolo', 'model'],
  ]);
  const message = (node: string, field: string) => problems.find((p) => p.node === node && p.field === field)!.message;
  assert.match(message('detector', 'model'), /run: framefuse models pull scrfd_2\.5g/);
  assert.match(message('yolo', 'model'), /run: framefuse models pull yoloface_8n/);
  assert.match(message('detector', 'embedder'), /run: framefuse models pull arcface_w600k_r50/);
  // The built-in detectors need nothing: shipped, or prepared on first use.
  for (const model of ['yunet', 'retinaface', 'blazeface_short', 'blazeface_full']) {
    const ok = graph([['decoder', 'Decoder', { path: CLIP }], ['detector', 'Detector', { model }], ['faces', 'FaceTestFaces']], ['decoder.frames -> detector.frames', 'detector.faces -> faces.faces']);
    assert.deepEqual(await problemsOf(ok), [], model);
  }
});

test('a tiny face (about 6 px) is below YuNet\'s minimum: nothing is found and the frame is left as it is', async () => {
  const photo = await loadImage('test/fixtures/images/astronaut.png');
  // The 512 px photo shrunk 16x (nearest): its ~95 px face becomes ~6 px, in a grey frame.
  const frame: Frame = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 3).fill(128) };
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) frame.data[((100 + y) * 320 + 150 + x) * 3 + c] = photo.data[(y * 16 * 512 + x * 16) * 3 + c]!;
  const detector = await openDetector('yunet', { modelsDir: 'models', threads: 2 });
  const [faces = []] = await detector.detect([frame], DETECT_DEFAULTS);
  await detector.dispose();
  assert.deepEqual(faces, []);
  assert.deepEqual(anonymizeFrame(frame, faces, { mode: 'blur', padding: 0.1, shape: 'ellipse', feather: 0.2 }).data, frame.data);
});

test('a face cut by the frame edge is found with its box clamped, and only its region is anonymized', async () => {
  const photo = await loadImage('test/fixtures/images/astronaut.png');
  // Columns 210-511 of the photo: the face (x 180-272) loses its left third.
  const width = 302;
  const frame: Frame = { width, height: 512, data: new Uint8Array(width * 512 * 3) };
  for (let y = 0; y < 512; y++) frame.data.set(photo.data.subarray((y * 512 + 210) * 3, (y * 512 + 512) * 3), y * width * 3);
  const detector = await openDetector('yunet', { modelsDir: 'models', threads: 2 });
  const [faces = []] = await detector.detect([frame], { ...DETECT_DEFAULTS, scoreThreshold: 0.5 });
  await detector.dispose();
  assert.ok(faces.length >= 1, 'the cut face is found');
  const face = faces[0]!;
  assert.equal(face.box.x1, 0, 'box clamped at the left edge');
  assert.ok(iou(face.box, { x1: 0, y1: 75, x2: 62, y2: 177 }) > 0.5, `IoU with the visible part ${iou(face.box, { x1: 0, y1: 75, x2: 62, y2: 177 }).toFixed(2)}`);
  const out = anonymizeFrame(frame, [face], { mode: 'fill', color: [0, 255, 0], padding: 0, shape: 'box', feather: 0 });
  const at = (f: Frame, x: number, y: number) => [...f.data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
  assert.deepEqual(at(out, 0, Math.round((face.box.y1 + face.box.y2) / 2)), [0, 255, 0]);
  assert.deepEqual(at(out, 200, 300), at(frame, 200, 300));
});
