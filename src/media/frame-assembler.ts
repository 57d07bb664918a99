/**
 * Cuts the byte stream of a raw video pipe into frames. Every frame gets a
 * SharedArrayBuffer of its own (byteOffset 0, byteLength exactly one frame): a decoded
 * frame is usually read by several stages in worker threads (the detector and the node that
 * changes the faces), and shared memory reaches all of them without a copy each. Frames are
 * read-only to every node (a node that changes pixels writes a new frame), which is what
 * makes sharing safe.
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
        this.current = new Uint8Array(new SharedArrayBuffer(this.frameBytes));
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
