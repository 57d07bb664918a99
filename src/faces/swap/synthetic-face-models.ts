/**
 * Generated stand-ins for the face-swap family, with the real models' signatures, for
 * tests and benchmarks where the real files cannot be downloaded: an inswapper-like model
 * that carries an emap as its last initializer, an ArcFace-like embedder, GFPGAN- and
 * CodeFormer-like enhancers ([-1,1] in and out, fixed batch 1 with a Reshape that spells
 * the 1 out, as exports do) and a cheap 0..1 upscaler. Weights are seeded random: the
 * outputs are meaningless but deterministic, and smooth enough to compare resamplings.
 */
import { GraphBuilder } from '../../onnx/builder.js';
import { graphOf } from '../../onnx/inspect.js';
import { onnx, type ModelProto } from '../../onnx/proto.js';
import { seededRandom } from '../../onnx/random-feeds.js';
import { buildSwapperLikeModel, type SwapperLikeOptions } from '../../onnx/synthetic-models.js';
import { makeTensor } from '../../onnx/tensor-data.js';

function randomWeights(random: () => number, count: number, fanIn: number): Float32Array {
  const scale = Math.sqrt(2 / fanIn);
  return Float32Array.from({ length: count }, () => (random() * 2 - 1) * scale);
}

/** buildSwapperLikeModel plus a 512x512 emap as the last initializer (unused by the graph, as in inswapper). */
export function buildInswapperLikeModel(options: SwapperLikeOptions = {}): ModelProto {
  const model = buildSwapperLikeModel(options);
  const random = seededRandom((options.seed ?? 7) + 1000);
  const emap = Float32Array.from({ length: 512 * 512 }, () => (random() * 2 - 1) / Math.sqrt(512));
  graphOf(model).initializer.push(makeTensor('emap', 'float32', [512, 512], emap) as never);
  return onnx.ModelProto.create(model);
}

/** arcface_w600k_r50's signature: `input.1` [N,3,112,112] (x/127.5 - 1) -> [N,512]. */
export function buildArcfaceLikeModel(options: { seed?: number; channels?: number } = {}): ModelProto {
  const c = options.channels ?? 16;
  const random = seededRandom(options.seed ?? 21);
  const g = new GraphBuilder('arcface_like', { opset: 17 });
  const x = g.input('input.1', 'float32', ['N', 3, 112, 112]);
  const conv = (v: string, cin: number, cout: number) =>
    g.node('Relu', [g.node('Conv', [v, g.initializer(g.uniqueName('w'), randomWeights(random, cout * cin * 9, cin * 9), [cout, cin, 3, 3])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] })]);
  const pooled = g.node('Flatten', [g.node('GlobalAveragePool', [conv(conv(x, 3, c), c, 2 * c)])]);
  const embedding = g.node('MatMul', [pooled, g.initializer('fc', randomWeights(random, 2 * c * 512, 2 * c), [2 * c, 512])]);
  g.output(embedding, 'embedding', 'float32', ['N', 512]);
  return g.toModel();
}

export interface FaceEnhancerLikeOptions {
  seed?: number;
  /** Feature channels at 256x256. Default 8. */
  channels?: number;
  /** 3x3 convolutions at 256x256. Default 2. */
  convs?: number;
  /** CodeFormer's extra `weight` input (float64 [1]). Default false. */
  fidelity?: boolean;
}

/**
 * GFPGAN's signature: `input` [1,3,512,512] in [-1,1] -> `output` [1,3,512,512] in
 * [-1,1]: input + gain x tanh(conv stack at half resolution, bilinear back up), clipped.
 * With `fidelity`, CodeFormer's: a float64 `weight` [1] scales the gain.
 */
export function buildFaceEnhancerLikeModel(options: FaceEnhancerLikeOptions = {}): ModelProto {
  const c = options.channels ?? 8;
  const convs = options.convs ?? 2;
  const random = seededRandom(options.seed ?? 31);
  const g = new GraphBuilder(options.fidelity ? 'codeformer_like' : 'gfpgan_like', { opset: 17 });
  const input = g.input('input', 'float32', [1, 3, 512, 512]);
  const conv = (v: string, cin: number, cout: number, stride = 1) =>
    g.node('Conv', [v, g.initializer(g.uniqueName('w'), randomWeights(random, cout * cin * 9, cin * 9), [cout, cin, 3, 3])], {
      kernel_shape: [3, 3],
      pads: [1, 1, 1, 1],
      strides: [stride, stride],
    });
  let x = g.node('Relu', [conv(input, 3, c, 2)]);
  for (let i = 0; i < convs; i++) x = g.node('Relu', [conv(x, c, c)]);
  const up = g.node('Resize', [x, '', g.initializer('up', new Float32Array([1, 1, 2, 2]), [4])], { mode: 'linear' });
  // The fixed batch spelled out, as exported models do: batchify has to rewrite it.
  const residual = g.node('Reshape', [g.node('Tanh', [conv(up, c, 3)]), g.int64s('shape', [1, 3, 512, 512])]);
  let gain = g.scalar('gain', 0.3);
  if (options.fidelity) {
    const weight = g.input('weight', 'float64', [1]);
    gain = g.node('Mul', [gain, g.node('Cast', [weight], { to: onnx.TensorProto.DataType.FLOAT })]);
  }
  const out = g.node('Clip', [g.node('Add', [input, g.node('Mul', [residual, gain])]), g.scalar('lo', -1), g.scalar('hi', 1)]);
  g.output(out, 'output', 'float32', [1, 3, 512, 512]);
  return g.toModel();
}

/** A cheap x`scale` upscaler with Real-ESRGAN's signature: `input` [N,3,H,W] RGB 0..1 -> [N,3,sH,sW]. */
export function buildUpscalerLikeModel(options: { scale?: number; seed?: number } = {}): ModelProto {
  const s = options.scale ?? 2;
  const random = seededRandom(options.seed ?? 41);
  const g = new GraphBuilder('upscaler_like', { opset: 17 });
  const input = g.input('input', 'float32', ['N', 3, 'H', 'W']);
  const up = g.node('Resize', [input, '', g.initializer('scales', new Float32Array([1, 1, s, s]), [4])], { mode: 'nearest' });
  const w = randomWeights(random, 3 * 3 * 9, 27).map((v) => v * 0.05);
  for (let c = 0; c < 3; c++) w[c * 27 + c * 9 + 4]! += 1; // near identity: the picture stays recognisable
  const y = g.node('Conv', [up, g.initializer('w', w, [3, 3, 3, 3])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  g.output(y, 'output', 'float32', ['N', 3, 'H2', 'W2']);
  return g.toModel();
}
