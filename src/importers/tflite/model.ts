/**
 * A TFLite model as the converter sees it: one subgraph's tensors (with constant data
 * where the file has it) and operators with their options as plain values. The reader
 * (read-model.ts) builds it from a .tflite file; tests build it by hand.
 */

export type TfliteTensorType =
  | 'float32'
  | 'float16'
  | 'int32'
  | 'uint8'
  | 'int64'
  | 'string'
  | 'bool'
  | 'int16'
  | 'complex64'
  | 'int8'
  | 'float64'
  | 'complex128'
  | 'uint64'
  | 'resource'
  | 'variant'
  | 'uint32'
  | 'uint16'
  | 'int4';

/** TensorType codes of schema.fbs, in order. */
export const TENSOR_TYPES: readonly TfliteTensorType[] = [
  'float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64',
  'int8', 'float64', 'complex128', 'uint64', 'resource', 'variant', 'uint32', 'uint16', 'int4',
];

export interface TfliteTensor {
  name: string;
  /** TFLite's shape: NHWC for images. */
  shape: number[];
  type: TfliteTensorType;
  /** Little-endian constant contents, or null for a value computed at run time. */
  data: Uint8Array | null;
}

export type Padding = 'SAME' | 'VALID';
export type Activation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';

/** ActivationFunctionType codes of schema.fbs, in order. */
export const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];

export interface Conv2DOptions {
  kind: 'conv2d';
  padding: Padding;
  strideW: number;
  strideH: number;
  activation: Activation;
  dilationW: number;
  dilationH: number;
}

export interface DepthwiseConv2DOptions {
  kind: 'depthwise';
  padding: Padding;
  strideW: number;
  strideH: number;
  depthMultiplier: number;
  activation: Activation;
  dilationW: number;
  dilationH: number;
}

export interface Pool2DOptions {
  kind: 'pool2d';
  padding: Padding;
  strideW: number;
  strideH: number;
  filterW: number;
  filterH: number;
  activation: Activation;
}

export interface AddOptions {
  kind: 'add';
  activation: Activation;
}

export interface ConcatenationOptions {
  kind: 'concatenation';
  axis: number;
  activation: Activation;
}

export interface ReshapeOptions {
  kind: 'reshape';
  /** The target shape when stored in the options (else it is the second input). */
  newShape: number[] | null;
}

export interface ResizeBilinearOptions {
  kind: 'resize_bilinear';
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

export type OperatorOptions =
  | Conv2DOptions
  | DepthwiseConv2DOptions
  | Pool2DOptions
  | AddOptions
  | ConcatenationOptions
  | ReshapeOptions
  | ResizeBilinearOptions;

export interface TfliteOperator {
  /** Builtin name (CONV_2D, ...) or `CUSTOM:<custom_code>`. */
  opName: string;
  /** Tensor indices; -1 marks an optional input left out. */
  inputs: number[];
  outputs: number[];
  /** Parsed options for the operators the converter knows; absent otherwise. */
  options?: OperatorOptions;
}

export interface TfliteModel {
  /** The file (or description) the model came from, for messages. */
  source: string;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
}
