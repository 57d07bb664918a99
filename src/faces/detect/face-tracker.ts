/**
 * Tracking between detection frames (detection every N frames, as DeepStream's `interval`
 * does). On a detection frame, detections are matched to the live tracks greedily by IoU
 * with each track's predicted box: a match keeps its track id, a new face starts a track,
 * a track without a match ends. On the frames in between, each track's box moves on at
 * the velocity measured between its last two detections (constant velocity; a new track
 * stays put), and its points move with the box.
 *
 * Everything depends on past frames only, so the result does not depend on how frames
 * are grouped into batches.
 */
import type { Face, Point } from '../../model/port-values.js';
import { iou, type Box } from './iou.js';

export interface TrackerOptions {
  /** Least IoU between a track's predicted box and a detection for them to match (the Detector's `matchIou`). */
  matchIou: number;
}

interface Track {
  id: number;
  /** The face at its last detection. */
  face: Face;
  /** Box change per frame: x1, y1, x2, y2. */
  velocity: [number, number, number, number];
  /** Frames since its last detection. */
  age: number;
}

function movedBox(box: Box, v: readonly number[], frames: number): Box {
  return { x1: box.x1 + v[0]! * frames, y1: box.y1 + v[1]! * frames, x2: box.x2 + v[2]! * frames, y2: box.y2 + v[3]! * frames };
}

/** Maps a point from one box to another (shift and scale with the box). */
export function pointInMovedBox(p: Point, from: Box, to: Box): Point {
  const sx = from.x2 > from.x1 ? (to.x2 - to.x1) / (from.x2 - from.x1) : 1;
  const sy = from.y2 > from.y1 ? (to.y2 - to.y1) / (from.y2 - from.y1) : 1;
  return { x: to.x1 + (p.x - from.x1) * sx, y: to.y1 + (p.y - from.y1) * sy };
}

/** A face moved to another box, with its points (and mesh) moved along. */
export function faceInBox(face: Face, box: Box): Face {
  const moved: Face = { ...face, box: { ...box }, landmarks: face.landmarks.map((p) => pointInMovedBox(p, face.box, box)) };
  if (face.mesh) moved.mesh = face.mesh.map((p) => pointInMovedBox(p, face.box, box));
  return moved;
}

export class FaceTracker {
  private tracks: Track[] = [];
  private nextId = 1;
  private readonly matchIou: number;

  constructor(options: TrackerOptions) {
    this.matchIou = options.matchIou;
  }

  /** The faces detected on a new frame, each given its track id. */
  update(detections: readonly Face[]): Face[] {
    const predicted = this.tracks.map((t) => movedBox(t.face.box, t.velocity, t.age + 1));
    const pairs: { t: number; d: number; overlap: number }[] = [];
    predicted.forEach((box, t) =>
      detections.forEach((det, d) => {
        const overlap = iou(box, det.box);
        if (overlap >= this.matchIou) pairs.push({ t, d, overlap });
      }),
    );
    pairs.sort((a, b) => b.overlap - a.overlap);
    const trackOf = new Map<number, number>();
    const usedTracks = new Set<number>();
    for (const pair of pairs) {
      if (usedTracks.has(pair.t) || trackOf.has(pair.d)) continue;
      usedTracks.add(pair.t);
      trackOf.set(pair.d, pair.t);
    }
    const next: Track[] = [];
    const out = detections.map((det, d) => {
      const t = trackOf.get(d);
      const previous = t === undefined ? undefined : this.tracks[t];
      const face: Face = { ...det, trackId: previous ? previous.id : this.nextId++ };
      let velocity: Track['velocity'] = [0, 0, 0, 0];
      if (previous) {
        const frames = previous.age + 1;
        const a = previous.face.box;
        const b = det.box;
        velocity = [(b.x1 - a.x1) / frames, (b.y1 - a.y1) / frames, (b.x2 - a.x2) / frames, (b.y2 - a.y2) / frames];
      }
      next.push({ id: face.trackId!, face, velocity, age: 0 });
      return face;
    });
    this.tracks = next;
    return out;
  }

  /**
   * The tracked faces on a frame without detection: each track one frame further along
   * its velocity, clipped to the frame; tracks that left the frame end.
   */
  carry(frameWidth: number, frameHeight: number): Face[] {
    const out: Face[] = [];
    const alive: Track[] = [];
    for (const track of this.tracks) {
      track.age++;
      const b = movedBox(track.face.box, track.velocity, track.age);
      const clipped = { x1: Math.max(0, b.x1), y1: Math.max(0, b.y1), x2: Math.min(frameWidth, b.x2), y2: Math.min(frameHeight, b.y2) };
      if (clipped.x2 <= clipped.x1 || clipped.y2 <= clipped.y1) continue;
      alive.push(track);
      // Points follow the unclipped box so they keep their place on the face.
      const moved = faceInBox(track.face, b);
      out.push({ ...moved, box: clipped });
    }
    this.tracks = alive;
    return out;
  }
}
