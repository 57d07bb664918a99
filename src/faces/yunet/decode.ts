/**
 * YuNet's 12 outputs as face candidates. Each stride s in {8, 16, 32} has one prediction
 * per cell of the canvas grid, row-major: `cls_s` and `obj_s` (already sigmoid), `bbox_s`
 * (dx, dy, log w, log h in cells) and `kps_s` (five x, y pairs in cells). The score is
 * sqrt(cls * obj), as OpenCV's FaceDetectorYN computes it.
 */
import type { Outputs, TensorData } from '../../runtime/tensors.js';
import type { Candidate } from '../detect/candidate.js';

export const YUNET_STRIDES = [8, 16, 32] as const;

function floats(outputs: Outputs, name: string): Float32Array {
  const tensor: TensorData | undefined = outputs[name];
  if (!tensor || !(tensor.data instanceof Float32Array)) {
    throw new Error(`YuNet output ${name} is missing or not float32 (outputs: ${Object.keys(outputs).join(', ')})`);
  }
  return tensor.data;
}

/**
 * The candidates of image `index` of the batch whose score reaches `scoreThreshold`, in
 * canvas pixels. `canvasWidth` and `canvasHeight` are the input's spatial size (multiples
 * of 32).
 */
export function decodeYunet(
  outputs: Outputs,
  index: number,
  canvasWidth: number,
  canvasHeight: number,
  scoreThreshold: number,
): Candidate[] {
  const found: Candidate[] = [];
  for (const stride of YUNET_STRIDES) {
    const cols = Math.floor(canvasWidth / stride);
    const rows = Math.floor(canvasHeight / stride);
    const cells = cols * rows;
    const cls = floats(outputs, `cls_${stride}`);
    const obj = floats(outputs, `obj_${stride}`);
    const bbox = floats(outputs, `bbox_${stride}`);
    const kps = floats(outputs, `kps_${stride}`);
    if (cls.length < (index + 1) * cells) {
      throw new Error(`YuNet output cls_${stride} has ${cls.length} values; a ${canvasWidth}x${canvasHeight} batch needs ${cells} per image`);
    }
    const base = index * cells;
    for (let cell = 0; cell < cells; cell++) {
      const i = base + cell;
      // Clamped as OpenCV does: the sigmoid outputs can overshoot by rounding.
      const c = Math.min(Math.max(cls[i]!, 0), 1);
      const o = Math.min(Math.max(obj[i]!, 0), 1);
      const score = Math.sqrt(c * o);
      if (!(score >= scoreThreshold)) continue;
      const row = Math.floor(cell / cols);
      const col = cell - row * cols;
      const cx = (col + bbox[i * 4]!) * stride;
      const cy = (row + bbox[i * 4 + 1]!) * stride;
      const w = Math.exp(bbox[i * 4 + 2]!) * stride;
      const h = Math.exp(bbox[i * 4 + 3]!) * stride;
      const landmarks = [];
      for (let k = 0; k < 5; k++) {
        landmarks.push({ x: (kps[i * 10 + 2 * k]! + col) * stride, y: (kps[i * 10 + 2 * k + 1]! + row) * stride });
      }
      found.push({ box: { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 }, score, landmarks });
    }
  }
  return found;
}
