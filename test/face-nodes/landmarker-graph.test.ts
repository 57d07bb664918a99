/**
 *   [Decoder] -> [Detector every 2] -> [Landmarker] -> (faces sink)
 *        \______________________________/
 * The two accelerator nodes run fused in one worker stage; FaceMesh refines the man's
 * five points and adds the 468-point mesh, keeping boxes and track ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareGraph } from '../../src/run/prepare-graph.js';
import { CLIP, faceRegistry, graph, runGraph, type Collected } from './face-helpers.js';

test('Landmarker fills the mesh and refines the five points of each detected face', async () => {
  const doc = graph(
    [
      ['decoder', 'Decoder', { path: CLIP, start: 106, end: 110 }],
      ['detector', 'Detector', { every: 2 }],
      ['landmarker', 'Landmarker', {}],
      ['raw', 'FaceTestFaces'],
      ['refined', 'FaceTestFaces'],
    ],
    ['decoder.frames -> detector.frames', 'decoder.frames -> landmarker.frames', 'detector.faces -> landmarker.faces', 'detector.faces -> raw.faces', 'landmarker.faces -> refined.faces'],
  );
  const { plan } = await prepareGraph(doc, await faceRegistry(), { providers: ['cpu'] });
  assert.deepEqual(plan!.stages.find((s) => s.nodes.includes('detector'))!.nodes, ['detector', 'landmarker'], 'fused into one stage');
  const outputs = await runGraph(doc);
  const raw = (outputs.raw as Collected['faces']).faces;
  const refined = (outputs.refined as Collected['faces']).faces;
  assert.deepEqual(refined.map((f) => f.length), [1, 1, 1, 1]);
  refined.forEach((faces, i) => {
    const f = faces[0]!;
    const d = raw[i]![0]!;
    assert.equal(f.mesh?.length, 468);
    assert.deepEqual(f.box, d.box);
    assert.equal(f.trackId, d.trackId);
    assert.notDeepEqual(f.landmarks, d.landmarks, 'points replaced');
    const [re, le, nose, rm, lm] = f.landmarks;
    assert.ok(re!.x < le!.x && rm!.x < lm!.x && Math.max(re!.y, le!.y) < nose!.y && nose!.y < Math.min(rm!.y, lm!.y), 'face order');
    // Refined points stay near the detector's: eyes within 12% of the face width, nose and
    // mouth corners within 25% (the man's face is turned: the two models disagree most
    // on the far mouth corner, about 18 px of a 118 px box).
    const width = d.box.x2 - d.box.x1;
    f.landmarks.forEach((p, k) => assert.ok(Math.hypot(p.x - d.landmarks[k]!.x, p.y - d.landmarks[k]!.y) < (k < 2 ? 0.12 : 0.25) * width, `point ${k} of frame ${106 + i}`));
  });
});
