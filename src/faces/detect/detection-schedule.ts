/**
 * Which frames of a batch are detection frames when detection runs every N frames: the
 * first frame the node sees, then every N-th after it. Counted over the frames the node
 * has seen, so the choice does not depend on how frames are grouped into batches.
 */
export class DetectionSchedule {
  private seen = 0;

  constructor(private readonly every: number) {}

  /** For the next `n` frames, whether each is a detection frame. */
  next(n: number): boolean[] {
    const out: boolean[] = [];
    for (let i = 0; i < n; i++) out.push((this.seen++ % this.every) === 0);
    return out;
  }
}
