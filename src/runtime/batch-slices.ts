/**
 * Running a batch in slices: which feeds and outputs carry the batch along their first
 * axis (the model declares that axis free, as a batchified model does), how to cut feeds
 * into slices without copying, and how to join the slices' outputs back into one batch.
 *
 * Why: on one CPU thread, onnxruntime's kernels lose 10-25% per item at batch 4-8 on a
 * small machine's caches (YuNet, RetinaFace, ESRGAN measured, see docs/runtime.md), so a
 * batch formed for the pipeline's sake runs item by item there. With more intra-op threads
 * a whole batch gives them more to split (YuNet on two: 3.3 ms a frame at batch 8 against
 * 3.8 at batch 1), and GPU providers are what batches are for: those take it whole.
 */
import type { TensorInfo } from '../onnx/value-info.js';
import type { Feeds, Outputs, TensorArrayData, TensorData } from './tensors.js';

/** Whether a model's tensor declares a free first axis (its batch). */
export function batchedAxis(info: TensorInfo): boolean {
  const first = info.dims?.[0];
  return info.dims !== undefined && info.dims.length > 0 && typeof first !== 'number';
}

/**
 * The batch size of `feeds` when every input with a free first axis agrees on it and every
 * output has one too (so slices can be joined); null when the run cannot be sliced.
 */
export function sliceableBatch(inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], feeds: Feeds): number | null {
  if (outputs.length === 0 || !outputs.every(batchedAxis)) return null;
  let batch: number | null = null;
  for (const input of inputs) {
    if (!batchedAxis(input)) continue;
    const feed = feeds[input.name];
    if (!feed || feed.dims.length === 0) return null;
    if (batch === null) batch = feed.dims[0]!;
    else if (feed.dims[0] !== batch) return null;
  }
  return batch;
}

/** Items `start` to `end` of every batched feed (views, no copy); other feeds as they are. */
export function sliceFeeds(inputs: readonly TensorInfo[], feeds: Feeds, start: number, end: number): Feeds {
  const slice: Feeds = {};
  for (const [name, feed] of Object.entries(feeds)) {
    const info = inputs.find((i) => i.name === name);
    if (!info || !batchedAxis(info)) {
      slice[name] = feed;
      continue;
    }
    const per = feed.dims.slice(1).reduce((a, b) => a * b, 1);
    slice[name] = { ...feed, data: feed.data.subarray(start * per, end * per) as TensorArrayData, dims: [end - start, ...feed.dims.slice(1)] };
  }
  return slice;
}

/** The slices' outputs joined along the first axis, in order. */
export function joinOutputs(parts: readonly Outputs[]): Outputs {
  if (parts.length === 1) return parts[0]!;
  const joined: Outputs = {};
  for (const name of Object.keys(parts[0]!)) {
    const pieces = parts.map((p) => p[name]!);
    const first = pieces[0]!;
    const length = pieces.reduce((sum, p) => sum + p.data.length, 0);
    const data = new (first.data.constructor as new (n: number) => TensorArrayData)(length);
    let offset = 0;
    for (const piece of pieces) {
      (data as { set(a: ArrayLike<number | bigint>, o: number): void }).set(piece.data, offset);
      offset += piece.data.length;
    }
    const tensor: TensorData = { data, dims: [pieces.reduce((sum, p) => sum + p.dims[0]!, 0), ...first.dims.slice(1)] };
    if (first.type !== undefined) tensor.type = first.type;
    joined[name] = tensor;
  }
  return joined;
}
