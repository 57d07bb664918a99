/**
 * The state of one conversion: which ONNX value holds each TFLite tensor, and in which
 * layout. 4-D activations are kept NCHW inside the ONNX graph (what ONNX's Conv and
 * MaxPool want) and turned back to TFLite's NHWC only where an operator depends on
 * memory order (RESHAPE) or at the graph outputs, so outputs match TFLite's exactly.
 */
import { userError } from '../../errors.js';
import type { GraphBuilder, Attributes } from '../../onnx/builder.js';
import type { TfliteModel, TfliteOperator, TfliteTensor } from './model.js';
import { decodeConstant, TO_NCHW, TO_NHWC, transposeValues } from './tensor-data.js';
import type { ConstantData } from './tensor-data.js';

/** NCHW: a 4-D activation in ONNX order. NHWC: TFLite's own order (any rank). */
export type Layout = 'nchw' | 'nhwc';

interface Value {
  name: string;
  layout: Layout;
}

export class ConversionContext {
  private readonly values = new Map<number, Value>();
  private readonly constants = new Map<number, ConstantData>();
  private readonly transposed = new Map<string, string>();

  constructor(
    readonly model: TfliteModel,
    readonly graph: GraphBuilder,
  ) {}

  tensor(index: number): TfliteTensor {
    const t = this.model.tensors[index];
    if (!t) throw new Error(`no tensor ${index}`);
    return t;
  }

  /** A user error naming the file and the operator, for what the converter cannot do. */
  unsupported(op: TfliteOperator, detail: string): Error {
    return userError('FF_TFLITE_UNSUPPORTED', `${this.model.source}: ${op.opName} ${detail}`, {
      fix: 'this model uses a form of the operator framefuse cannot convert yet',
    });
  }

  /** The constant held by a tensor (from the file or folded at conversion), or null for a run-time value. */
  constant(index: number): ConstantData | null {
    const known = this.constants.get(index);
    if (known) return known;
    const t = this.tensor(index);
    if (!t.data || this.values.has(index)) return null;
    const decoded = decodeConstant(t, this.model.source);
    this.constants.set(index, decoded);
    return decoded;
  }

  requireConstant(op: TfliteOperator, index: number, role: string): ConstantData {
    const c = index < 0 ? null : this.constant(index);
    if (!c) throw this.unsupported(op, `needs a constant ${role} (tensor ${this.tensorName(index)} is computed at run time)`);
    return c;
  }

  setConstant(index: number, data: ConstantData): void {
    this.constants.set(index, data);
  }

  tensorName(index: number): string {
    return this.model.tensors[index]?.name ?? `#${index}`;
  }

  isRuntime(index: number): boolean {
    return this.values.has(index);
  }

  /** Records the ONNX value that holds a TFLite tensor. */
  define(index: number, name: string, layout: Layout): void {
    this.values.set(index, { name, layout });
  }

  layoutOf(index: number): Layout | null {
    return this.values.get(index)?.layout ?? null;
  }

  /** A run-time tensor in the layout asked for (transposing once and remembering it). */
  valueIn(index: number, layout: Layout): string {
    const v = this.values.get(index);
    if (!v) {
      const c = this.constant(index);
      if (!c) throw new Error(`tensor ${this.tensorName(index)} is used before it is computed`);
      return this.constantIn(c, layout, c.shape.length, this.tensorName(index));
    }
    if (v.layout === layout) return v.name;
    const key = `${v.name}|${layout}`;
    const cached = this.transposed.get(key);
    if (cached) return cached;
    const out = this.emit('Transpose', [v.name], { perm: [...(layout === 'nchw' ? TO_NCHW : TO_NHWC)] }, `${v.name}_${layout}`);
    this.transposed.set(key, out);
    return out;
  }

  /**
   * A constant as an initializer that broadcasts against a value of `rank` in `layout`:
   * numpy-style, its shape is padded with leading 1s to the rank first, then permuted
   * like the value when that value is NCHW.
   */
  constantIn(c: ConstantData, layout: Layout, rank: number, hint: string): string {
    let shape = c.shape;
    let values = c.values;
    if (layout === 'nchw' && rank === 4) {
      shape = [...new Array<number>(4 - shape.length).fill(1), ...shape];
      values = transposeValues(values, shape, TO_NCHW);
      shape = TO_NCHW.map((p) => shape[p] ?? 1);
    }
    return this.graph.initializer(this.graph.uniqueName(hint), values, shape);
  }

  /** Adds a node with one output named after `hint`. */
  emit(op: string, inputs: readonly string[], attributes: Attributes = {}, hint = op): string {
    const [out] = this.graph.node(op, inputs, attributes, { outputs: [this.graph.uniqueName(sanitize(hint))] });
    return out as string;
  }
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_./:-]/g, '_');
}
