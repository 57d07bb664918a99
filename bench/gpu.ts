/**
 * The GPU benchmark (`npm run bench -- gpu [--quick|--smoke] [--provider=webgpu] [--rounds=n] [--json=f]`):
 * on one provider, the way FaceFusion and Deep-Live-Cam run (one frame at a time, host
 * copies around every model, letterbox, crops and paste-back on the host) against the
 * planned pipeline (batched at the sizes framefuse tune measured, fused, crops and
 * paste-back on the device), for anonymize at 1080p and faceswap with generated models of
 * realistic size (the real ones cannot be downloaded here; their weights are the only
 * stand-in). Beside them, the limit: the same models alone at their best batch, no host work.
 *
 * Reported per run: throughput over pipeline time, the ratio, and per frame the time inside
 * model runs (GPU-side: the device's work and its copies) and the rest (host-side:
 * JavaScript, ffmpeg pipes, waiting). Every configuration is its own process, in
 * interleaved rounds; figures are the median round's. A software adapter (lavapipe) runs
 * all of it correctly, slowly: its figures are marked as such and say nothing of a GPU.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnce, medianRun } from '../src/bench/compare-graph.js';
import { detectorLimit, faceChainLimit } from '../src/bench/model-limit.js';
import { getTools } from '../src/media/ffmpeg-tools.js';
import { encodeModel } from '../src/onnx/model-io.js';
import { buildArcfaceLikeModel, buildFaceEnhancerLikeModel, buildInswapperLikeModel } from '../src/faces/swap/synthetic-face-models.js';
import { PROJECT_MODELS_DIR } from '../src/models/paths.js';
import { gpuReport } from '../src/runtime/gpu-adapter.js';
import { parseProviders, probeProviders } from '../src/runtime/providers.js';
import { operationalError } from '../src/errors.js';
import type { ExecutionProvider, FusedStrategy } from '../src/node-api/define-node.js';

const BIN = fileURLToPath(new URL('../../bin/framefuse.js', import.meta.url));

interface GpuRun {
  mode: 'per-frame' | 'planned';
  frames: number;
  pipelineFps: number;
  /** Per frame: time inside model runs, and the rest of the stages' busy time. */
  modelMsPerFrame: number;
  hostMsPerFrame: number;
  wallMs: number;
}

export interface GpuWorkload {
  name: string;
  perFrame: GpuRun;
  planned: GpuRun;
  ratio: number;
  /** Frames per second the models alone allow, at their tuned batch (null when not measured). */
  limitFps: number | null;
  /** planned / limit. */
  ofLimit: number | null;
  /** The stages' tuned configuration, as the planned run's plan said. */
  tuned: string[];
}

export interface GpuBenchReport {
  provider: ExecutionProvider;
  device: string;
  software: boolean;
  quick: boolean;
  smoke: boolean;
  rounds: number;
  workloads: GpuWorkload[];
}

function option(args: string[], name: string): string | undefined {
  const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return undefined;
  const arg = args[at]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1];
}

function toRun(mode: GpuRun['mode'], wallMs: number, m: Record<string, unknown>): GpuRun {
  const frames = Number(m.frames);
  const pipelineMs = Number(m.pipelineMs ?? wallMs);
  const stages = (m.stages as { busyMs: number; modelMs: number }[] | undefined) ?? [];
  // Per frame, one thread does everything: what is not a model run is host work. Planned,
  // the stages' own busy time splits the same way (they overlap, so the sum may pass the wall).
  const modelMs = mode === 'per-frame' ? Number(m.modelMs ?? 0) : stages.reduce((s, x) => s + (x.modelMs ?? 0), 0);
  const hostMs = mode === 'per-frame' ? pipelineMs - modelMs : stages.reduce((s, x) => s + x.busyMs - (x.modelMs ?? 0), 0);
  return { mode, frames, pipelineFps: frames / (pipelineMs / 1000), modelMsPerFrame: modelMs / frames, hostMsPerFrame: hostMs / frames, wallMs };
}

function makeClip(out: string, frames: number, size: string): void {
  const clip = fileURLToPath(new URL('../../samples/tears_of_steel_clip01_640x360.mp4', import.meta.url));
  const made = spawnSync(getTools().ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-ss', '3', '-i', clip, '-frames:v', String(frames), '-vf', `scale=${size}`, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-y', out], { encoding: 'utf8' });
  if (made.status !== 0) throw operationalError('FF_BENCH_CLIP', `making the 1080p clip failed: ${made.stderr}`);
}

