/**
 * The face chain on WebGPU with its crops and paste-back on the device, against the host
 * path (crops and paste-back in JavaScript, one linked model on the CPU provider). Both
 * strategies (one linked model; a session per part chained on the device) must agree with
 * it. Tolerance: at most 2 levels, 0.15 on average over the face's crop region; measured on
 * lavapipe: 1 level at most, 0.06 on average, for both strategies. The device samples the
 * crops in float32 where the host uses float64, does not round the face to 8 bits before
 * pasting, and rounds once after all faces instead of after each one.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadImage } from '../../src/media/load-image.js';
import { openYunet } from '../../src/faces/yunet/model.js';
import { detectFaces } from '../../src/faces/yunet/yunet.js';
import { openModel } from '../../src/runtime/model-session.js';
import { SessionChain } from '../../src/runtime/session-chain.js';
import { faceChainFiles } from '../../src/faces/fusion/composed-chain-file.js';
import { pasteGlueFiles } from '../../src/faces/fusion/glue-files.js';
import { GLUE } from '../../src/faces/fusion/device-glue.js';
import { runFaceChain, type ChainSettings } from '../../src/faces/fusion/fused-chain.js';
import { runFaceChainOnDevice } from '../../src/faces/fusion/fused-chain-device.js';
import { boxMaskFor } from '../../src/faces/swap/swapper-params.js';
import { defaultModelsDir } from '../../src/models/paths.js';
import type { Face, Frame } from '../../src/model/port-values.js';
import { writeFaceModels, type FaceModelFiles } from '../swap/face-models.js';
import { ASTRONAUT } from '../swap/swap-graph.js';
import { difference, faceRegionMask } from '../swap/frame-compare.js';
import { requireWebGpu } from './webgpu.js';

const MAX_LEVELS = 2;
const MEAN_LEVELS = 0.15;

/** The image moved `dx` pixels left (the vacated columns black), and the face with it. */
function shiftLeft(image: Frame, face: Face, dx: number): { frame: Frame; face: Face } {
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++) data.set(image.data.subarray((y * image.width + dx) * 3, (y + 1) * image.width * 3), y * image.width * 3);
  const move = (p: { x: number; y: number }) => ({ x: p.x - dx, y: p.y });
  const { x1, y1, x2, y2 } = face.box;
  return { frame: { width: image.width, height: image.height, data }, face: { ...face, box: { x1: x1 - dx, y1, x2: x2 - dx, y2 }, landmarks: face.landmarks.map(move) } };
}

describe('the face chain on the device: crops, chain and paste-back on WebGPU', () => {
  let models: FaceModelFiles;
  const modelsDir = defaultModelsDir();
  let frames: Frame[];
  let faces: Face[][];
  let expected: Frame[];
  let settings: ChainSettings;

  before(async () => {
    await requireWebGpu();
    models = writeFaceModels();
    const image = await loadImage(ASTRONAUT);
    const yunet = await openYunet({ modelsDir });
    const [[face]] = (await detectFaces(yunet, [image])) as [[Face]];
    await yunet.dispose();
    // Three frames: the face whole; the face cut by the left edge; no face at all.
    const edge = shiftLeft(image, face, 220);
    const blank: Frame = { width: image.width, height: image.height, data: new Uint8Array(image.data.length).fill(40) };
    frames = [image, edge.frame, blank];
    faces = [[face], [edge.face], []];
    settings = {
      source: Float32Array.from({ length: 512 }, (_, i) => Math.sin(i) / 16),
      swapWeight: 1,
      blend: 0.8,
      fidelity: 0.5,
      swapMask: boxMaskFor(128, { maskBlur: 0.3, maskPadding: [0, 0, 0, 0] }),
      faceMask: boxMaskFor(512, { maskBlur: 0.3, maskPadding: [0, 0, 0, 0] }),
    };
    const host = await faceChainFiles({ swapper: models.swapper, enhancer: models.gfpgan }, { modelsDir, cwd: process.cwd() }, { deviceGlue: false, strategy: 'composed' });
    const session = await openModel(host.parts[0]!.file, { modelsDir, threads: 2 });
    expected = await runFaceChain(session, host.inputs, frames, faces, settings);
    await session.dispose();
  });

  for (const strategy of ['chained', 'composed'] as const) {
    test(`${strategy}: every frame matches the host path, the faceless frame is passed on as it came`, async () => {
      const files = await faceChainFiles({ swapper: models.swapper, enhancer: models.gfpgan }, { modelsDir, cwd: process.cwd() }, { deviceGlue: true, strategy });
      assert.equal(files.parts.length, strategy === 'chained' ? 6 : 1);
      const glue = await pasteGlueFiles(modelsDir);
      const chain = await SessionChain.open(
        [
          ...files.parts.map((p) => ({ name: p.name, file: p.file, deviceOutputs: p.outputs })),
          { name: 'paste', file: glue.paste, deviceOutputs: [GLUE.pasted] },
          { name: 'download', file: glue.download },
        ],
        { providers: ['webgpu'] },
      );
      try {
        assert.equal(chain.provider, 'webgpu');
        const before = frames.map((f) => f.data.slice());
        const actual = await runFaceChainOnDevice({ chain, core: files.parts.map((p) => p.name) }, files.inputs, frames, faces, settings);
        frames.forEach((f, i) => assert.deepEqual(f.data, before[i], `input frame ${i} is not changed`));
        assert.equal(actual[2], frames[2], 'the frame without faces is the same object, never uploaded');
        for (const i of [0, 1]) {
          const region = faceRegionMask(frames[i]!, faces[i]!);
          const inside = difference(actual[i]!, expected[i]!, (p) => region[p] === 1);
          assert.ok(inside.max <= MAX_LEVELS && inside.mean <= MEAN_LEVELS, `frame ${i}, device vs host inside the face: ${JSON.stringify(inside)}`);
          assert.equal(difference(actual[i]!, frames[i]!, (p) => region[p] === 0).max, 0, `frame ${i}: nothing outside the face's crop region changed`);
          assert.ok(difference(actual[i]!, frames[i]!, (p) => region[p] === 1).mean > 2, `frame ${i}: the face did change`);
        }
      } finally {
        await chain.dispose();
      }
    });
  }
});
