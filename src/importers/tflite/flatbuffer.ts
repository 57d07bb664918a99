/**
 * A bounds-checked reader for the parts of the FlatBuffers wire format that TFLite files
 * use: tables with vtables, scalars, strings, and vectors of scalars, bytes and tables.
 * Every read is checked against the buffer, so a corrupt or cut file fails with a
 * message instead of reading garbage or throwing a RangeError from deep inside.
 *
 * Why our own and not the flatbuffers package: its runtime checks no offset (a model file
 * is untrusted input: a cut or crafted file must fail with a message, not read other
 * memory of the buffer as a tensor), and using it means generating TypeScript from TFLite's
 * schema.fbs with flatc, a native tool not on npm, for a few thousand lines of which we
 * read a handful of tables.
 */

/** Thrown for any read outside the buffer or a structure that cannot be valid. */
export class FlatbufferFormatError extends Error {}

export class FlatBuffer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  check(offset: number, size: number, what: string): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.bytes.byteLength) {
      throw new FlatbufferFormatError(`${what} at byte ${offset} (+${size}) lies outside the ${this.bytes.byteLength}-byte buffer`);
    }
  }

  u8(offset: number): number {
    this.check(offset, 1, 'a byte');
    return this.view.getUint8(offset);
  }

  i8(offset: number): number {
    this.check(offset, 1, 'a byte');
    return this.view.getInt8(offset);
  }

  u16(offset: number): number {
    this.check(offset, 2, 'a 16-bit value');
    return this.view.getUint16(offset, true);
  }

  i32(offset: number): number {
    this.check(offset, 4, 'a 32-bit value');
    return this.view.getInt32(offset, true);
  }

  u32(offset: number): number {
    this.check(offset, 4, 'a 32-bit value');
    return this.view.getUint32(offset, true);
  }

  u64(offset: number): number {
    this.check(offset, 8, 'a 64-bit value');
    return Number(this.view.getBigUint64(offset, true));
  }

  /** The 4-character file identifier stored after the root offset, or '' when too short. */
  identifier(): string {
    if (this.bytes.byteLength < 8) return '';
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }

  /** The root table (the uoffset at byte 0). */
  root(): FlatTable {
    return new FlatTable(this, this.u32(0));
  }
}

/** One table: fields are read by their index in the schema (0-based, declaration order). */
export class FlatTable {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    readonly buffer: FlatBuffer,
    readonly position: number,
  ) {
    const vtable = position - buffer.i32(position);
    this.vtable = vtable;
    this.vtableSize = buffer.u16(vtable);
    if (this.vtableSize < 4 || this.vtableSize % 2 !== 0) {
      throw new FlatbufferFormatError(`the table at byte ${position} has a vtable of impossible size ${this.vtableSize}`);
    }
    buffer.check(vtable, this.vtableSize, 'a vtable');
  }

  /** Absolute position of a field's value, or 0 when the field is absent (its default applies). */
  fieldPosition(field: number): number {
    const slot = 4 + field * 2;
    if (slot >= this.vtableSize) return 0;
    const relative = this.buffer.u16(this.vtable + slot);
    return relative === 0 ? 0 : this.position + relative;
  }

  has(field: number): boolean {
    return this.fieldPosition(field) !== 0;
  }

  int8(field: number, fallback = 0): number {
    const at = this.fieldPosition(field);
    return at === 0 ? fallback : this.buffer.i8(at);
  }

  uint8(field: number, fallback = 0): number {
    const at = this.fieldPosition(field);
    return at === 0 ? fallback : this.buffer.u8(at);
  }

  bool(field: number, fallback = false): boolean {
    const at = this.fieldPosition(field);
    return at === 0 ? fallback : this.buffer.u8(at) !== 0;
  }

  int32(field: number, fallback = 0): number {
    const at = this.fieldPosition(field);
    return at === 0 ? fallback : this.buffer.i32(at);
  }

  uint32(field: number, fallback = 0): number {
    const at = this.fieldPosition(field);
    return at === 0 ? fallback : this.buffer.u32(at);
  }

  uint64(field: number, fallback = 0): number {
    const at = this.fieldPosition(field);
    return at === 0 ? fallback : this.buffer.u64(at);
  }

  /** Follows the uoffset stored in a field; 0 when the field is absent. */
  private target(field: number): number {
    const at = this.fieldPosition(field);
    return at === 0 ? 0 : at + this.buffer.u32(at);
  }

  table(field: number): FlatTable | null {
    const at = this.target(field);
    return at === 0 ? null : new FlatTable(this.buffer, at);
  }

  string(field: number): string {
    const at = this.target(field);
    if (at === 0) return '';
    const length = this.buffer.u32(at);
    this.buffer.check(at + 4, length, 'a string');
    return new TextDecoder().decode(this.buffer.bytes.subarray(at + 4, at + 4 + length));
  }

  /** Start and length of a vector field; null when absent. */
  private vector(field: number, elementSize: number): { start: number; length: number } | null {
    const at = this.target(field);
    if (at === 0) return null;
    const length = this.buffer.u32(at);
    this.buffer.check(at + 4, length * elementSize, 'a vector');
    return { start: at + 4, length };
  }

  int32s(field: number): number[] {
    const v = this.vector(field, 4);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => this.buffer.i32(v.start + i * 4));
  }

  /** A [ubyte] vector as a view on the buffer (no copy); null when absent. */
  bytes(field: number): Uint8Array | null {
    const v = this.vector(field, 1);
    return v ? this.buffer.bytes.subarray(v.start, v.start + v.length) : null;
  }

  tables(field: number): FlatTable[] {
    const v = this.vector(field, 4);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => {
      const at = v.start + i * 4;
      return new FlatTable(this.buffer, at + this.buffer.u32(at));
    });
  }
}
