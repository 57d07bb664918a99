/**
 * Tracking between detection frames on synthetic sequences: ids stay with their face,
 * boxes move on at the measured velocity, points move with the box, and the schedule
 * does not depend on how frames are batched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaceTracker, pointInMovedBox } from '../../src/faces/detect/face-tracker.js';
import { DetectionSchedule } from '../../src/faces/detect/detection-schedule.js';
import { selectFaces } from '../../src/faces/detect/select-faces.js';
import { embeddingDistance, normalizeEmbedding } from '../../src/faces/embedding/embedding-distance.js';
import type { Face } from '../../src/model/port-values.js';
import { DETECTOR_DEFAULTS } from './face-helpers.js';

/** A face whose box is (x, y, x+w, y+w) with the five points at fixed fractions of it. */
function face(x: number, y: number, w = 40, score = 0.9): Face {
  const at = (fx: number, fy: number) => ({ x: x + fx * w, y: y + fy * w });
  return { box: { x1: x, y1: y, x2: x + w, y2: y + w }, score, landmarks: [at(0.3, 0.4), at(0.7, 0.4), at(0.5, 0.6), at(0.35, 0.8), at(0.65, 0.8)] };
}

test('schedule: the first frame and every N-th after it, whatever the batch sizes', () => {
  const byOne = new DetectionSchedule(3);
  const one = Array.from({ length: 10 }, () => byOne.next(1)[0]);
  const byFour = new DetectionSchedule(3);
  const four = [...byFour.next(4), ...byFour.next(4), ...byFour.next(2)];
  assert.deepEqual(one, [true, false, false, true, false, false, true, false, false, true]);
  assert.deepEqual(four, one);
});

test('two faces moving in opposite directions keep their ids across detections; carried boxes follow the velocity', () => {
  //   frame:      0        1..3 (carried)      4
  //   face A:  x=100  ->  +5 px per frame  ->  x=120
  //   face B:  x=400  ->  -5 px per frame  ->  x=380
  const tracker = new FaceTracker({ matchIou: DETECTOR_DEFAULTS.matchIou });
  const first = tracker.update([face(100, 50), face(400, 60)]);
  assert.deepEqual(first.map((f) => f.trackId), [1, 2]);
  // No velocity yet: carried boxes stay put.
  assert.equal(tracker.carry(640, 360)[0]!.box.x1, 100);
  for (let i = 2; i < 4; i++) tracker.carry(640, 360);
  // Detections arrive in the other order: matching is by overlap, not by position in the list.
  const second = tracker.update([face(380, 60), face(120, 50)]);
  assert.deepEqual(second.map((f) => f.trackId), [2, 1]);
  // Velocity measured over the 4 frames since the last detection: +-5 px per frame.
  const carried = [1, 2, 3].map(() => tracker.carry(640, 360));
  assert.deepEqual(carried.map((faces) => faces.map((f) => [f.trackId, f.box.x1])), [
    [[2, 375], [1, 125]],
    [[2, 370], [1, 130]],
    [[2, 365], [1, 135]],
  ]);
  // The points moved with the box: the right eye stays at 30%/40% of it.
  const a = carried[2]!.find((f) => f.trackId === 1)!;
  assert.deepEqual(a.landmarks[0], { x: 135 + 0.3 * 40, y: 50 + 0.4 * 40 });
});

test('a new face gets a new id, a face that is not found again ends its track, ids are never reused', () => {
  const tracker = new FaceTracker({ matchIou: DETECTOR_DEFAULTS.matchIou });
  tracker.update([face(100, 100)]);
  const next = tracker.update([face(300, 100), face(102, 101)]);
  assert.deepEqual(next.map((f) => f.trackId), [2, 1]);
  const after = tracker.update([face(302, 100)]);
  assert.deepEqual(after.map((f) => f.trackId), [2]);
  assert.deepEqual(tracker.carry(640, 360).map((f) => f.trackId), [2]);
  const back = tracker.update([face(100, 100)]);
  assert.deepEqual(back.map((f) => f.trackId), [3], 'the face at 100 left and came back: a new track');
});

test('a carried face is clipped at the frame edge and its track ends once it has left the frame', () => {
  const tracker = new FaceTracker({ matchIou: DETECTOR_DEFAULTS.matchIou });
  tracker.update([face(560, 100)]);
  tracker.update([face(580, 100)]); // +20 px per frame
  const edge = tracker.carry(640, 360)[0]!;
  assert.deepEqual(edge.box, { x1: 600, y1: 100, x2: 640, y2: 140 });
  assert.equal(edge.landmarks[1]!.x, 600 + 0.7 * 40);
  const clipped = tracker.carry(640, 360)[0]!;
  assert.deepEqual(clipped.box, { x1: 620, y1: 100, x2: 640, y2: 140 });
  assert.equal(clipped.landmarks[1]!.x, 620 + 0.7 * 40, 'points keep their place on the face, even outside the frame');
  assert.deepEqual(tracker.carry(640, 360), []);
  assert.deepEqual(tracker.carry(640, 360), []);
});

test('points map between boxes by shift and scale', () => {
  const p = pointInMovedBox({ x: 15, y: 30 }, { x1: 10, y1: 20, x2: 20, y2: 40 }, { x1: 100, y1: 200, x2: 120, y2: 210 });
  assert.deepEqual(p, { x: 110, y: 205 });
});

test('selectors: many keeps all, one the largest, reference those within the distance', () => {
  const small = { ...face(0, 0, 20), embedding: Float32Array.from([1, 0, 0]) };
  const large = { ...face(100, 0, 60), embedding: Float32Array.from([0, 1, 0]) };
  const near = { ...face(200, 0, 30), embedding: Float32Array.from([0.9, 0.1, 0]) };
  const faces = [small, large, near];
  assert.equal(selectFaces(faces, { selector: 'many' }).length, 3);
  assert.deepEqual(selectFaces(faces, { selector: 'one' }), [large]);
  assert.deepEqual(selectFaces([], { selector: 'one' }), []);
  const reference = Float32Array.from([2, 0, 0]);
  assert.deepEqual(selectFaces(faces, { selector: 'reference', reference, maxDistance: 0.1 }), [small, near]);
  assert.deepEqual(selectFaces(faces, { selector: 'reference', reference, maxDistance: 0.001 }), [small]);
  assert.deepEqual(selectFaces(faces, { selector: 'reference', reference, maxDistance: 1 }), faces);
  assert.throws(() => selectFaces(faces, { selector: 'reference' }));
  assert.ok(Math.abs(embeddingDistance(Float32Array.from([1, 1]), Float32Array.from([-2, -2])) - 2) < 1e-6);
  assert.deepEqual([...normalizeEmbedding(Float32Array.from([3, 4]))].map((v) => Math.round(v * 10) / 10), [0.6, 0.8]);
});
