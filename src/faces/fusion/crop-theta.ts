/**
 * The per-face map from ffhq_512 crop pixels to arcface_128 crop pixels. Both crops are
 * least-squares fits to the same five points, so the map is a similarity that is nearly,
 * but not exactly, the same for every face (the residuals of the two fits differ); it is
 * computed per face from the two alignments: 128-alignment after the inverse 512-alignment.
 */
import { composeAffine, invertAffine, type Affine } from '../geometry/index.js';

export function cropTheta(toSwapCrop: Affine, toFaceCrop: Affine): Affine {
  return composeAffine(toSwapCrop, invertAffine(toFaceCrop));
}

/** Writes a 2x3 affine, row-major, at item `item` of an [N,2,3] tensor. */
export function writeTheta(out: Float32Array, item: number, m: Affine): void {
  out.set(m, item * 6);
}
