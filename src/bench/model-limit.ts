/**
 * The limit a pipeline is measured against: its model stages' models alone, at their best
 * batch, on the same provider, with no host work at all (inputs made once, outputs not
 * read back into frames). A planned run close to it has hidden everything else behind the
 * models; per-frame runs sit far below it.
 */
import { performance } from 'node:perf_hooks';
import type { ExecutionProvider, FusedStrategy } from '../node-api/define-node.js';
import { openDetector } from '../faces/detectors/open-detector.js';
import { isLetterboxed, letterboxedFeeds } from '../faces/detect/device-letterbox.js';
import { canvasBatch, canvasSize } from '../faces/detect/canvas-input.js';
import { normalizationOf } from '../faces/geometry/index.js';
import { inputSpec } from '../models/model-facts.js';
import { YUNET_MODEL_ID } from '../faces/yunet/model.js';
import { faceChainFiles } from '../faces/fusion/composed-chain-file.js';
import { CHAIN_IN } from '../faces/fusion/compose-chain.js';
import { CHAIN_TAIL } from '../faces/fusion/chain-tail-model.js';
import { FACE_CROP, SWAP_CROP, WARP_BLEND } from '../faces/fusion/warp-blend-model.js';
import { linearChain, SessionChain } from '../runtime/session-chain.js';
import { seededRandom } from '../onnx/random-feeds.js';
import type { Feeds } from '../runtime/tensors.js';
import type { Frame } from '../model/port-values.js';

/** Median milliseconds of `run` after `warmup` untimed calls. */
async function medianMs(run: () => Promise<unknown>, rounds: number, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function noiseFrame(width: number, height: number, seed: number): Frame {
  const random = seededRandom(seed);
  return { width, height, data: Uint8Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256)) };
}

/** YuNet alone: milliseconds per frame of `width` x `height` at `batch` frames a run. */
export async function detectorLimit(o: { provider: ExecutionProvider; batch: number; width: number; height: number; modelsDir: string; rounds?: number }): Promise<number> {
  const detector = await openDetector('yunet', { modelsDir: o.modelsDir, providers: [o.provider] });
  try {
    const frames = Array.from({ length: o.batch }, (_, i) => noiseFrame(o.width, o.height, i + 1));
    const session = detector.session;
    let feeds: Feeds;
    if (isLetterboxed(session)) {
      feeds = letterboxedFeeds(frames, canvasSize(session.letterbox.image.dims, frames, 640)).feeds;
    } else {
      const canvas = canvasSize(session.inputs[0]?.dims, frames, 640);
      const input = canvasBatch(frames, canvas.width, canvas.height, normalizationOf(inputSpec(YUNET_MODEL_ID)));
      feeds = { [session.inputs[0]!.name]: { data: input.data, dims: input.dims } };
    }
    return (await medianMs(() => session.run(feeds), o.rounds ?? 5)) / o.batch;
  } finally {
    await detector.dispose();
  }
}

/** The face chain's models alone (swap, warp, enhance, tail): milliseconds per face at `batch` faces a run. */
export async function faceChainLimit(o: {
  provider: ExecutionProvider;
  batch: number;
  strategy: FusedStrategy;
  swapper: string;
  enhancer: string;
  modelsDir: string;
  rounds?: number;
}): Promise<number> {
  const files = await faceChainFiles({ swapper: o.swapper, enhancer: o.enhancer }, { modelsDir: o.modelsDir, cwd: process.cwd() }, { deviceGlue: false, strategy: o.strategy });
  const wanted = [CHAIN_TAIL.face, CHAIN_TAIL.mask];
  const chain = await SessionChain.open(linearChain(files.parts, wanted), { providers: [o.provider] });
  try {
    const random = seededRandom(3);
    const n = o.batch;
    const fill = (count: number, scale = 1) => Float32Array.from({ length: count }, () => random() * scale);
    const feeds: Feeds = {
      [CHAIN_IN.target]: { data: fill(n * 3 * SWAP_CROP * SWAP_CROP), dims: [n, 3, SWAP_CROP, SWAP_CROP] },
      [CHAIN_IN.source]: { data: fill(n * 512, 0.1), dims: [n, 512] },
      [WARP_BLEND.crop512]: { data: fill(n * 3 * FACE_CROP * FACE_CROP), dims: [n, 3, FACE_CROP, FACE_CROP] },
      [WARP_BLEND.theta]: { data: Float32Array.from({ length: n * 6 }, (_, i) => [0.25, 0, 0, 0, 0.25, 0][i % 6]!), dims: [n, 2, 3] },
      [WARP_BLEND.swapMask]: { data: new Float32Array(SWAP_CROP * SWAP_CROP).fill(1), dims: [1, 1, SWAP_CROP, SWAP_CROP] },
      [CHAIN_TAIL.faceMask]: { data: new Float32Array(FACE_CROP * FACE_CROP).fill(1), dims: [1, 1, FACE_CROP, FACE_CROP] },
      [WARP_BLEND.swapWeight]: { data: new Float32Array([1]), dims: [1] },
      [CHAIN_TAIL.blend]: { data: new Float32Array([0.8]), dims: [1] },
    };
    for (const extra of files.inputs.extra) {
      feeds[extra.name] = extra.type === 'float64' ? { data: new Float64Array([0.5]), dims: [1], type: 'float64' } : { data: new Float32Array([0.5]), dims: [1] };
    }
    return (await medianMs(() => chain.run(feeds, wanted), o.rounds ?? 5)) / n;
  } finally {
    await chain.dispose();
  }
}
