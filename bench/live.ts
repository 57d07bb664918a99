/**
 * Live benchmark: graphs/live-anonymize.json (Camera -> YuNet every 2nd frame, tracked
 * between -> Anonymizer -> LiveView + Encoder) fed 640x480 at 25 fps by its Camera reading a
 * clip made from the sample at its own rate (ffmpeg -re, looped), for `--seconds` (default
 * 20), then stopped as Ctrl-C would. Prints end-to-end latency (capture to sink, p50/p95,
 * over the last frames), sustained fps in and out, and frames dropped per stage. The goal
 * on a CPU: p95 under 150 ms at 25 fps in.
 *
 *   npm run bench -- live [--seconds=20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareFile } from '../src/cli/load-for-cli.js';
import { runPlan } from '../src/run/run-plan.js';
import { runToCompletion } from '../src/media/ffmpeg-process.js';
import { getTools } from '../src/media/ffmpeg-tools.js';
import { formatLive } from '../src/cli/live-stop.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function flag(args: string[], name: string, fallback: number): number {
  const found = args.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
}

export default async function live(args: string[]): Promise<void> {
  const seconds = flag(args, 'seconds', 20);
  const dir = mkdtempSync(join(tmpdir(), 'ff-bench-live-'));
  try {
    const input = join(dir, 'camera-640x480-25.mp4');
    const made = await runToCompletion(getTools().ffmpeg.path, ['-y', '-i', join(ROOT, 'samples/tears_of_steel_clip01_640x360.mp4'), '-vf', 'scale=640:480,fps=25', '-an', '-c:v', 'libx264', '-preset', 'veryfast', input]);
    if (made.exit.code !== 0) throw new Error(`making the camera clip failed: ${made.stderr.join('\n')}`);
    const prepared = await prepareFile(join(ROOT, 'graphs/live-anonymize.json'), { sets: [`camera.url=${input}`, 'camera.loop=true', `encoder.path=${join(dir, 'out.mp4')}`], providers: ['cpu'] });
    if (!prepared.graph || !prepared.plan) throw new Error(prepared.problems.map((p) => p.message).join('\n'));
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), seconds * 1000);
    const { metrics } = await runPlan(prepared.graph, prepared.plan, { live: { stop: stop.signal } });
    clearTimeout(timer);
    const m = metrics.live!;
    process.stdout.write(`graphs/live-anonymize.json, 640x480 at 25 fps in, ${seconds} s on ${cpus().length} CPU cores (${cpus()[0]?.model ?? '?'}), cpu provider\n`);
    process.stdout.write(`${formatLive(m)}\n`);
    process.stdout.write(`latency max ${m.latencyMs?.max.toFixed(0) ?? '-'} ms over the last ${m.latencyMs?.samples ?? 0} frames; goal p95 < 150 ms: ${m.latencyMs && m.latencyMs.p95 < 150 ? 'met' : 'not met'}\n`);
    process.stdout.write(`${JSON.stringify({ bench: 'live', seconds, latencyMs: m.latencyMs, fpsIn: m.fpsIn, fpsOut: m.fpsOut, framesIn: m.framesIn, framesOut: m.framesOut, dropped: m.droppedByStage })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
