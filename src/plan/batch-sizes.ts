/**
 * The batch sizes framefuse uses, everywhere: the Batcher offers them, and a partial batch
 * is padded up to the next one, because every new input shape costs the CUDA and TensorRT
 * providers a re-plan.
 */
export const BATCH_SIZES = [1, 2, 4, 8, 16, 32] as const;
export const LARGEST_BATCH = 32;

/** The smallest size of the set that holds `n` items (`n` <= 32). */
export function paddedBatchSize(n: number): number {
  return BATCH_SIZES.find((s) => s >= n) ?? LARGEST_BATCH;
}
