/**
 * Reads a .tflite file (a FlatBuffer with identifier TFL3) into a TfliteModel: the first
 * subgraph's tensors, operators and inputs/outputs, constant data resolved from the
 * buffers table. Anything malformed fails with FF_TFLITE_CORRUPT naming the file.
 */
import { operationalError } from '../../errors.js';
import { builtinOperatorName } from './builtin-operators.js';
import { FlatBuffer, FlatbufferFormatError } from './flatbuffer.js';
import type { FlatTable } from './flatbuffer.js';
import { TENSOR_TYPES } from './model.js';
import type { TfliteModel, TfliteOperator, TfliteTensor } from './model.js';
import { readOptions } from './read-options.js';

// Field numbers, in schema.fbs declaration order.
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, buffers: 4 } as const;
const OPERATOR_CODE = { deprecatedBuiltinCode: 0, customCode: 1, builtinCode: 3 } as const;
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3 } as const;
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3 } as const;
const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptions: 4 } as const;
const BUFFER = { data: 0, offset: 1, size: 2 } as const;

/**
 * Parses TFLite bytes. `source` names the file in errors.
 * @throws FF_TFLITE_CORRUPT when the bytes are not a readable TFLite model.
 */
export function readTfliteModel(bytes: Uint8Array, source: string): TfliteModel {
  const corrupt = (detail: string, cause?: unknown) =>
    operationalError('FF_TFLITE_CORRUPT', `${source} is not a readable TFLite model: ${detail}`, {
      fix: 'reinstall the package that ships it (npm ci), or pass an intact .tflite file',
      ...(cause === undefined ? {} : { cause }),
    });
  const buffer = new FlatBuffer(bytes);
  if (buffer.identifier() !== 'TFL3') {
    throw corrupt(`its file identifier is ${JSON.stringify(buffer.identifier())}, not "TFL3" (${bytes.byteLength} bytes)`);
  }
  try {
    return readModelTable(buffer, source);
  } catch (error) {
    if (error instanceof FlatbufferFormatError || error instanceof RangeError) throw corrupt(error.message, error);
    throw error;
  }
}

function readModelTable(buffer: FlatBuffer, source: string): TfliteModel {
  const model = buffer.root();
  const version = model.uint32(MODEL.version);
  if (version !== 3) throw new FlatbufferFormatError(`schema version ${version}, expected 3`);
  const subgraphs = model.tables(MODEL.subgraphs);
  const graph = subgraphs[0];
  if (!graph) throw new FlatbufferFormatError('it has no subgraph');
  const buffers = model.tables(MODEL.buffers).map((b) => bufferData(buffer, b));
  const opNames = model.tables(MODEL.operatorCodes).map(operatorName);

  const tensors: TfliteTensor[] = graph.tables(SUBGRAPH.tensors).map((t, index) => {
    const typeCode = t.int8(TENSOR.type);
    const type = TENSOR_TYPES[typeCode];
    if (!type) throw new FlatbufferFormatError(`tensor ${index} has unknown type code ${typeCode}`);
    const bufferIndex = t.uint32(TENSOR.buffer);
    if (bufferIndex >= buffers.length && bufferIndex !== 0) {
      throw new FlatbufferFormatError(`tensor ${index} refers to buffer ${bufferIndex} of ${buffers.length}`);
    }
    const data = buffers[bufferIndex] ?? null;
    return { name: t.string(TENSOR.name) || `tensor_${index}`, shape: t.int32s(TENSOR.shape), type, data: data && data.byteLength > 0 ? data : null };
  });
  const checkTensor = (i: number, where: string, optional: boolean) => {
    if ((optional && i === -1) || (i >= 0 && i < tensors.length)) return;
    throw new FlatbufferFormatError(`${where} refers to tensor ${i} of ${tensors.length}`);
  };

  const operators: TfliteOperator[] = graph.tables(SUBGRAPH.operators).map((op, index) => {
    const opcode = op.uint32(OPERATOR.opcodeIndex);
    const opName = opNames[opcode];
    if (opName === undefined) throw new FlatbufferFormatError(`operator ${index} has opcode index ${opcode} of ${opNames.length}`);
    const inputs = op.int32s(OPERATOR.inputs);
    const outputs = op.int32s(OPERATOR.outputs);
    inputs.forEach((i) => checkTensor(i, `operator ${index} (${opName})`, true));
    outputs.forEach((i) => checkTensor(i, `operator ${index} (${opName})`, false));
    const options = readOptions(opName, op.table(OPERATOR.builtinOptions));
    return { opName, inputs, outputs, ...(options ? { options } : {}) };
  });

  const inputs = graph.int32s(SUBGRAPH.inputs);
  const outputs = graph.int32s(SUBGRAPH.outputs);
  inputs.forEach((i) => checkTensor(i, 'the graph inputs', false));
  outputs.forEach((i) => checkTensor(i, 'the graph outputs', false));
  return { source, tensors, operators, inputs, outputs };
}

function operatorName(code: FlatTable): string {
  // Files written before code 127 existed keep the code in the deprecated int8 field;
  // TFLite itself takes the larger of the two.
  const builtin = Math.max(code.int8(OPERATOR_CODE.deprecatedBuiltinCode), code.int32(OPERATOR_CODE.builtinCode));
  const name = builtinOperatorName(builtin);
  return name === 'CUSTOM' ? `CUSTOM:${code.string(OPERATOR_CODE.customCode)}` : name;
}

function bufferData(buffer: FlatBuffer, table: FlatTable): Uint8Array | null {
  const inline = table.bytes(BUFFER.data);
  if (inline) return inline;
  // Models over 2 GB keep buffers after the flatbuffer, addressed by offset and size.
  const offset = table.uint64(BUFFER.offset);
  const size = table.uint64(BUFFER.size);
  if (offset <= 1 || size === 0) return null;
  buffer.check(offset, size, 'an external buffer');
  return buffer.bytes.subarray(offset, offset + size);
}
