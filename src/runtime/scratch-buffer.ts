/**
 * A reusable input buffer per model session. A detector fills a 2-3 MB float canvas for
 * every frame; a fresh one each time costs page faults, zeroing and garbage-collector work
 * on helper threads, which a 2-core machine pays out of the pipeline's own time. One
 * buffer per session is reused (zeroed, since letterboxing leaves padding as is) once the
 * previous run has finished with it; an overlapping call gets a fresh one.
 */
export class ScratchBuffer {
  private buffer: Float32Array | null = null;
  private busy = false;

  /** A zeroed array of `length` floats; hand it back with `release` after the run. */
  take(length: number): Float32Array {
    if (this.busy) return new Float32Array(length);
    this.busy = true;
    if (this.buffer === null || this.buffer.length !== length) this.buffer = new Float32Array(length);
    else this.buffer.fill(0);
    return this.buffer;
  }

  release(array: Float32Array): void {
    if (array === this.buffer) this.busy = false;
  }
}

const perOwner = new WeakMap<object, Map<string, ScratchBuffer>>();

/** The scratch buffer that belongs to `owner` (a session), one per `slot` (an input's name). */
export function scratchFor(owner: object, slot = 'input'): ScratchBuffer {
  let slots = perOwner.get(owner);
  if (!slots) perOwner.set(owner, (slots = new Map()));
  let scratch = slots.get(slot);
  if (!scratch) slots.set(slot, (scratch = new ScratchBuffer()));
  return scratch;
}
