/**
 * BlazeFace, converted from MediaPipe's TFLite files, on the project's real photos and
 * clip: the labelled faces are found (IoU >= 0.5), nothing else is, robot frames give no
 * face, and a batch of 8 frames gives the same boxes as one frame at a time.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectBlazeFace, openBlazeFace } from '../../src/faces/blazeface/blazeface.js';
import type { BlazeFaceVariant } from '../../src/faces/blazeface/blazeface.js';
import { iou } from '../../src/faces/detect/iou.js';
import type { ModelSession } from '../../src/runtime/model-session.js';
import { preparedModelsDir } from '../tflite/helpers.js';
import { CLIP, clipFrameAt, clipFrames, inside, loadPhoto, PHOTOS } from '../tflite/fixtures.js';

const sessions = new Map<BlazeFaceVariant, ModelSession>();
const session = (v: BlazeFaceVariant) => sessions.get(v)!;

before(async () => {
  const modelsDir = await preparedModelsDir();
  for (const v of ['short', 'full'] as const) sessions.set(v, await openBlazeFace(v, { modelsDir, threads: 2 }));
});
after(async () => {
  for (const s of sessions.values()) await s.dispose();
});

for (const variant of ['short', 'full'] as const) {
  for (const name of ['astronaut', 'obama'] as const) {
    test(`${variant} range finds the one face in ${name} (IoU >= 0.5 with the hand label), eyes and mouth inside it`, async () => {
      const frame = await loadPhoto(name);
      const [faces] = await detectBlazeFace(session(variant), [frame], { variant });
      assert.equal(faces!.length, 1, JSON.stringify(faces));
      const face = faces![0]!;
      const overlap = iou(face.box, PHOTOS[name].face);
      assert.ok(overlap >= 0.5, `IoU ${overlap.toFixed(3)} for ${JSON.stringify(face.box)}`);
      assert.ok(inside(face.keypoints[0]!, PHOTOS[name].rightEye), `right eye ${JSON.stringify(face.keypoints[0])}`);
      assert.ok(inside(face.keypoints[1]!, PHOTOS[name].leftEye), `left eye ${JSON.stringify(face.keypoints[1])}`);
      assert.ok(inside(face.keypoints[3]!, PHOTOS[name].mouth), `mouth ${JSON.stringify(face.keypoints[3])}`);
      assert.equal(face.landmarks.length, 5);
    });
  }

  test(`${variant} range finds the man with glasses at t=4.5 s and no face on the robot frames`, async () => {
    const [faces] = await detectBlazeFace(session(variant), [await clipFrameAt(4.5)], { variant });
    const best = faces!.map((f) => iou(f.box, CLIP.manAt4_5)).sort((a, b) => b - a)[0] ?? 0;
    assert.ok(best >= 0.5, `best IoU ${best.toFixed(3)} among ${JSON.stringify(faces!.map((f) => f.box))}`);
    for (const t of CLIP.robotTimes) {
      const [robot] = await detectBlazeFace(session(variant), [await clipFrameAt(t)], { variant });
      assert.deepEqual(robot, [], `t=${t} s: ${JSON.stringify(robot)}`);
    }
  });

  test(`${variant} range: a batch of 8 frames gives the same faces as one frame at a time`, async () => {
    // One frame per second from 0.5 s: robots, the man on the bridge, the man with glasses.
    const frames = await clipFrames(0.5, 8, 1);
    // A low threshold so the comparison covers weak candidates too.
    const options = { variant, scoreThreshold: 0.2 };
    const batched = await detectBlazeFace(session(variant), frames, options);
    const single: Awaited<ReturnType<typeof detectBlazeFace>> = [];
    for (const frame of frames) single.push(...(await detectBlazeFace(session(variant), [frame], options)));
    assert.equal(batched.length, 8);
    assert.ok(batched.flat().length >= 8, `only ${batched.flat().length} candidates: the comparison would be weak`);
    batched.forEach((faces, i) => {
      assert.equal(faces.length, single[i]!.length, `frame ${i}`);
      faces.forEach((f, k) => {
        const g = single[i]![k]!;
        for (const key of ['x1', 'y1', 'x2', 'y2'] as const) assert.ok(Math.abs(f.box[key] - g.box[key]) < 1e-3, `frame ${i} face ${k} ${key}: ${f.box[key]} vs ${g.box[key]}`);
        assert.ok(Math.abs(f.score - g.score) < 1e-5);
      });
    });
  });
}
