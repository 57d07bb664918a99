/**
 * Cuts the byte stream of a raw video pipe into frames. Every frame gets its own
 * ArrayBuffer (byteOffset 0, byteLength exactly one frame), because frames may be
 * transferred to worker threads and a transfer detaches the whole buffer: views into a
 * shared pipe buffer would take their neighbours with them.
 */
export class FrameAssembler {
  private current: Uint8Array | null = null;
  private filled = 0;

  constructor(readonly frameBytes: number) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0) throw new RangeError(`frame size must be a positive integer, got ${frameBytes}`);
  }

  /** Bytes of an incomplete frame held back, waiting for the rest. */
  get pendingBytes(): number {
    return this.filled;
  }

  /** Adds a chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const done: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.current === null) {
        // allocUnsafeSlow: an unpooled, uninitialised buffer of its own, so no time is spent
        // zero-filling bytes that are overwritten at once. Re-viewed as a plain Uint8Array.
        const owned = Buffer.allocUnsafeSlow(this.frameBytes);
        this.current = new Uint8Array(owned.buffer, 0, this.frameBytes);
        this.filled = 0;
      }
      const take = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameBytes) {
        done.push(this.current);
        this.current = null;
        this.filled = 0;
      }
    }
    return done;
  }
}
