/**
 * Generated models with the output signatures of the pulled detectors (SCRFD, YOLOFace)
 * and of the ArcFace embedder, for tests on a machine without them. The detector models
 * output constants (one per image of the batch, so batching is real) that place faces at
 * anchors chosen by the test; the embedder is a fixed random projection of the aligned
 * crop, so the same face gives the same vector and different faces different ones.
 */
import { GraphBuilder } from '../../src/onnx/builder.js';

/** One output per image: `values` ([rows, k] per image) repeated for each image of the batch; `x` only sets the batch. */
function constantPerImage(g: GraphBuilder, x: string, name: string, values: Float32Array, rows: number, k: number, keepBatchAxis: boolean): void {
  const perImage = g.node('ReduceMean', [x], { axes: [1, 2, 3], keepdims: 0 });
  const zero = g.node('Mul', [perImage, g.scalar('zero', 0)]);
  const column = g.node('Reshape', [zero, g.int64s(g.uniqueName('shape'), [-1, 1, 1])]);
  const table = g.initializer(g.uniqueName(`${name}_table`), values, [1, rows, k]);
  const tiled = g.node('Add', [column, table]);
  if (keepBatchAxis) g.output(tiled, name, 'float32', ['N', rows, k]);
  else g.output(g.node('Reshape', [tiled, g.int64s(g.uniqueName('flat'), [-1, k])]), name, 'float32', ['M', k]);
}

/** An SCRFD-like model on a 640x640 canvas: nine outputs [N*anchors, k] (scores, boxes, kps at strides 8, 16, 32). */
export function scrfdLike(place: (stride: number, scores: Float32Array, boxes: Float32Array, kps: Float32Array) => void): Uint8Array {
  const g = new GraphBuilder('scrfd_like', { opset: 17 });
  const x = g.input('input', 'float32', ['N', 3, 640, 640]);
  const tables = [8, 16, 32].map((s) => {
    const anchors = (640 / s) ** 2 * 2;
    const t = { s, anchors, scores: new Float32Array(anchors), boxes: new Float32Array(anchors * 4), kps: new Float32Array(anchors * 10) };
    place(s, t.scores, t.boxes, t.kps);
    return t;
  });
  for (const t of tables) constantPerImage(g, x, `score_${t.s}`, t.scores, t.anchors, 1, false);
  for (const t of tables) constantPerImage(g, x, `bbox_${t.s}`, t.boxes, t.anchors, 4, false);
  for (const t of tables) constantPerImage(g, x, `kps_${t.s}`, t.kps, t.anchors, 10, false);
  return g.toBytes();
}

/** A YOLOFace-like model: input `images` [N,3,640,640], output `output0` [N,20,8400]. */
export function yolofaceLike(place: (table: Float32Array) => void): Uint8Array {
  const g = new GraphBuilder('yoloface_like', { opset: 17 });
  const x = g.input('images', 'float32', ['N', 3, 640, 640]);
  const table = new Float32Array(20 * 8400);
  place(table);
  constantPerImage(g, x, 'output0', table, 20, 8400, true);
  return g.toBytes();
}

/** An ArcFace-like embedder: `input.1` [N,3,112,112] -> 8x8 average pool -> a seeded random [588, 512] projection -> [N,512]. */
export function arcfaceLike(seed = 5): Uint8Array {
  const g = new GraphBuilder('arcface_like', { opset: 17 });
  const x = g.input('input.1', 'float32', ['N', 3, 112, 112]);
  const pooled = g.node('AveragePool', [x], { kernel_shape: [8, 8], strides: [8, 8] });
  const flat = g.node('Reshape', [pooled, g.int64s('flat', [-1, 588])]);
  const w = new Float32Array(588 * 512);
  let s = seed;
  for (let i = 0; i < w.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    w[i] = (s / 2 ** 32 - 0.5) / 12;
  }
  g.output(g.node('MatMul', [flat, g.initializer('proj', w, [588, 512])]), '683', 'float32', ['N', 512]);
  return g.toBytes();
}
