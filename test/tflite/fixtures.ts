/**
 * The project's photos and clip as face-test fixtures, with boxes and regions labelled by
 * hand (by looking at the images, zoomed, on a 10-pixel grid).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadImage } from '../../src/media/load-image.js';
import { getTools } from '../../src/media/ffmpeg-tools.js';
import type { Frame } from '../../src/model/port-values.js';
import type { Box } from '../../src/faces/detect/iou.js';

const fixture = (path: string) => fileURLToPath(new URL(`../../../test/fixtures/${path}`, import.meta.url));

export const PHOTOS = {
  /** Eileen Collins, 512x512: hairline to chin, cheek to cheek. */
  astronaut: {
    path: fixture('images/astronaut.png'),
    face: { x1: 180, y1: 82, x2: 272, y2: 182 },
    rightEye: { x1: 190, y1: 94, x2: 216, y2: 110 },
    leftEye: { x1: 234, y1: 95, x2: 260, y2: 112 },
    mouth: { x1: 198, y1: 134, x2: 250, y2: 156 },
  },
  /** Barack Obama, 910x1137. */
  obama: {
    path: fixture('images/fr_obama.jpg'),
    face: { x1: 372, y1: 150, x2: 612, y2: 405 },
    rightEye: { x1: 415, y1: 200, x2: 470, y2: 226 },
    leftEye: { x1: 520, y1: 198, x2: 575, y2: 225 },
    mouth: { x1: 428, y1: 305, x2: 562, y2: 350 },
  },
} as const satisfies Record<string, { path: string; face: Box; rightEye: Box; leftEye: Box; mouth: Box }>;

export const CLIP = {
  path: fileURLToPath(new URL('../../../samples/tears_of_steel_clip01_640x360.mp4', import.meta.url)),
  width: 640,
  height: 360,
  /** The man with glasses at t = 4.5 s (issue 5's box). */
  manAt4_5: { x1: 405, y1: 20, x2: 519, y2: 177 },
  /**
   * Frames with only the robot (looked at one by one): t = 0 and 0.5 s, its body close
   * up; t = 8 and 8.5 s, its head with two round eye lights.
   */
  robotTimes: [0, 0.5, 8, 8.5],
} as const;

export function loadPhoto(name: keyof typeof PHOTOS): Promise<Frame> {
  return loadImage(PHOTOS[name].path);
}

/** `count` frames of the clip from `start` seconds, `fps` per second (default: every frame). */
export async function clipFrames(start: number, count: number, fps?: number): Promise<Frame[]> {
  const { width, height } = CLIP;
  const args = ['-v', 'error', '-nostdin', '-ss', String(start), '-i', CLIP.path, ...(fps ? ['-vf', `fps=${fps}`] : []), '-frames:v', String(count), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const child = spawn(getTools().ffmpeg.path, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const bytes = Buffer.concat(chunks);
  const size = width * height * 3;
  if (code !== 0 || bytes.length < size * count) throw new Error(`ffmpeg gave ${bytes.length} bytes for ${count} frames (exit ${code})`);
  return Array.from({ length: count }, (_, i) => ({ width, height, data: new Uint8Array(bytes.subarray(i * size, (i + 1) * size)) }));
}

export async function clipFrameAt(t: number): Promise<Frame> {
  const [frame] = await clipFrames(t, 1);
  return frame!;
}

export function inside(p: { x: number; y: number }, b: Box): boolean {
  return p.x >= b.x1 && p.x <= b.x2 && p.y >= b.y1 && p.y <= b.y2;
}
