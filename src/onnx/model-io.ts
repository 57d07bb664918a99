/**
 * Reading and writing ModelProto files. A file that is not ONNX and a file cut short (an
 * interrupted download) are told apart, because their fixes differ.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { operationalError, userError } from '../errors.js';
import { onnx } from './proto.js';
import type { ModelProto } from './proto.js';

/** Serializes a model. */
export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Parses model bytes. `source` names the file in error messages.
 * @throws FF_MODEL_TRUNCATED when the bytes end inside a message, FF_MODEL_NOT_ONNX when they are not a model.
 */
export function decodeModel(bytes: Uint8Array, source = 'the model'): ModelProto {
  if (bytes.length === 0) {
    throw operationalError('FF_MODEL_TRUNCATED', `${source} is empty`, {
      fix: 'download it again (framefuse models pull <id>) or re-export it',
    });
  }
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    // ModelProto starts with ir_version (field 1, varint): tag byte 0x08. A file that starts
    // like a model and then runs past its end was cut short.
    if (/index out of range/.test(message) && bytes[0] === 0x08) {
      throw operationalError('FF_MODEL_TRUNCATED', `${source} is truncated (${bytes.length} bytes; the data ends inside a record)`, {
        fix: 'the download or copy was interrupted: download it again (framefuse models pull <id>)',
        cause,
      });
    }
    throw userError('FF_MODEL_NOT_ONNX', `${source} is not an ONNX model (${message})`, {
      fix: 'pass a .onnx file; TFLite, TF.js and PyTorch files must be converted first (framefuse models prepare)',
      cause,
    });
  }
  if (!model.graph || model.opsetImport.length === 0 || ((model.graph.node ?? []).length === 0 && (model.graph.output ?? []).length === 0)) {
    throw userError('FF_MODEL_NOT_ONNX', `${source} is not an ONNX model (it decodes, but has no graph or no opset imports)`, {
      fix: 'pass a .onnx file exported by an ONNX exporter',
    });
  }
  return model;
}

/** Reads and parses an .onnx file. */
export async function readModel(path: string): Promise<ModelProto> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw operationalError('FF_MODEL_MISSING', `cannot read the model file ${path}: ${(cause as Error).message}`, { cause });
  }
  return decodeModel(bytes, path);
}

/** Writes a model atomically: a reader never sees a half-written file under the final name. */
export async function writeModel(path: string, model: ModelProto | Uint8Array): Promise<void> {
  const bytes = model instanceof Uint8Array ? model : encodeModel(model);
  const temp = `${path}.framefuse-tmp-${process.pid}-${Date.now()}`;
  await writeFile(temp, bytes);
  await rename(temp, path);
}
