/**
 * GraphBuilder: ONNX graphs written in code, for model generators, converters (TFLite,
 * TF.js -> ONNX) and the glue between fused models.
 *
 * @example
 * ```ts
 * const g = new GraphBuilder('tiny', { opset: 17 });
 * const x = g.input('x', 'float32', ['N', 3, 128, 128]);
 * const w = g.initializer('w', new Float32Array(16 * 3 * 3 * 3), [16, 3, 3, 3]);
 * const y = g.node('Conv', [x, w], { pads: [1, 1, 1, 1] });
 * const [a, b] = g.node('Split', [y], { axis: 1 }, { outputs: 2 });
 * g.output(g.node('Add', [a, b]), 'y', 'float32', ['N', 8, 128, 128]);
 * const bytes = g.toBytes();
 * ```
 */
import { makeAttribute } from './attributes.js';
import type { AttributeValue } from './attributes.js';
import { irVersionForOpset, onnx } from './proto.js';
import type { ElementType, GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from './proto.js';
import { makeTensor } from './tensor-data.js';
import type { TensorArray } from './tensor-data.js';
import { makeValueInfo } from './value-info.js';
import type { Dim } from './value-info.js';
import { encodeModel } from './model-io.js';
import { float32ToFloat16 } from './float16.js';

export interface GraphBuilderOptions {
  /** Opset of the default ONNX domain. Default 17. */
  opset?: number;
  /** Other operator domains and their versions, e.g. `{ 'com.microsoft': 1 }`. */
  imports?: Record<string, number>;
  /** IR version; derived from the opset when absent. */
  irVersion?: number;
  producer?: string;
  docString?: string;
}

export interface NodeOptions {
  /** Node name; generated when absent. */
  name?: string;
  /** Operator domain; the default ONNX domain when absent. */
  domain?: string;
}

/** Several outputs: a count (names generated) or the names themselves. */
export interface MultiOutputNodeOptions extends NodeOptions {
  outputs: number | readonly string[];
}

/** Values of the attributes of one node; `undefined` entries are left out. */
export type Attributes = Record<string, AttributeValue | undefined>;

export class GraphBuilder {
  readonly name: string;
  readonly opset: number;
  private readonly options: GraphBuilderOptions;
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly valueInfos: ValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(name: string, options: GraphBuilderOptions = {}) {
    this.name = name;
    this.opset = options.opset ?? 17;
    this.options = options;
  }

  /** A name not used yet in this graph, derived from `base`. */
  uniqueName(base: string): string {
    let name = base;
    while (this.used.has(name)) name = `${base}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input and returns its name. */
  input(name: string, type: ElementType, dims?: readonly Dim[]): string {
    this.claim(name);
    this.inputs.push(makeValueInfo(name, type, dims));
    return name;
  }

  /**
   * Adds a constant weight tensor and returns its name. The element type follows the
   * array (Float32Array -> float32, BigInt64Array -> int64, ...); give `type` for a
   * Uint16Array of float16 bits or a plain number array (float32 by default).
   */
  initializer(name: string, data: TensorArray | readonly number[], dims: readonly number[], type?: ElementType): string {
    const elementType = type ?? inferType(data);
    const values = isNumberList(data) ? toTypedArray(data, elementType) : data;
    this.claim(name);
    this.initializers.push(makeTensor(name, elementType, dims, values));
    return name;
  }

  /** A 1-D int64 initializer, as shape, axes and pads operands need. */
  int64s(name: string, values: readonly number[]): string {
    return this.initializer(this.uniqueName(name), BigInt64Array.from(values, (v) => BigInt(v)), [values.length], 'int64');
  }

  /** A scalar initializer (float32 unless told). */
  scalar(name: string, value: number, type: ElementType = 'float32'): string {
    return this.initializer(this.uniqueName(name), [value], [], type);
  }

  /** Adds a node with one output and returns the output's name. */
  node(op: string, inputs: readonly string[], attributes?: Attributes, options?: NodeOptions): string;
  /** Adds a node with several outputs and returns their names. */
  node(op: string, inputs: readonly string[], attributes: Attributes | undefined, options: MultiOutputNodeOptions): string[];
  node(
    op: string,
    inputs: readonly string[],
    attributes: Attributes = {},
    options: NodeOptions | MultiOutputNodeOptions = {},
  ): string | string[] {
    const nodeName = options.name ?? this.uniqueName(`${op}_${this.nodes.length}`);
    const spec = 'outputs' in options ? options.outputs : 1;
    const outputs =
      typeof spec === 'number'
        ? Array.from({ length: spec }, (_, i) => this.uniqueName(spec === 1 ? `${nodeName}_out` : `${nodeName}_out${i}`))
        : spec.map((n) => (this.claim(n), n));
    const attribute = Object.entries(attributes)
      .filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined)
      .map(([key, value]) => makeAttribute(key, value));
    this.nodes.push(
      onnx.NodeProto.create({ opType: op, name: nodeName, input: [...inputs], output: outputs, attribute, domain: options.domain ?? '' }),
    );
    return 'outputs' in options ? outputs : (outputs[0] as string);
  }

  /**
   * Declares `value` as a graph output called `name` (default: its own name). A node
   * output is renamed in place; a graph input or initializer gets an Identity.
   */
  output(value: string, name: string = value, type: ElementType = 'float32', dims?: readonly Dim[]): string {
    if (name !== value) {
      const producer = this.nodes.find((n) => n.output.includes(value));
      if (producer) {
        this.claim(name);
        for (const node of this.nodes) {
          node.input = node.input.map((i) => (i === value ? name : i));
          node.output = node.output.map((o) => (o === value ? name : o));
        }
        for (const out of this.outputs) if (out.name === value) out.name = name;
      } else {
        this.node('Identity', [value], {}, { outputs: [name] });
      }
    }
    this.outputs.push(makeValueInfo(name, type, dims));
    return name;
  }

  /** Records the type and shape of an intermediate value (optional; helps readers and shape inference). */
  annotate(name: string, type: ElementType, dims?: readonly Dim[]): void {
    this.valueInfos.push(makeValueInfo(name, type, dims));
  }

  toGraph(): GraphProto {
    return onnx.GraphProto.create({
      name: this.name,
      input: this.inputs,
      output: this.outputs,
      node: this.nodes,
      initializer: this.initializers,
      valueInfo: this.valueInfos,
    });
  }

  toModel(): ModelProto {
    const opsetImport = [onnx.OperatorSetIdProto.create({ domain: '', version: this.opset })];
    for (const [domain, version] of Object.entries(this.options.imports ?? {})) {
      opsetImport.push(onnx.OperatorSetIdProto.create({ domain, version }));
    }
    return onnx.ModelProto.create({
      irVersion: this.options.irVersion ?? irVersionForOpset(this.opset),
      producerName: this.options.producer ?? 'framefuse',
      docString: this.options.docString ?? '',
      opsetImport,
      graph: this.toGraph(),
    });
  }

  /** The serialized model, ready for `InferenceSession.create` or a file. */
  toBytes(): Uint8Array {
    return encodeModel(this.toModel());
  }

  private claim(name: string): void {
    if (this.used.has(name) && !this.isOnlyReserved(name)) {
      throw new Error(`graph ${this.name}: the name ${name} is already used`);
    }
    this.used.add(name);
  }

  // Names handed out by uniqueName() and then passed back to initializer()/input() are fine.
  private isOnlyReserved(name: string): boolean {
    return (
      !this.inputs.some((i) => i.name === name) &&
      !this.initializers.some((t) => t.name === name) &&
      !this.nodes.some((n) => n.output.includes(name))
    );
  }
}

function isNumberList(data: TensorArray | readonly number[]): data is readonly number[] {
  return Array.isArray(data) && data.every((v) => typeof v === 'number');
}

function inferType(data: TensorArray | readonly number[]): ElementType {
  if (Array.isArray(data)) return typeof data[0] === 'string' ? 'string' : 'float32';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof BigUint64Array) return 'uint64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint32Array) return 'uint32';
  throw new Error('a Uint16Array initializer needs an explicit type (float16 or uint16)');
}

function toTypedArray(values: readonly number[], type: ElementType): TensorArray {
  switch (type) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt(v));
    case 'uint64':
      return BigUint64Array.from(values, (v) => BigInt(v));
    case 'int8':
      return Int8Array.from(values);
    case 'uint8':
    case 'bool':
      return Uint8Array.from(values);
    case 'int16':
      return Int16Array.from(values);
    case 'uint16':
      return Uint16Array.from(values);
    case 'float16':
      return float32ToFloat16(values);
    case 'uint32':
      return Uint32Array.from(values);
    case 'string':
      return values.map(String);
  }
}
