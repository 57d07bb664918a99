/**
 * Still images (PNG, JPEG, WebP, BMP, ...) decoded to RGB24 by ffmpeg. ffmpeg writes a
 * binary PPM, whose header carries the size, so one process gives pixels and dimensions.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { getTools } from './ffmpeg-tools.js';
import { userError } from '../errors.js';
import { nonRegularKind } from '../files/file-kind.js';
import type { Image } from '../model/port-values.js';

/** Parses a binary PPM (P6, maxval 255) into an RGB24 image. */
export function parsePpm(bytes: Uint8Array): Image {
  const text = new TextDecoder('latin1');
  let offset = 0;
  const fields: number[] = [];
  if (text.decode(bytes.subarray(0, 2)) !== 'P6') throw new Error('not a binary PPM (P6)');
  offset = 2;
  while (fields.length < 3) {
    while (offset < bytes.length && /\s/.test(String.fromCharCode(bytes[offset]!))) offset++;
    if (bytes[offset] === 0x23) {
      while (offset < bytes.length && bytes[offset] !== 0x0a) offset++;
      continue;
    }
    let digits = '';
    while (offset < bytes.length && bytes[offset]! >= 0x30 && bytes[offset]! <= 0x39) digits += String.fromCharCode(bytes[offset++]!);
    if (digits === '') throw new Error('malformed PPM header');
    fields.push(Number(digits));
  }
  offset++; // the single whitespace after maxval
  const [width, height, maxval] = fields as [number, number, number];
  if (maxval !== 255) throw new Error(`PPM maxval ${maxval} is not supported`);
  const size = width * height * 3;
  if (bytes.length - offset < size) throw new Error('truncated PPM');
  const data = new Uint8Array(size);
  data.set(bytes.subarray(offset, offset + size));
  return { width, height, data };
}

/** Loads the first frame of an image file as RGB24. */
export async function loadImage(path: string, options: { signal?: AbortSignal } = {}): Promise<Image> {
  try {
    const info = await stat(path);
    const kind = nonRegularKind(info);
    if (kind === 'a folder') throw userError('FF_IMAGE_NOT_FOUND', `${path} is a folder, not an image file`, { fix: 'give the path of an image file' });
    if (kind) throw userError('FF_MEDIA_NOT_FILE', `${path} is ${kind}, not an image file`, { fix: 'give the path of an image file' });
    if (info.size === 0) throw userError('FF_IMAGE_EMPTY', `${path} is empty (0 bytes)`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw userError('FF_IMAGE_NOT_FOUND', `${path} does not exist`, { fix: 'check the path' });
    throw error;
  }
  const { ffmpeg } = getTools();
  const child = spawn(ffmpeg.path, ['-v', 'error', '-nostdin', '-i', path, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'ppm', '-pix_fmt', 'rgb24', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const bytes = Buffer.concat(out);
  if (code !== 0 || bytes.length === 0) {
    const detail = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' / ');
    throw userError('FF_IMAGE_UNREADABLE', `${path} could not be read as an image${detail ? `: ${detail}` : ''}`, { fix: 'use a PNG, JPEG, WebP or BMP file' });
  }
  return parsePpm(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
}
