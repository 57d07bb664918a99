/**
 * The ArrayBuffers inside a value, for postMessage's transfer list: frames cross threads
 * by moving their buffers, not by copying them. SharedArrayBuffers are shared anyway and
 * never listed.
 */
export function collectTransferables(value: unknown, into: Set<ArrayBuffer> = new Set(), depth = 0): Set<ArrayBuffer> {
  if (value === null || typeof value !== 'object' || depth > 8) return into;
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) into.add(buffer);
    return into;
  }
  if (value instanceof ArrayBuffer) {
    if (value.byteLength > 0) into.add(value);
    return into;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectTransferables(item, into, depth + 1);
    return into;
  }
  if (value instanceof Map) {
    for (const item of value.values()) collectTransferables(item, into, depth + 1);
    return into;
  }
  for (const item of Object.values(value)) collectTransferables(item, into, depth + 1);
  return into;
}
