/**
 * Generated stand-ins for the real face models, with their signatures and a realistic
 * structure, for tests and benchmarks (the real files cannot be downloaded there). Weights
 * are seeded random, so outputs are meaningless but deterministic.
 */
import { GraphBuilder } from './builder.js';
import { seededRandom } from './random-feeds.js';
import type { ModelProto } from './proto.js';

export interface SwapperLikeOptions {
  /** Feature channels of the convolution stack. Default 32. */
  channels?: number;
  /** 3x3 convolutions at the working resolution (64x64). Default 12; the model has this + 4 in all. */
  convs?: number;
  /** Fixed batch 1 with a Reshape that spells out the 1, as exported models have. Default true. */
  fixedBatch?: boolean;
  seed?: number;
  /** Crop size. Default 128. */
  size?: number;
}

function weights(random: () => number, count: number, fanIn: number): Float32Array {
  // He-style scaling keeps activations in a sane range through a deep stack.
  const scale = Math.sqrt(2 / fanIn);
  return Float32Array.from({ length: count }, () => (random() * 2 - 1) * scale);
}

/**
 * inswapper_128's signature: `target` [1,3,128,128] and `source` [1,512] -> `output`
 * [1,3,128,128] in 0..1. Inside: a strided conv down to 64x64, `convs` 3x3 conv+relu
 * blocks with the source vector injected (Gemm -> Reshape to [1,C,1,1] -> Add) every
 * four blocks, an upsample back to 128 and a sigmoid.
 */
export function buildSwapperLikeModel(options: SwapperLikeOptions = {}): ModelProto {
  const c = options.channels ?? 32;
  const convs = options.convs ?? 12;
  const size = options.size ?? 128;
  const fixed = options.fixedBatch ?? true;
  const random = seededRandom(options.seed ?? 7);
  const batch = fixed ? 1 : 'N';
  const g = new GraphBuilder('swapper_like', { opset: 17 });
  const target = g.input('target', 'float32', [batch, 3, size, size]);
  const source = g.input('source', 'float32', [batch, 512]);

  const conv = (x: string, cin: number, cout: number, k: number, stride = 1): string => {
    const w = g.initializer(g.uniqueName('conv_w'), weights(random, cout * cin * k * k, cin * k * k), [cout, cin, k, k]);
    const b = g.initializer(g.uniqueName('conv_b'), new Float32Array(cout).fill(0.01), [cout]);
    const p = (k - 1) >> 1;
    return g.node('Conv', [x, w, b], { kernel_shape: [k, k], pads: [p, p, p, p], strides: [stride, stride] });
  };
  let x = g.node('Relu', [conv(target, 3, c, 3, 2)]);
  // The source embedding becomes a per-channel style vector; the Reshape hard-codes batch 1.
  const styleW = g.initializer('style_w', weights(random, 512 * c, 512), [512, c]);
  const style = g.node('MatMul', [source, styleW]);
  const styleShape = g.int64s('style_shape', fixed ? [1, c, 1, 1] : [-1, c, 1, 1]);
  const style4d = g.node('Reshape', [style, styleShape]);
  for (let i = 0; i < convs; i++) {
    x = g.node('Relu', [conv(x, c, c, 3)]);
    if (i % 4 === 3) x = g.node('Add', [x, style4d]);
  }
  const up = g.node('Resize', [x, '', g.initializer('up_scales', new Float32Array([1, 1, 2, 2]), [4])], { mode: 'nearest' });
  const y = conv(g.node('Relu', [conv(up, c, c, 3)]), c, 3, 3);
  g.output(g.node('Sigmoid', [y]), 'output', 'float32', [batch, 3, size, size]);
  return g.toModel();
}

/**
 * An enhancer-shaped model: `input` [N,3,size,size] in 0..1 -> `output` of the same
 * shape, a residual conv stack. Composes after the swapper-like model.
 */
export function buildEnhancerLikeModel(options: { channels?: number; convs?: number; size?: number; seed?: number; inputName?: string } = {}): ModelProto {
  const c = options.channels ?? 16;
  const convs = options.convs ?? 4;
  const size = options.size ?? 128;
  const random = seededRandom(options.seed ?? 11);
  const g = new GraphBuilder('enhancer_like', { opset: 17 });
  const input = g.input(options.inputName ?? 'input', 'float32', ['N', 3, size, size]);
  let x = input;
  let cin = 3;
  for (let i = 0; i < convs; i++) {
    const cout = i === convs - 1 ? 3 : c;
    const w = g.initializer(g.uniqueName('w'), weights(random, cout * cin * 9, cin * 9), [cout, cin, 3, 3]);
    x = g.node('Conv', [x, w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
    if (i < convs - 1) x = g.node('Relu', [x]);
    cin = cout;
  }
  const residual = g.node('Add', [input, g.node('Mul', [x, g.scalar('gain', 0.1)])]);
  g.output(g.node('Clip', [residual, g.scalar('lo', 0), g.scalar('hi', 1)]), 'output', 'float32', ['N', 3, size, size]);
  return g.toModel();
}
