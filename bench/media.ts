/**
 * Media benchmark: on a generated 1080p clip, side by side in one run,
 *   1. plain `ffmpeg -i in -c:v libx264 -preset veryfast out` (the limit), and
 *   2. framefuse's Decoder -> Encoder through the scheduler with the same encoder settings
 *      (libx264, veryfast, crf 23 = quality 55, yuv420p, no faststart),
 * and the peak RSS of the framefuse side for that clip and for one 4x longer, each in its
 * own child process so that runs do not pollute each other. Streaming means the long
 * clip's peak stays within 1.25x of the short one's.
 *
 * The short clip's pair is run `--repeat` times, interleaved (plain, framefuse, plain, ...),
 * and the fastest of each is kept: on a shared machine that is the least disturbed figure.
 *
 *   npm run bench -- media [--seconds=20] [--width=1920] [--height=1080] [--repeat=2]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { getTools } from '../src/media/ffmpeg-tools.js';
import { ffmpegVersion } from '../src/media/ffmpeg-capabilities.js';
import type { GraphDocument } from '../src/model/document.js';

const SELF = fileURLToPath(import.meta.url);

interface ChildReport {
  wallMs: number;
  frames: number;
  peakRssMb: number;
}

function flag(args: string[], name: string, fallback: number): number {
  const found = args.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
}

/** A testsrc2 clip with moving content (so the encoder has real work), cached between runs. */
function clip(ffmpeg: string, dir: string, width: number, height: number, seconds: number): string {
  const path = join(dir, `bench-${width}x${height}-${seconds}s.mp4`);
  if (existsSync(path)) return path;
  process.stdout.write(`generating ${path} ...\n`);
  const part = `${path}.part.mp4`;
  const result = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=24:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', part], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('could not generate the benchmark clip');
  spawnSync('mv', [part, path]);
  return path;
}

function plainFfmpeg(ffmpeg: string, input: string, output: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-i', input, '-c:v', 'libx264', '-preset', 'veryfast', output], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`ffmpeg exited with ${code}`))));
  });
}

function framefuseChild(input: string, output: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELF, '--child', input, output], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the framefuse run exited with ${code}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ChildReport);
    });
  });
}

/** Runs in the child: the transcode graph through the scheduler, then reports wall time and peak RSS. */
async function childMain(input: string, output: string): Promise<void> {
  const { loadNodeRegistry } = await import('../src/node-api/registry.js');
  const { prepareGraph } = await import('../src/run/prepare-graph.js');
  const { runPlan } = await import('../src/run/run-plan.js');
  const { GRAPH_SCHEMA_VERSION } = await import('../src/model/document.js');
  const doc: GraphDocument = {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    name: 'bench-transcode',
    nodes: [
      { id: 'decoder', type: 'Decoder', version: 1, params: { path: input } },
      { id: 'encoder', type: 'Encoder', version: 1, params: { path: output, codec: 'h264', quality: 55, preset: 'veryfast', hardware: 'never', faststart: false } },
    ],
    edges: [
      { from: { node: 'decoder', port: 'frames' }, to: { node: 'encoder', port: 'frames' } },
      { from: { node: 'decoder', port: 'audio' }, to: { node: 'encoder', port: 'audio' } },
    ],
    metadata: {},
  };
  const prepared = await prepareGraph(doc, await loadNodeRegistry(), { providers: ['cpu'] });
  if (!prepared.graph || !prepared.plan) throw new Error(prepared.problems.map((p) => p.message).join('\n'));
  const started = performance.now();
  const { outputs } = await runPlan(prepared.graph, prepared.plan);
  const wallMs = performance.now() - started;
  const frames = (outputs.encoder as { frames: number }).frames;
  const report: ChildReport = { wallMs, frames, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

export default async function run(args: string[]): Promise<void> {
  const seconds = flag(args, 'seconds', 20);
  const width = flag(args, 'width', 1920);
  const height = flag(args, 'height', 1080);
  const tools = getTools();
  const dir = join(tmpdir(), 'framefuse-bench-media');
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`ffmpeg: ${tools.ffmpeg.path} (${tools.ffmpeg.source}); ${await ffmpegVersion(tools.ffmpeg.path)}\n`);
  const short = clip(tools.ffmpeg.path, dir, width, height, seconds);
  const long = clip(tools.ffmpeg.path, dir, width, height, seconds * 4);
  const out = (name: string) => join(dir, `out-${name}.mp4`);

  process.stdout.write(`\n${width}x${height}, 24 fps: ${seconds} s (${seconds * 24} frames) and ${seconds * 4} s (${seconds * 96} frames); libx264 veryfast crf 23\n`);
  const repeat = Math.max(1, flag(args, 'repeat', 2));
  let plainMs = Infinity;
  let ff: ChildReport | null = null;
  let shortPeak = 0;
  const walls: string[] = [];
  for (let i = 0; i < repeat; i++) {
    const p = await plainFfmpeg(tools.ffmpeg.path, short, out('plain'));
    const f = await framefuseChild(short, out('framefuse'));
    walls.push(`plain ${(p / 1000).toFixed(2)} s / framefuse ${(f.wallMs / 1000).toFixed(2)} s`);
    plainMs = Math.min(plainMs, p);
    shortPeak = Math.max(shortPeak, f.peakRssMb);
    if (ff === null || f.wallMs < ff.wallMs) ff = f;
  }
  if (ff === null) throw new Error('no framefuse run');
  ff = { ...ff, peakRssMb: shortPeak };
  process.stdout.write(`runs: ${walls.join('; ')}\n`);
  const ffLong = await framefuseChild(long, out('framefuse-long'));
  for (const name of ['plain', 'framefuse', 'framefuse-long']) rmSync(out(name), { force: true });

  const rows = [
    ['run', 'frames', 'wall s', 'fps', 'vs plain ffmpeg', 'peak RSS MB (node)'],
    ['plain ffmpeg', String(seconds * 24), (plainMs / 1000).toFixed(2), ((seconds * 24 * 1000) / plainMs).toFixed(1), '1.00x', '-'],
    ['framefuse Decoder->Encoder', String(ff.frames), (ff.wallMs / 1000).toFixed(2), ((ff.frames * 1000) / ff.wallMs).toFixed(1), `${(ff.wallMs / plainMs).toFixed(2)}x`, ff.peakRssMb.toFixed(0)],
    [`framefuse, ${seconds * 4} s clip`, String(ffLong.frames), (ffLong.wallMs / 1000).toFixed(2), ((ffLong.frames * 1000) / ffLong.wallMs).toFixed(1), '-', ffLong.peakRssMb.toFixed(0)],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}\n`);
  const ratio = ff.wallMs / plainMs;
  const rssRatio = ffLong.peakRssMb / ff.peakRssMb;
  process.stdout.write(
    `\nwall ratio framefuse / plain ffmpeg: ${ratio.toFixed(3)} (goal <= 1.15: ${ratio <= 1.15 ? 'met' : 'NOT met'})\n` +
      `peak RSS, 4x longer clip / short clip: ${rssRatio.toFixed(3)} (must be <= 1.25: ${rssRatio <= 1.25 ? 'met' : 'NOT met'})\n` +
      'Peak RSS is the framefuse Node process (its ffmpeg children are separate processes), each run in a fresh child.\n',
  );
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url && process.argv[2] === '--child') {
  await childMain(process.argv[3] ?? '', process.argv[4] ?? '');
}
