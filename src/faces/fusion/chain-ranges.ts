/**
 * The value ranges the fused face chain works in, read from models/manifest.json rather
 * than written into the glue: the swapper's (its crops, the warp and blend: 0..1) and the
 * enhancer's ([-1, 1]). The glue maps between them; both start at pixel 0 = their low end.
 */
import { inputSpec } from '../../models/model-facts.js';
import { normalizationOf, valueRange } from '../geometry/index.js';
import { ENHANCER_FACTS_MODEL } from '../enhance/enhance-faces.js';
import { SWAPPER_FACTS_MODEL } from '../swap/swap-faces.js';

export interface ChainRanges {
  /** The values pixels 0 and 255 become in the swapper's crops. */
  swap: readonly [number, number];
  /** The same for the enhancer's input (and output). */
  enhance: readonly [number, number];
}

export function chainRanges(): ChainRanges {
  return {
    swap: valueRange(normalizationOf(inputSpec(SWAPPER_FACTS_MODEL))),
    enhance: valueRange(normalizationOf(inputSpec(ENHANCER_FACTS_MODEL))),
  };
}
