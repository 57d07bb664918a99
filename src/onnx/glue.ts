/**
 * Glue between composed models, as ONNX ops: the conversions one model's output needs
 * before it is the next one's input (size, value range, colour order, layout, type).
 * Each takes the builder the glue is written into and a value name, and returns the new
 * value's name.
 */
import type { GraphBuilder } from './builder.js';
import type { ElementType } from './proto.js';
import { elementCode } from './proto.js';

/** Resizes an NCHW image to `height` x `width` (bilinear by default). */
export function resizeImage(g: GraphBuilder, x: string, height: number, width: number, mode: 'linear' | 'nearest' | 'cubic' = 'linear'): string {
  // Resize needs full output sizes; N and C come from the input's own shape.
  const shape = g.node('Shape', [x]);
  const nc = g.node('Slice', [shape, g.int64s('nc_start', [0]), g.int64s('nc_end', [2])]);
  const sizes = g.node('Concat', [nc, g.int64s('hw', [height, width])], { axis: 0 });
  return g.node('Resize', [x, '', '', sizes], { mode, coordinate_transformation_mode: 'half_pixel' });
}

/** x * scale + bias, elementwise (scalars or per-channel [C] values for NCHW). */
export function affine(g: GraphBuilder, x: string, scale: number | readonly number[], bias: number | readonly number[]): string {
  const asTensor = (name: string, v: number | readonly number[]) =>
    typeof v === 'number' ? g.scalar(name, v) : g.initializer(g.uniqueName(name), Float32Array.from(v), [v.length, 1, 1]);
  return g.node('Add', [g.node('Mul', [x, asTensor('scale', scale)]), asTensor('bias', bias)]);
}

/**
 * Maps a value range onto another: e.g. [-1,1] -> [0,1] for an enhancer fed by a swapper.
 */
export function remapRange(g: GraphBuilder, x: string, from: readonly [number, number], to: readonly [number, number]): string {
  const scale = (to[1] - to[0]) / (from[1] - from[0]);
  return affine(g, x, scale, to[0] - from[0] * scale);
}

/** Reverses the channel order (RGB <-> BGR) of an NCHW tensor, with Slice and Concat. */
export function swapRedBlue(g: GraphBuilder, x: string): string {
  const axes = g.int64s('axis_c', [1]);
  const channel = (c: number) => g.node('Slice', [x, g.int64s(`c${c}_start`, [c]), g.int64s(`c${c}_end`, [c + 1]), axes]);
  return g.node('Concat', [channel(2), channel(1), channel(0)], { axis: 1 });
}

export function nchwToNhwc(g: GraphBuilder, x: string): string {
  return g.node('Transpose', [x], { perm: [0, 2, 3, 1] });
}

export function nhwcToNchw(g: GraphBuilder, x: string): string {
  return g.node('Transpose', [x], { perm: [0, 3, 1, 2] });
}

export function cast(g: GraphBuilder, x: string, to: ElementType): string {
  return g.node('Cast', [x], { to: elementCode(to) });
}
