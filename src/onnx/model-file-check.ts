/**
 * Whether a file is an ONNX model, told from its outline alone: the top-level records of a
 * ModelProto (tags and lengths, their contents skipped), which must run exactly to the end
 * of the file and include a graph and an opset import. Validation uses it to refuse a text
 * file or a binary named `.onnx` without reading gigabytes of weights; the full parse
 * (model-io.ts) happens when the model is loaded.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** Wire types a ModelProto's fields use: varint (ir_version, model_version) or length-delimited. */
const FIELD_WIRE: Record<number, number> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2, 26: 2 };
const GRAPH = 7;
const OPSET_IMPORT = 8;
const MAX_RECORDS = 100_000;

class Reader {
  private buffer = Buffer.alloc(0);
  private start = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** A varint at `offset`, with the offset after it; null past the end or when malformed. */
  async varint(offset: number): Promise<{ value: number; next: number } | null> {
    if (offset < this.start || offset + 10 > this.start + this.buffer.length) {
      this.buffer = Buffer.alloc(Math.min(64 * 1024, Math.max(0, this.size - offset)));
      this.start = offset;
      await this.handle.read(this.buffer, 0, this.buffer.length, offset);
    }
    let value = 0;
    for (let i = 0; i < 10; i++) {
      const at = offset + i - this.start;
      if (at >= this.buffer.length) return null;
      const byte = this.buffer[at]!;
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) return { value, next: offset + i + 1 };
    }
    return null;
  }
}

/** Null when `path` outlines as an ONNX model, else why not. */
export async function notOnnxReason(path: string): Promise<string | null> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size === 0) return 'it is empty';
    const reader = new Reader(handle, size);
    const seen = new Set<number>();
    let offset = 0;
    for (let records = 0; offset < size; records++) {
      if (records > MAX_RECORDS) return 'it has far too many top-level records for a model';
      const tag = await reader.varint(offset);
      if (!tag) return `it ends inside a record (at byte ${offset})`;
      const field = Math.floor(tag.value / 8);
      const wire = tag.value % 8;
      if (FIELD_WIRE[field] === undefined) return `byte ${offset} starts no ONNX model record (field ${field})`;
      if (FIELD_WIRE[field] !== wire) return `field ${field} at byte ${offset} has the wrong encoding`;
      seen.add(field);
      if (wire === 0) {
        const value = await reader.varint(tag.next);
        if (!value) return `it ends inside a record (at byte ${tag.next})`;
        offset = value.next;
      } else {
        const length = await reader.varint(tag.next);
        if (!length || length.next + length.value > size) return `a record at byte ${offset} runs past the end of the file (cut short?)`;
        offset = length.next + length.value;
      }
    }
    if (!seen.has(GRAPH)) return 'it has no graph';
    if (!seen.has(OPSET_IMPORT)) return 'it has no opset import';
    return null;
  } finally {
    await handle.close();
  }
}
