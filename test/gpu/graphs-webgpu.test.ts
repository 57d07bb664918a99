/**
 * The shipped graphs end to end through the CLI with --provider webgpu against the same
 * run on the CPU: anonymize (YuNet letterboxed on the device, the blur on the host) and
 * faceswap (generated models with the real signatures: crops, the chain and paste-back on
 * the device). Both write real files through the Encoder, losslessly (RGB, quality 100:
 * bit-exact), since a lossy x264 spends its bits differently as soon as one pixel differs
 * and moves every frame by most of a level; decoded, they are compared frame by frame.
 *
 * Tolerance: at most 2 levels on any channel of any pixel, 0.05 on average over a frame.
 * Measured on lavapipe: anonymize bit-identical (YuNet finds the same boxes from the device's
 * canvas, and the blur runs on the host); faceswap 1 level at most, 0.011 on average (the
 * device samples in float32 and rounds once). A wrong face, a missed blur or a shifted frame
 * moves whole regions by tens of levels.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { getTools } from '../../src/media/ffmpeg-tools.js';
import { writeFaceModels, type FaceModelFiles } from '../swap/face-models.js';
import { requireWebGpu } from './webgpu.js';

const CLI = fileURLToPath(new URL('../../../bin/framefuse.js', import.meta.url));
const exec = promisify(execFile);
const MEAN_LEVELS = 0.05;
const MAX_LEVELS = 2;
const LOSSLESS = ['--set', 'encoder.quality=100', '--set', 'encoder.pixelFormat=rgb24'];

function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'run', '--no-tune', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function decode(file: string): Promise<{ frames: Uint8Array[]; width: number; height: number }> {
  const { stdout } = await exec(getTools().ffprobe!.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file]);
  const [width, height] = stdout.trim().split(',').map(Number) as [number, number];
  const raw = await exec(getTools().ffmpeg.path, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { encoding: 'buffer', maxBuffer: 1 << 30 });
  const size = width * height * 3;
  const frames: Uint8Array[] = [];
  for (let o = 0; o + size <= raw.stdout.length; o += size) frames.push(new Uint8Array(raw.stdout.buffer, raw.stdout.byteOffset + o, size));
  return { frames, width, height };
}

async function assertClose(gpuFile: string, cpuFile: string, label: string): Promise<void> {
  const a = await decode(gpuFile);
  const b = await decode(cpuFile);
  assert.equal(a.frames.length, b.frames.length, `${label}: frame count`);
  assert.ok(a.frames.length > 0);
  a.frames.forEach((frame, i) => {
    const other = b.frames[i]!;
    let sum = 0;
    let max = 0;
    for (let p = 0; p < frame.length; p++) {
      const d = Math.abs(frame[p]! - other[p]!);
      sum += d;
      if (d > max) max = d;
    }
    const mean = sum / frame.length;
    assert.ok(mean <= MEAN_LEVELS && max <= MAX_LEVELS, `${label} frame ${i}: mean ${mean.toFixed(4)} levels, max ${max}`);
  });
}

describe('the shipped graphs on webgpu match the cpu run', () => {
  let models: FaceModelFiles;
  const out = mkdtempSync(join(tmpdir(), 'ff-gpu-graphs-'));

  before(async () => {
    await requireWebGpu();
    models = writeFaceModels();
  });

  test('graphs/anonymize.json, 12 frames', async () => {
    const sets = ['--set', 'decoder.end=12', ...LOSSLESS];
    const gpu = await runCli(['graphs/anonymize.json', ...sets, '--set', `encoder.path=${join(out, 'anon-gpu.mkv')}`, '--provider', 'webgpu']);
    assert.equal(gpu.code, 0, gpu.stderr);
    assert.match(gpu.stderr, /letterboxing on the device/);
    assert.doesNotMatch(gpu.stderr, /falling back|fell back|trying cpu/);
    const cpu = await runCli(['graphs/anonymize.json', ...sets, '--set', `encoder.path=${join(out, 'anon-cpu.mkv')}`, '--provider', 'cpu']);
    assert.equal(cpu.code, 0, cpu.stderr);
    await assertClose(join(out, 'anon-gpu.mkv'), join(out, 'anon-cpu.mkv'), 'anonymize');
  });

  test('graphs/faceswap.json with generated models, 8 frames with a face', async () => {
    const sets = [`swapper.model=${models.swapper}`, `swapper.embedder=${models.embedder}`, `enhancer.faceModel=${models.gfpgan}`, 'decoder.start=104', 'decoder.end=112'].flatMap((s) => ['--set', s]).concat(LOSSLESS);
    const gpu = await runCli(['graphs/faceswap.json', ...sets, '--set', `encoder.path=${join(out, 'swap-gpu.mkv')}`, '--provider', 'webgpu']);
    assert.equal(gpu.code, 0, gpu.stderr);
    assert.match(gpu.stderr, /crops and paste-back on the device/);
    assert.doesNotMatch(gpu.stderr, /falling back|fell back|trying cpu/);
    const cpu = await runCli(['graphs/faceswap.json', ...sets, '--set', `encoder.path=${join(out, 'swap-cpu.mkv')}`, '--provider', 'cpu']);
    assert.equal(cpu.code, 0, cpu.stderr);
    await assertClose(join(out, 'swap-gpu.mkv'), join(out, 'swap-cpu.mkv'), 'faceswap');
  });
});
