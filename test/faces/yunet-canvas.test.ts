/**
 * YuNet on the smallest canvas that fits the frame: the canvas chosen per batch, the
 * free-size model against the square-canvas model on the clip, and the fall back to the
 * square canvas for a model the rewrite does not understand.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { detectFaces, type YunetSession } from '../../src/faces/yunet/yunet.js';
import { openYunet } from '../../src/faces/yunet/model.js';
import { iou } from '../../src/faces/detect/iou.js';
import { getTools } from '../../src/media/ffmpeg-tools.js';
import { decodeModel, encodeModel } from '../../src/onnx/model-io.js';
import { openModel, type ModelSession } from '../../src/runtime/model-session.js';
import type { Frame } from '../../src/model/port-values.js';

const CLIP = 'samples/tears_of_steel_clip01_640x360.mp4';
const YUNET = 'models/yunet_s_640_640.onnx';

/** Records the input dims of each run; answers with empty outputs for the canvas it was given. */
function recordingSession(calls: number[][]): YunetSession {
  return {
    inputs: [{ name: 'input', type: 'float32', typeName: 'float32', dims: ['N', 3, 'H', 'W'] }],
    run: async (feeds) => {
      const [n = 1, , h = 0, w = 0] = feeds['input']!.dims;
      calls.push(feeds['input']!.dims);
      const outputs: Record<string, { data: Float32Array; dims: number[] }> = {};
      for (const s of [8, 16, 32]) {
        const cells = (h / s) * (w / s);
        for (const [kind, k] of [['cls', 1], ['obj', 1], ['bbox', 4], ['kps', 10]] as const) outputs[`${kind}_${s}`] = { data: new Float32Array(n * cells * k), dims: [n, cells, k] };
      }
      return outputs;
    },
  };
}

const blank = (width: number, height: number): Frame => ({ width, height, data: new Uint8Array(width * height * 3) });

test('the canvas: fit in detectionSize, aspect kept, each side up to a multiple of 32, one shape per batch', async () => {
  const calls: number[][] = [];
  const session = recordingSession(calls);
  await detectFaces(session, [blank(640, 360), blank(640, 360)]);
  await detectFaces(session, [blank(1280, 720)]);
  await detectFaces(session, [blank(360, 640)]);
  await detectFaces(session, [blank(640, 360)], { inputSize: 320 });
  await detectFaces(session, [blank(512, 512)]);
  assert.deepEqual(calls, [
    [2, 3, 384, 640],
    [1, 3, 384, 640],
    [1, 3, 640, 384],
    [1, 3, 192, 320],
    [1, 3, 640, 640],
  ]);
});

async function clipFrames(indices: number[]): Promise<Frame[]> {
  const select = indices.map((n) => `eq(n\\,${n})`).join('+');
  const { stdout } = await promisify(execFile)(
    getTools().ffmpeg.path,
    ['-v', 'error', '-i', CLIP, '-vf', `select='${select}'`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 1 << 28 },
  );
  const size = 640 * 360 * 3;
  assert.equal(stdout.length, size * indices.length);
  return indices.map((_, i) => ({ width: 640, height: 360, data: new Uint8Array(stdout.buffer, stdout.byteOffset + i * size, size) }));
}

let dir: string;
let free: ModelSession;
let square: ModelSession;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ff-yunet-canvas-'));
  free = await openYunet({ modelsDir: 'models', cacheDir: dir, threads: 2 });
  square = await openModel(YUNET, { modelsDir: 'models', cacheDir: dir, threads: 2, batchify: true });
});
after(async () => {
  await free.dispose();
  await square.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('the clip on 640x384 finds the faces it finds on 640x640 (batch of 8)', async () => {
  assert.deepEqual(free.inputs[0]?.dims, ['N', 3, 'H', 'W']);
  assert.match(free.file, /yunet_s_640_640\.onnx$/);
  // The bridge (small face), the man with glasses, a robot, the woman; faces near the bottom edge included.
  const frames = await clipFrames([24, 40, 80, 108, 150, 192, 228, 239]);
  const small = await detectFaces(free, frames, { batchSize: 8 });
  const big = await detectFaces(square, frames, { batchSize: 8 });
  let worstIou = 1;
  let worstScore = 0;
  small.forEach((faces, i) => {
    assert.equal(faces.length, big[i]!.length, `frame ${i}: ${JSON.stringify(faces)} vs ${JSON.stringify(big[i])}`);
    faces.forEach((face, j) => {
      worstIou = Math.min(worstIou, iou(face.box, big[i]![j]!.box));
      worstScore = Math.max(worstScore, Math.abs(face.score - big[i]![j]!.score));
    });
  });
  console.log(`# 640x384 vs 640x640 on ${small.flat().length} faces: worst IoU ${worstIou.toFixed(4)}, worst |score diff| ${worstScore.toFixed(4)}`);
  assert.ok(small.flat().length >= 6, 'faces found');
  assert.ok(worstIou >= 0.98, `worst IoU ${worstIou}`);
  assert.ok(worstScore <= 0.01, `worst score difference ${worstScore}`);
});

test('a model the rewrite does not understand runs on its square canvas, said in an info line', async () => {
  // An Identity between a head's Transpose and Reshape: the same numbers, a structure the rewrite refuses.
  const model = decodeModel(await readFile(YUNET), YUNET);
  const reshape = model.graph!.node!.find((n) => n.opType === 'Reshape')!;
  const identity = { ...reshape, opType: 'Identity', name: 'extra_identity', input: [reshape.input![0]!], output: ['extra_identity_out'], attribute: [] };
  reshape.input![0] = 'extra_identity_out';
  model.graph!.node!.splice(model.graph!.node!.indexOf(reshape), 0, identity as never);
  const file = join(dir, 'yunet_unknown.onnx');
  await writeFile(file, encodeModel(model));
  const infos: string[] = [];
  const session = await openYunet({ ref: file, modelsDir: 'models', cacheDir: dir, threads: 1, log: { info: (m) => infos.push(m), warn: () => {} } });
  try {
    assert.deepEqual(session.applied, ['batchify']);
    assert.ok(infos.some((m) => /cannot be freed.*detecting on its 640x640 canvas/.test(m)), infos.join('\n'));
    const calls: number[][] = [];
    const [faces] = await detectFaces({ inputs: session.inputs, run: (feeds) => (calls.push(feeds['input']!.dims), session.run(feeds)) }, await clipFrames([108]));
    assert.deepEqual(calls, [[1, 3, 640, 640]]);
    assert.equal(faces?.length, 1);
  } finally {
    await session.dispose();
  }
});
