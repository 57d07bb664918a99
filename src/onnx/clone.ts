/** A deep copy of a model (through its encoding, which is the one copy protobufjs guarantees complete). */
import { decodeModel, encodeModel } from './model-io.js';
import type { ModelProto } from './proto.js';

export function cloneModel(model: ModelProto): ModelProto {
  return decodeModel(encodeModel(model));
}
