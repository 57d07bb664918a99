/**
 * SSD anchors generated the way MediaPipe's SsdAnchorsCalculator does: layers that share
 * a stride are merged into one feature map with all their anchors per cell, cells are
 * visited row by row, and each anchor's centre is the cell centre (offset 0.5) in
 * normalized [0, 1] image coordinates. With `fixedAnchorSize` every anchor is 1 x 1, so
 * the model's regressed sizes are plain fractions of the input.
 */

export interface SsdAnchorOptions {
  inputWidth: number;
  inputHeight: number;
  numLayers: number;
  minScale: number;
  maxScale: number;
  strides: number[];
  aspectRatios: number[];
  /** Adds one anchor per cell with this aspect ratio between two layers' scales; 0 turns it off. */
  interpolatedScaleAspectRatio: number;
  anchorOffsetX: number;
  anchorOffsetY: number;
  fixedAnchorSize: boolean;
  reduceBoxesInLowestLayer?: boolean;
}

/** One anchor: centre and size, normalized to the model input. */
export interface Anchor {
  xCenter: number;
  yCenter: number;
  w: number;
  h: number;
}

function layerScale(minScale: number, maxScale: number, index: number, count: number): number {
  return count === 1 ? (minScale + maxScale) / 2 : minScale + ((maxScale - minScale) * index) / (count - 1);
}

export function generateSsdAnchors(o: SsdAnchorOptions): Anchor[] {
  const anchors: Anchor[] = [];
  let layer = 0;
  while (layer < o.numLayers) {
    const scales: number[] = [];
    const ratios: number[] = [];
    let last = layer;
    const stride = o.strides[layer] ?? 1;
    while (last < o.strides.length && o.strides[last] === stride) {
      const scale = layerScale(o.minScale, o.maxScale, last, o.strides.length);
      if (last === 0 && o.reduceBoxesInLowestLayer) {
        ratios.push(1, 2, 0.5);
        scales.push(0.1, scale, scale);
      } else {
        for (const ratio of o.aspectRatios) {
          ratios.push(ratio);
          scales.push(scale);
        }
        if (o.interpolatedScaleAspectRatio > 0) {
          const next = last === o.strides.length - 1 ? 1 : layerScale(o.minScale, o.maxScale, last + 1, o.strides.length);
          scales.push(Math.sqrt(scale * next));
          ratios.push(o.interpolatedScaleAspectRatio);
        }
      }
      last++;
    }
    const rows = Math.ceil(o.inputHeight / stride);
    const cols = Math.ceil(o.inputWidth / stride);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        for (let k = 0; k < ratios.length; k++) {
          const root = Math.sqrt(ratios[k] ?? 1);
          anchors.push({
            xCenter: (x + o.anchorOffsetX) / cols,
            yCenter: (y + o.anchorOffsetY) / rows,
            w: o.fixedAnchorSize ? 1 : (scales[k] ?? 1) * root,
            h: o.fixedAnchorSize ? 1 : (scales[k] ?? 1) / root,
          });
        }
      }
    }
    layer = last;
  }
  return anchors;
}