function tune(graph: string, sets: string[], provider: ExecutionProvider, frames: number, batches: string | null, env: NodeJS.ProcessEnv): string {
  const args = [BIN, 'tune', graph, '--provider', provider, '--frames', String(frames), ...(batches ? ['--batches', batches] : []), ...sets.flatMap((s) => ['--set', s])];
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw operationalError('FF_BENCH_TUNE', `framefuse tune ${graph} failed: ${result.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  return result.stdout.trim();
}

async function workload(
  name: string,
  graph: string,
  sets: string[],
  o: { provider: ExecutionProvider; rounds: number; tuneFrames: number; tuneBatches: string | null; env: NodeJS.ProcessEnv; out: string; limit: (plan: PlannedStage[]) => Promise<number | null> },
): Promise<GpuWorkload> {
  const base = [...sets.map((s) => `--set=${s}`), `--set=encoder.path=${join(o.out, `${name}.mp4`)}`, '--overwrite', '--provider', o.provider];
  process.stderr.write(`  ${name}: tuning for ${o.provider} (untimed; the cache it fills is what a user's first run makes)\n`);
  for (const line of tune(graph, sets, o.provider, o.tuneFrames, o.tuneBatches, o.env).split('\n').slice(0, 3)) process.stderr.write(`    ${line}\n`);
  const configs = [
    { mode: 'per-frame' as const, args: [...base, '--per-frame', '--no-tune'] },
    { mode: 'planned' as const, args: [...base, '--no-tune'] },
  ];
  const runs: GpuRun[][] = [[], []];
  let plan: PlannedStage[] = [];
  for (let round = 0; round < o.rounds; round++) {
    for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const { wallMs, metrics } = await runOnce(graph, configs[i]!.args, o.env);
      const run = toRun(configs[i]!.mode, wallMs, metrics);
      process.stderr.write(`  ${name} ${run.mode}: ${run.pipelineFps.toFixed(2)} fps, model ${run.modelMsPerFrame.toFixed(1)} ms + host ${run.hostMsPerFrame.toFixed(1)} ms a frame\n`);
      runs[i]!.push(run);
      if (configs[i]!.mode === 'planned') plan = plannedStages(metrics);
    }
  }
  const perFrame = medianRun(runs[0]!);
  const planned = medianRun(runs[1]!);
  const limitMs = await o.limit(plan);
  const limitFps = limitMs === null ? null : 1000 / limitMs;
  return {
    name,
    perFrame,
    planned,
    ratio: planned.pipelineFps / perFrame.pipelineFps,
    limitFps,
    ofLimit: limitFps === null ? null : planned.pipelineFps / limitFps,
    tuned: plan.map((s) => `${s.nodes.join('+')}: batch ${s.batchSize}${s.strategy ? `, ${s.strategy}` : ''}`),
  };
}

interface PlannedStage {
  nodes: string[];
  batchSize: number;
  strategy: FusedStrategy | null;
  faces: number;
  frames: number;
}

/** The model stages of a planned run's metrics: their batch, and faces per frame where the chain ran. */
function plannedStages(metrics: Record<string, unknown>): PlannedStage[] {
  const stages = (metrics.stages as { kind: string; nodes: string[]; batchSize: number; frames: number; strategy?: FusedStrategy }[] | undefined) ?? [];
  return stages.filter((s) => s.kind === 'accelerator').map((s) => ({ nodes: s.nodes, batchSize: s.batchSize, strategy: s.strategy ?? null, faces: 0, frames: s.frames }));
}

function formatReport(report: GpuBenchReport): string {
  const rows = [['workload', 'mode', 'fps', 'vs per-frame', 'model ms/frame', 'host ms/frame', 'of the limit']];
  for (const w of report.workloads) {
    for (const run of [w.perFrame, w.planned]) {
      rows.push([
        w.name,
        run.mode,
        run.pipelineFps.toFixed(2),
        `${(run.pipelineFps / w.perFrame.pipelineFps).toFixed(2)}x`,
        run.modelMsPerFrame.toFixed(1),
        run.hostMsPerFrame.toFixed(1),
        w.limitFps === null ? '-' : `${((run.pipelineFps / w.limitFps) * 100).toFixed(0)}% of ${w.limitFps.toFixed(1)} fps`,
      ]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const table = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
  const head = `${report.provider} on ${report.device}${report.software ? ' (SOFTWARE adapter: correctness only, these figures say nothing of a GPU)' : ''}; median of ${report.rounds} round(s)${report.smoke ? ', --smoke (4 frames at 360p, small models: a rehearsal)' : report.quick ? ', --quick (small models, few frames)' : ''}`;
  return `${head}\n${table}\n${report.workloads.map((w) => `${w.name} tuned: ${w.tuned.join('; ')}`).join('\n')}`;
}

export default async function run(args: string[]): Promise<void> {
  // --smoke: the machinery end to end in a minute on a software adapter (CI's rehearsal of
  // the GPU machine's run): 4 frames at 640x360, small models, batch 1 and 2 only.
  const smoke = args.includes('--smoke');
  const quick = smoke || args.includes('--quick');
  const provider = parseProviders([option(args, '--provider') ?? 'webgpu'])[0]!;
  const rounds = Number(option(args, '--rounds') ?? (quick ? 1 : 3));
  const loads = (await probeProviders()).find((r) => r.name === provider);
  if (!loads?.available) {
    throw operationalError('FF_BENCH_PROVIDER', `the ${provider} provider does not load here: ${loads?.reason ?? 'unknown'}`, {
      fix: provider === 'webgpu' ? 'it needs a Vulkan driver for the GPU (framefuse doctor says what is missing); lavapipe (mesa-vulkan-drivers) gives a software one' : 'see the README\'s GPU section',
    });
  }
  const adapter = gpuReport({ useVulkaninfo: true }).adapter;
  const software = provider === 'webgpu' && (adapter?.software ?? true);
  const work = mkdtempSync(join(tmpdir(), 'ff-bench-gpu-'));
  try {
    // A models folder of the benchmark's own: its tune cache and rewrites start empty.
    const modelsDir = join(work, 'models');
    cpSync(PROJECT_MODELS_DIR, modelsDir, { recursive: true, filter: (src) => !src.includes('/cache') });
    const env = { ...process.env, FRAMEFUSE_MODELS: modelsDir };
    const write = (name: string, bytes: Uint8Array) => {
      const path = join(work, name);
      writeFileSync(path, bytes);
      return path;
    };
    // Realistic sizes (as bench/faces.ts): 2.45 G and 3.9 G multiply-adds a face. --quick: small ones.
    const swapper = write('inswapper_like.onnx', encodeModel(buildInswapperLikeModel(quick ? { channels: 16, convs: 4 } : { channels: 64, convs: 12 })));
    const embedder = write('arcface_like.onnx', encodeModel(buildArcfaceLikeModel({ channels: quick ? 16 : 32 })));
    const enhancer = write('gfpgan_like.onnx', encodeModel(buildFaceEnhancerLikeModel(quick ? {} : { channels: 32, convs: 6 })));
    const frames = smoke ? 4 : quick ? 16 : 96;
    const [width, height] = smoke ? [640, 360] : [1920, 1080];
    const hd = join(work, 'clip.mp4');
    makeClip(hd, frames, `${width}:${height}`);
    const saved = process.env['FRAMEFUSE_MODELS'];
    process.env['FRAMEFUSE_MODELS'] = modelsDir; // for the limits measured in this process
    try {
      const common = { provider, rounds, tuneFrames: smoke ? 4 : quick ? 8 : 48, tuneBatches: smoke ? '1,2' : quick ? '1,4' : null, env, out: work };
      const anonymize = await workload(`anonymize ${height}p`, 'graphs/anonymize.json', [`decoder.path=${hd}`], {
        ...common,
        limit: async (plan) => {
          const detector = plan.find((s) => s.nodes.includes('detector'));
          return detector ? detectorLimit({ provider, batch: detector.batchSize, width, height, modelsDir }) : null;
        },
      });
      // Frames 72-168 of the clip: the man with glasses, one face in nearly every frame.
      const swapSets = [`swapper.model=${swapper}`, `swapper.embedder=${embedder}`, `enhancer.faceModel=${enhancer}`, `decoder.start=${quick ? 104 : 72}`, `decoder.end=${smoke ? 108 : quick ? 112 : 168}`];
      const faceswap = await workload('faceswap', 'graphs/faceswap.json', swapSets, {
        ...common,
        limit: async (plan) => {
          const detector = plan.find((s) => s.nodes.includes('detector'));
          const chain = plan.find((s) => s.nodes.includes('swapper'));
          if (!detector || !chain) return null;
          const d = await detectorLimit({ provider, batch: detector.batchSize, width: 640, height: 360, modelsDir });
          // One face a frame on these frames: a face costs the chain, a frame the detector.
          const c = await faceChainLimit({ provider, batch: chain.batchSize, strategy: chain.strategy ?? 'composed', swapper, enhancer, modelsDir });
          return d + c;
        },
      });
      const report: GpuBenchReport = { provider, device: adapter ? `${adapter.device} (${adapter.driver})` : provider, software, quick, smoke, rounds, workloads: [anonymize, faceswap] };
      process.stdout.write(`${formatReport(report)}\n`);
      const json = option(args, '--json');
      if (json) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    } finally {
      if (saved === undefined) delete process.env['FRAMEFUSE_MODELS'];
      else process.env['FRAMEFUSE_MODELS'] = saved;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
