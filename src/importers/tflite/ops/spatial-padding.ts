/**
 * TFLite's SAME and VALID padding as explicit ONNX pads. SAME pads so that
 * out = ceil(in / stride), with the odd pixel at the end (bottom/right): exactly what
 * TensorFlow computes, and what ONNX's SAME_UPPER means. Explicit pads keep the graph
 * independent of ONNX Runtime's auto_pad handling.
 */
import type { Padding } from '../model.js';

/** Padding for one spatial axis: [before, after]. */
export function axisPadding(padding: Padding, size: number, kernel: number, stride: number, dilation = 1): [number, number] {
  if (padding === 'VALID') return [0, 0];
  const out = Math.ceil(size / stride);
  const effectiveKernel = (kernel - 1) * dilation + 1;
  const total = Math.max((out - 1) * stride + effectiveKernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** ONNX `pads` ([top, left, bottom, right]) for a 2-D window over an NHWC shape. */
export function onnxPads(
  padding: Padding,
  nhwcShape: readonly number[],
  kernel: [h: number, w: number],
  stride: [h: number, w: number],
  dilation: [h: number, w: number] = [1, 1],
): number[] {
  const [top, bottom] = axisPadding(padding, nhwcShape[1] ?? 1, kernel[0], stride[0], dilation[0]);
  const [left, right] = axisPadding(padding, nhwcShape[2] ?? 1, kernel[1], stride[1], dilation[1]);
  return [top, left, bottom, right];
}
