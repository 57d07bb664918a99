/**
 * A face half outside the frame: crops replicate the border, paste-back is clipped to the
 * frame, and the composed chain still matches the nodes one by one. Library level, on the
 * astronaut photo shifted so the face's left half is cut off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadImage } from '../../src/media/load-image.js';
import { openYunet } from '../../src/faces/yunet/model.js';
import { detectFaces } from '../../src/faces/yunet/yunet.js';
import { openModel } from '../../src/runtime/model-session.js';
import { swapFaces } from '../../src/faces/swap/swap-faces.js';
import { enhanceFaces } from '../../src/faces/enhance/enhance-faces.js';
import { faceChainFiles } from '../../src/faces/fusion/composed-chain-file.js';
import { runFaceChain } from '../../src/faces/fusion/fused-chain.js';
import { boxMaskFor } from '../../src/faces/swap/swapper-params.js';
import { defaultModelsDir } from '../../src/models/paths.js';
import type { Face, Frame } from '../../src/model/port-values.js';
import { writeFaceModels } from './face-models.js';
import { ASTRONAUT } from './swap-graph.js';
import { difference, faceRegionMask } from './frame-compare.js';

/** The image moved `dx` pixels left (the vacated columns black), and the face with it. */
function shiftLeft(image: Frame, face: Face, dx: number): { frame: Frame; face: Face } {
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++) data.set(image.data.subarray((y * image.width + dx) * 3, (y + 1) * image.width * 3), y * image.width * 3);
  const move = (p: { x: number; y: number }) => ({ x: p.x - dx, y: p.y });
  const { x1, y1, x2, y2 } = face.box;
  return { frame: { width: image.width, height: image.height, data }, face: { ...face, box: { x1: x1 - dx, y1, x2: x2 - dx, y2 }, landmarks: face.landmarks.map(move) } };
}

test('a face cut by the frame edge is swapped and enhanced, composed or not, inside the frame only', async () => {
  const models = writeFaceModels();
  const modelsDir = defaultModelsDir();
  const image = await loadImage(ASTRONAUT);
  const yunet = await openYunet({ modelsDir });
  const [[face]] = (await detectFaces(yunet, [image])) as [[Face]];
  await yunet.dispose();
  // The face's box starts near x = 180: move it 220 px left, so its left part is gone.
  const { frame, face: edgeFace } = shiftLeft(image, face, 220);
  assert.ok(edgeFace.box.x1 < 0 && edgeFace.landmarks[0]!.x < 20, JSON.stringify(edgeFace.box));
  const original = frame.data.slice();

  const swapper = await openModel(models.swapper, { modelsDir, batchify: true });
  const enhancer = await openModel(models.gfpgan, { modelsDir, batchify: true });
  const source = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i) / 16);
  const swapMask = boxMaskFor(128, { maskBlur: 0.3, maskPadding: [0, 0, 0, 0] });
  const faceMask = boxMaskFor(512, { maskBlur: 0.3, maskPadding: [0, 0, 0, 0] });
  const [swapped] = await swapFaces(swapper, [frame], [[edgeFace]], source, { weight: 1, mask: swapMask });
  const [stepwise] = await enhanceFaces(enhancer, [swapped!], [[edgeFace]], { blend: 0.8, mask: faceMask, fidelity: 0.5 });

  const files = await faceChainFiles({ swapper: models.swapper, enhancer: models.gfpgan }, { modelsDir, cwd: process.cwd() }, { deviceGlue: false, strategy: 'composed' });
  const chain = await openModel(files.parts[0]!.file, { modelsDir });
  const [composed] = await runFaceChain(chain, files.inputs, [frame], [[edgeFace]], {
    source,
    swapWeight: 1,
    blend: 0.8,
    fidelity: 0.5,
    swapMask,
    faceMask,
  });
  await Promise.all([swapper.dispose(), enhancer.dispose(), chain.dispose()]);

  assert.deepEqual(frame.data, original, 'the input frame is not changed');
  const region = faceRegionMask(frame, [edgeFace]);
  // The visible part of the face changed; everything outside its crop region did not.
  const atEdge = difference(composed!, frame, (p) => p % frame.width < 40 && region[p] === 1);
  assert.ok(atEdge.mean > 5, `the face at the edge changed: ${JSON.stringify(atEdge)}`);
  assert.equal(difference(composed!, frame, (p) => region[p] === 0).max, 0);
  assert.equal(difference(stepwise!, frame, (p) => region[p] === 0).max, 0);
  const d = difference(composed!, stepwise!, (p) => region[p] === 1);
  assert.ok(d.max <= 12 && d.mean <= 2, `composed vs node by node at the edge: ${JSON.stringify(d)}`);
});
