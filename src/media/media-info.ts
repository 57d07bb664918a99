/** What probing a media file tells: the facts the Decoder and Encoder plan with. */

export interface VideoStreamInfo {
  /** Index of the stream in the file (as `-map 0:N` takes it). */
  index: number;
  codec: string;
  /** Upright size: after the rotation metadata is applied, as the frames come out. */
  width: number;
  height: number;
  /** Size as stored in the file, before rotation. */
  codedWidth: number;
  codedHeight: number;
  /** Clockwise rotation that makes stored frames upright: 0, 90, 180 or 270. */
  rotation: 0 | 90 | 180 | 270;
  /** Frames per second (the average rate; the nominal rate when the average is unknown). */
  fps: number;
  /** The same rate as ffmpeg writes it, e.g. `24000/1001`, so arguments stay exact. */
  fpsRational: string;
  /** Whether the average and nominal rates differ: the stream is variable frame rate. */
  variableFrameRate: boolean;
  /** Frames in the stream, when the container says (or a packet count found out). */
  frameCount: number | null;
  /** Whether frameCount is exact (from the container or a count) rather than duration x fps. */
  frameCountExact: boolean;
  duration: number | null;
  /** Timestamp of the stream's first frame, in seconds, on the file's clock (as start_time). */
  startTime: number;
  pixelFormat: string | null;
  /** Colour matrix tag (`bt709`, `smpte170m`, ...), null when the file does not say. */
  colorSpace: string | null;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
  channels: number | null;
  sampleRate: number | null;
  duration: number | null;
}

export interface MediaInfo {
  /** Absolute path of the probed file. */
  path: string;
  /** Container as ffmpeg names it (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, ...). */
  format: string;
  duration: number | null;
  /** Start time of the container in seconds (nonzero for MPEG-TS, for example). */
  startTime: number;
  sizeBytes: number;
  /** The first video stream that is not an attached picture; null for audio-only files. */
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo[];
  /** Which tool answered: ffprobe, or ffmpeg's `-i` banner when there is no ffprobe. */
  probedWith: 'ffprobe' | 'ffmpeg';
}

/** Parses `30000/1001`, `24`, `23.976` into a number; 0 or NaN for `0/0` and garbage. */
export function parseRational(text: string | undefined | null): number {
  if (!text) return NaN;
  const [num, den] = text.split('/');
  if (den === undefined) return Number(num);
  const d = Number(den);
  return d === 0 ? NaN : Number(num) / d;
}

/** A rate as an exact rational string: NTSC rates become n*1000/1001. */
export function rationalFor(fps: number): string {
  for (const base of [24, 30, 48, 60, 120]) {
    if (Math.abs(fps - (base * 1000) / 1001) < 0.005) return `${base * 1000}/1001`;
  }
  if (Number.isInteger(fps)) return `${fps}/1`;
  return `${Math.round(fps * 1000)}/1000`;
}

/** Clockwise rotation from a display matrix angle (counter-clockwise degrees, as ffprobe prints it). */
export function clockwiseFromDisplayMatrix(ccw: number): 0 | 90 | 180 | 270 {
  const cw = (((Math.round(-ccw / 90) * 90) % 360) + 360) % 360;
  return cw as 0 | 90 | 180 | 270;
}
