/**
 * The values that travel on ports at run time. Plain objects with typed-array payloads, so
 * they cross worker threads by structured clone with their buffers transferred.
 */

/** One decoded frame: packed RGB24, row-major, `data.length === width * height * 3`. */
export interface Frame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Stream-level facts about a Frames port, known when the pipeline opens. */
export interface FramesInfo {
  width: number;
  height: number;
  /** Frames per second of the stream. */
  fps: number;
  /** Frame count when known in advance (for progress and ETA); null when unknown. */
  frameCount: number | null;
}

export interface Point {
  x: number;
  y: number;
}

/** A face found in one frame. Coordinates are in frame pixels. */
export interface Face {
  box: { x1: number; y1: number; x2: number; y2: number };
  score: number;
  /** Five alignment points: right eye, left eye, nose tip, right mouth corner, left mouth corner. */
  landmarks: Point[];
  /** Extra landmarks when a model gives more (468 for FaceMesh), else absent. */
  mesh?: Point[];
  /** Identity embedding when a node computed one. */
  embedding?: Float32Array;
  /** Track id, stable across frames for the same face when tracking is on. */
  trackId?: number;
}

/** A single-channel 8-bit mask. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A still image, RGB24 like Frame. */
export type Image = Frame;

export interface Embedding {
  vector: Float32Array;
}

/** A reference to the audio of a media file, and the part of it the video uses. */
export interface AudioRef {
  path: string;
  /** Index of the audio stream in the file, or null when the file has none. */
  streamIndex: number | null;
  /** Start and end of the used range in seconds (end null = to the end). */
  start: number;
  end: number | null;
}

/** What each port type carries per frame (stream types) or once (value types). */
export interface PortValueMap {
  Frames: Frame;
  Faces: Face[];
  Mask: Mask;
  Image: Image;
  Embedding: Embedding;
  Audio: AudioRef;
}

/** What a stream port announces when the pipeline opens. */
export interface StreamInfoMap {
  Frames: FramesInfo;
  Faces: { frames: FramesInfo };
  Mask: { width: number; height: number };
}
