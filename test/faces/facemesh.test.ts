/**
 * FaceMesh, converted from the TFLite model packed in @mediapipe/face_mesh, on the real
 * photos: eye and mouth points land in the hand-labelled regions, a rotated face gives the
 * same points (the crop turns with the eyes), and batches match single runs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectBlazeFace, openBlazeFace } from '../../src/faces/blazeface/blazeface.js';
import { FACEMESH_INDEX, FACEMESH_POINTS } from '../../src/faces/facemesh/points.js';
import { landmarkFaces, openFaceMesh, runFaceMesh } from '../../src/faces/facemesh/facemesh.js';
import type { Face, Frame, Point } from '../../src/model/port-values.js';
import type { Box } from '../../src/faces/detect/iou.js';
import type { ModelSession } from '../../src/runtime/model-session.js';
import { preparedModelsDir } from '../tflite/helpers.js';
import { inside, loadPhoto, PHOTOS } from '../tflite/fixtures.js';

let detector: ModelSession;
let mesh: ModelSession;
const photos = new Map<'astronaut' | 'obama', { frame: Frame; face: Face }>();

before(async () => {
  const modelsDir = await preparedModelsDir();
  detector = await openBlazeFace('short', { modelsDir, threads: 2 });
  mesh = await openFaceMesh({ modelsDir, threads: 2 });
  for (const name of ['astronaut', 'obama'] as const) {
    const frame = await loadPhoto(name);
    const [faces] = await detectBlazeFace(detector, [frame]);
    photos.set(name, { frame, face: faces![0]! });
  }
});
after(async () => {
  await detector.dispose();
  await mesh.dispose();
});

for (const name of ['astronaut', 'obama'] as const) {
  test(`${name}: eye corners, eye centres and mouth corners fall inside the labelled regions`, async () => {
    const { frame, face } = photos.get(name)!;
    const [result] = await runFaceMesh(mesh, [{ frame, face }]);
    const labels = PHOTOS[name];
    const i = FACEMESH_INDEX;
    const check = (p: Point, region: Box, what: string) => assert.ok(inside(p, region), `${what} at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}) outside ${JSON.stringify(region)}`);
    assert.equal(result!.mesh.length, FACEMESH_POINTS);
    assert.ok(result!.presence > 0.9, `presence ${result!.presence}`);
    check(result!.mesh[i.rightEyeOuter]!, labels.rightEye, 'right eye outer corner');
    check(result!.mesh[i.rightEyeInner]!, labels.rightEye, 'right eye inner corner');
    check(result!.mesh[i.leftEyeInner]!, labels.leftEye, 'left eye inner corner');
    check(result!.mesh[i.leftEyeOuter]!, labels.leftEye, 'left eye outer corner');
    check(result!.mesh[i.rightMouthCorner]!, labels.mouth, 'right mouth corner');
    check(result!.mesh[i.leftMouthCorner]!, labels.mouth, 'left mouth corner');
    const [rightEye, leftEye, nose, rightMouth, leftMouth] = result!.landmarks;
    check(rightEye!, labels.rightEye, 'five-point right eye');
    check(leftEye!, labels.leftEye, 'five-point left eye');
    check(rightMouth!, labels.mouth, 'five-point right mouth');
    check(leftMouth!, labels.mouth, 'five-point left mouth');
    assert.ok(nose!.y > rightEye!.y && nose!.y < rightMouth!.y, 'the nose tip lies between the eyes and the mouth');
  });
}

/** The frame turned 90 degrees clockwise, and the map of points into it. */
function rotateClockwise(frame: Frame): { frame: Frame; map: (p: Point) => Point } {
  const { width, height, data } = frame;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Pixel (x, y) goes to (height - 1 - y, x) in a frame `height` wide.
      const o = (x * height + (height - 1 - y)) * 3;
      const s = (y * width + x) * 3;
      out[o] = data[s]!;
      out[o + 1] = data[s + 1]!;
      out[o + 2] = data[s + 2]!;
    }
  }
  return { frame: { width: height, height: width, data: out }, map: (p) => ({ x: height - p.y, y: p.x }) };
}

test('a face turned 90 degrees gives the same points: the crop is rotated so the eyes are level', async () => {
  const { frame, face } = photos.get('obama')!;
  const turned = rotateClockwise(frame);
  const corners = [
    { x: face.box.x1, y: face.box.y1 },
    { x: face.box.x2, y: face.box.y2 },
  ].map(turned.map);
  const turnedFace: Face = {
    ...face,
    box: { x1: Math.min(...corners.map((p) => p.x)), y1: Math.min(...corners.map((p) => p.y)), x2: Math.max(...corners.map((p) => p.x)), y2: Math.max(...corners.map((p) => p.y)) },
    landmarks: face.landmarks.map(turned.map),
  };
  const [upright, rotated] = await runFaceMesh(mesh, [
    { frame, face },
    { frame: turned.frame, face: turnedFace },
  ]);
  let worst = 0;
  upright!.mesh.forEach((p, k) => {
    const q = turned.map(p);
    worst = Math.max(worst, Math.hypot(q.x - rotated!.mesh[k]!.x, q.y - rotated!.mesh[k]!.y));
  });
  // The face is ~240 px wide; resampling differs between the two, so allow a couple of pixels.
  assert.ok(worst < 3, `largest difference ${worst.toFixed(2)} px`);
});

test('landmarkFaces batches crops from several frames and matches one-at-a-time runs', async () => {
  const a = photos.get('astronaut')!;
  const b = photos.get('obama')!;
  const batched = await landmarkFaces(mesh, [a.frame, b.frame, a.frame], [[a.face], [b.face], []]);
  const single = [await landmarkFaces(mesh, [a.frame], [[a.face]]), await landmarkFaces(mesh, [b.frame], [[b.face]])];
  assert.deepEqual(batched[2], []);
  for (const [i, one] of single.entries()) {
    const got = batched[i]![0]!;
    const want = one[0]![0]!;
    assert.equal(got.mesh!.length, FACEMESH_POINTS);
    got.mesh!.forEach((p, k) => assert.ok(Math.hypot(p.x - want.mesh![k]!.x, p.y - want.mesh![k]!.y) < 1e-3, `face ${i} point ${k}`));
    assert.deepEqual(got.box, want.box);
    assert.notDeepEqual(got.landmarks, [a, b][i]!.face.landmarks, 'the five points are replaced by the measured ones');
  }
});
