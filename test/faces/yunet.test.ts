/**
 * YuNet on real pictures: the two photos, faces and robots in the Tears of Steel clip, and
 * batched detection against frame-by-frame detection. Boxes labelled by hand are the
 * visible face (hairline or brow to chin, cheek to cheek), looked up on the pictures.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { detectFaces } from '../../src/faces/yunet/yunet.js';
import { openYunet } from '../../src/faces/yunet/model.js';
import { iou as boxIou } from '../../src/faces/detect/iou.js';
import type { Box } from '../../src/faces/detect/iou.js';
import { getTools } from '../../src/media/ffmpeg-tools.js';
import { loadImage } from '../../src/media/load-image.js';
import type { ModelSession } from '../../src/runtime/model-session.js';
import type { Face, Frame } from '../../src/model/port-values.js';

const CLIP = 'samples/tears_of_steel_clip01_640x360.mp4';
const run = promisify(execFile);

/** Frames of the clip by index (24 fps), decoded in one ffmpeg pass; `indices` ascending. */
async function clipFrames(indices: number[]): Promise<Frame[]> {
  assert.deepEqual(indices, [...indices].sort((a, b) => a - b), 'ffmpeg returns frames in stream order');
  const select = indices.map((n) => `eq(n\\,${n})`).join('+');
  const { stdout } = await run(
    getTools().ffmpeg.path,
    ['-v', 'error', '-i', CLIP, '-vf', `select='${select}'`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 1 << 28 },
  );
  const size = 640 * 360 * 3;
  assert.equal(stdout.length, size * indices.length, 'ffmpeg returned every selected frame');
  return indices.map((_, i) => ({ width: 640, height: 360, data: new Uint8Array(stdout.buffer, stdout.byteOffset + i * size, size) }));
}

function assertPlausibleLandmarks(face: Face): void {
  const [rightEye, leftEye, nose, rightMouth, leftMouth] = face.landmarks;
  assert.ok(rightEye && leftEye && nose && rightMouth && leftMouth, 'five landmarks');
  // The subject's right eye is on the image's left.
  assert.ok(rightEye.x < leftEye.x && rightMouth.x < leftMouth.x, 'right-side points left of left-side points');
  assert.ok(Math.max(rightEye.y, leftEye.y) < nose.y && nose.y < Math.min(rightMouth.y, leftMouth.y), 'eyes above nose above mouth');
  for (const p of face.landmarks) assert.ok(p.x > face.box.x1 && p.x < face.box.x2 && p.y > face.box.y1 && p.y < face.box.y2, 'points inside the box');
}

let dir: string;
let yunet: ModelSession;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ff-yunet-'));
  // A fresh cache: this also proves the batchify rewrite of the shipped file from scratch.
  yunet = await openYunet({ modelsDir: 'models', cacheDir: dir, threads: 2 });
});
after(async () => {
  await yunet.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('the shipped model opens batchified', () => {
  assert.deepEqual(yunet.applied, ['free-size', 'batchify']);
  assert.equal(typeof yunet.inputs[0]?.dims?.[0], 'string');
});

const PHOTOS: { file: string; face: Box }[] = [
  { file: 'test/fixtures/images/astronaut.png', face: { x1: 180, y1: 75, x2: 272, y2: 177 } },
  { file: 'test/fixtures/images/fr_obama.jpg', face: { x1: 372, y1: 100, x2: 610, y2: 405 } },
];

for (const photo of PHOTOS) {
  test(`finds the one face in ${photo.file}`, async () => {
    const [faces] = await detectFaces(yunet, [await loadImage(photo.file)]);
    assert.equal(faces?.length, 1, `one face above the default threshold, got ${JSON.stringify(faces)}`);
    const face = faces[0]!;
    const iou = boxIou(face.box, photo.face);
    console.log(`# ${photo.file}: IoU ${iou.toFixed(3)}, score ${face.score.toFixed(3)}`);
    assert.ok(iou >= 0.5, `IoU ${iou.toFixed(3)} with the hand-labelled box`);
    assert.ok(face.score > 0.85, `score ${face.score}`);
    assertPlausibleLandmarks(face);
  });
}

test('the clip: the man with glasses at 4.5 s, nothing on robot frames', async () => {
  // Frame 108 = 4.5 s. Robot frames, looked at one by one: 0, 2 (the robot's two eye
  // lights give the highest non-face score in the clip, 0.63), 12, 192 and 204.
  const [robot0, robot2, robot12, glasses, robot192, robot204] = await clipFrames([0, 2, 12, 108, 192, 204]);
  const [found] = await detectFaces(yunet, [glasses!]);
  assert.equal(found?.length, 1, JSON.stringify(found));
  const iou = boxIou(found[0]!.box, { x1: 405, y1: 20, x2: 519, y2: 177 });
  console.log(`# clip 4.5 s: IoU ${iou.toFixed(3)}, score ${found[0]!.score.toFixed(3)}`);
  assert.ok(iou >= 0.5, `IoU ${iou.toFixed(3)}`);
  assertPlausibleLandmarks(found[0]!);
  const onRobots = await detectFaces(yunet, [robot0!, robot2!, robot12!, robot192!, robot204!]);
  assert.deepEqual(onRobots.map((f) => f.length), [0, 0, 0, 0, 0], JSON.stringify(onRobots));
});

test('a batch of 8 gives the same faces as one frame at a time', async () => {
  // The bridge (small face), the man with glasses, a robot, the woman: mixed counts.
  const frames = await clipFrames([24, 40, 80, 108, 150, 192, 228, 239]);
  const started = performance.now();
  const batched = await detectFaces(yunet, frames, { batchSize: 8 });
  const batchedMs = performance.now() - started;
  const single: Face[][] = [];
  const startedSingle = performance.now();
  for (const frame of frames) single.push(...(await detectFaces(yunet, [frame])));
  const singleMs = performance.now() - startedSingle;
  console.log(`# YuNet 8 frames: batch of 8 ${batchedMs.toFixed(0)} ms, one by one ${singleMs.toFixed(0)} ms`);
  assert.equal(batched.length, 8);
  assert.ok(batched.filter((f) => f.length > 0).length >= 6, 'faces found on the face frames');
  batched.forEach((faces, i) => {
    assert.equal(faces.length, single[i]!.length, `frame ${i}: face count`);
    faces.forEach((face, j) => {
      const other = single[i]![j]!;
      for (const key of ['x1', 'y1', 'x2', 'y2'] as const) assert.ok(Math.abs(face.box[key] - other.box[key]) < 0.01, `frame ${i} face ${j} ${key}`);
      assert.ok(Math.abs(face.score - other.score) < 1e-4);
    });
  });
});
