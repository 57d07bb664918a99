/**
 * Benchmarks one graph side by side, in one run: per-frame execution (every frame through
 * every node one at a time, as the tools framefuse replaces do) against the planned
 * pipeline (batched, fused, streamed) at several batch sizes. Each run is its own
 * `framefuse run` process, so timings and peak memory do not leak between runs.
 *
 * A small shared machine is noisy (one configuration run twice in a row can differ by
 * 15%, and a run is slower right after some others), so the configurations run in
 * interleaved rounds, each round in a new order, with a pause between runs, and each figure
 * is the median round's. One untimed
 * warm-up run first makes and caches the model rewrites (batchify, composition), which a
 * user pays once per model, not once per video.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { GraphDocument } from '../model/document.js';
import { operationalError } from '../errors.js';
import { seededRandom } from '../onnx/random-feeds.js';

/** Between runs: the previous process's memory is returned and its ffmpeg gone. */
const PAUSE_MS = 500;

const BIN = fileURLToPath(new URL('../../../bin/framefuse.js', import.meta.url));

export interface StageFigure {
  id: string;
  nodes: string[];
  busyMs: number;
  fps: number;
  utilization: number;
  avgBatch: number;
}

export interface BenchRun {
  mode: 'per-frame' | 'planned';
  /** Per-frame runs: intra-op threads per model (null: every core, the default). */
  threads: number | null;
  /** Batch size set on every Batcher, or null for the graph as written. */
  batch: number | null;
  /** The whole process, start-up and model loading included, as a user waits for it. */
  wallMs: number;
  frames: number;
  /** frames / wallMs. */
  fps: number;
  /** Everything that is not the pipeline: process start, loading models, finishing the files. */
  startupMs: number;
  /** From the first decoded frame to the last processed one (see RunMetrics.pipelineMs). */
  pipelineMs: number;
  /** frames / pipelineMs: the throughput a longer video runs at. */
  pipelineFps: number;
  peakRssMb: number;
  /** Planned runs: busy time of the slowest stage / pipeline time. */
  efficiency: number | null;
  stages: StageFigure[];
}

export interface BenchReport {
  graph: string;
  file: string;
  /**
   * Planned throughput over per-frame throughput, at the graph's own batch size: frames per
   * second of pipeline time, the rate a video of any length runs at once models are loaded.
   */
  ratio: number;
  /** The same ratio over each process's whole wall time, start-up included (on this clip). */
  ratioWall: number;
  /** Planned throughput over a per-frame run whose models use one thread: a naive loop. */
  ratioOneThread: number;
  efficiency: number;
  peakRssMb: number;
  /** The baseline: one frame at a time, each model run on every core (onnxruntime's default). */
  perFrame: BenchRun;
  /** The same with one thread per model run. */
  perFrameOneThread: BenchRun;
  planned: (BenchRun & { ratio: number; ratioWall: number })[];
  /** Rounds each configuration ran; figures are the median round's (by pipeline fps). */
  rounds: number;
}

/** The run with the median pipeline throughput (the lower middle one of an even count). */
export function medianRun<T extends { pipelineFps: number }>(runs: readonly T[]): T {
  const sorted = [...runs].sort((a, b) => a.pipelineFps - b.pipelineFps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export interface CompareOptions {
  /** Batch sizes to try on every Batcher (the graph's own is always run). */
  batches?: number[];
  /** Extra --set overrides for every run. */
  sets?: string[];
  /** Rounds of every configuration; each figure is the median round's. Default 3. */
  rounds?: number;
  env?: NodeJS.ProcessEnv;
  onRun?: (run: BenchRun) => void;
}

/** One `framefuse run` process with --metrics: its wall time and the metrics it wrote. */
export function runOnce(file: string, args: string[], env: NodeJS.ProcessEnv | undefined): Promise<{ wallMs: number; metrics: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ff-bench-'));
  const metricsFile = join(dir, 'metrics.json');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', file, '--quiet', '--metrics', metricsFile, ...args], { env: env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      try {
        if (code !== 0) throw operationalError('FF_BENCH_RUN_FAILED', `framefuse run ${file} ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
        resolve({ wallMs, metrics: JSON.parse(readFileSync(metricsFile, 'utf8')) as Record<string, unknown> });
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

function toRun(mode: BenchRun['mode'], batch: number | null, threads: number | null, wallMs: number, m: Record<string, unknown>): BenchRun {
  const frames = Number(m.frames);
  const pipelineMs = Number(m.pipelineMs ?? wallMs);
  const stages = ((m.stages as StageFigure[] | undefined) ?? []).map((s) => ({
    id: s.id,
    nodes: s.nodes,
    busyMs: s.busyMs,
    fps: s.fps,
    utilization: s.utilization,
    avgBatch: s.avgBatch,
  }));
  return {
    mode,
    threads,
    batch,
    // The process's own wall time: start-up and model loading count, as a user waits for them.
    wallMs,
    frames,
    fps: frames / (wallMs / 1000),
    startupMs: wallMs - pipelineMs,
    pipelineMs,
    pipelineFps: frames / (pipelineMs / 1000),
    peakRssMb: Number(m.peakRssBytes) / 2 ** 20,
    efficiency: mode === 'planned' ? Number(m.efficiency) : null,
    stages,
  };
}

export async function compareGraph(file: string, document: GraphDocument, options: CompareOptions = {}): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'ff-bench-out-'));
  try {
    const outputs = document.nodes.filter((n) => n.type === 'Encoder').map((n, i) => `--set=${n.id}.path=${join(dir, `out${i}.mp4`)}`);
    const batchers = document.nodes.filter((n) => n.type === 'Batcher');
    const base = [...outputs, ...(options.sets ?? []).map((s) => `--set=${s}`)];

    const sizes = batchers.length === 0 ? [] : [...new Set(options.batches ?? [1, 4, 8])];
    const configs: { mode: BenchRun['mode']; batch: number | null; threads: number | null; args: string[] }[] = [
      { mode: 'per-frame', batch: null, threads: null, args: [...base, '--per-frame'] },
      { mode: 'per-frame', batch: null, threads: 1, args: [...base, '--per-frame', '--threads', '1'] },
      ...[null, ...sizes].map((batch) => ({
        mode: 'planned' as const,
        batch,
        threads: null,
        args: [...base, ...(batch === null ? [] : batchers.map((b) => `--set=${b.id}.size=${batch}`))],
      })),
    ];
    await runOnce(file, configs[2]!.args, options.env); // warm-up: model rewrites are made and cached here
    const rounds = Math.max(1, options.rounds ?? 3);
    const runs: BenchRun[][] = configs.map(() => []);
    const random = seededRandom(12345);
    for (let round = 0; round < rounds; round++) {
      // A new order every round (seeded, so a rerun repeats it): no configuration always
      // runs right after the same other, and a pause lets the last process's exit settle.
      const order = configs.map((_, i) => i);
      for (let k = order.length - 1; k > 0; k--) {
        const j = Math.floor(random() * (k + 1));
        [order[k], order[j]] = [order[j]!, order[k]!];
      }
      for (const i of order) {
        const config = configs[i]!;
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        const { wallMs, metrics } = await runOnce(file, config.args, options.env);
        const run = toRun(config.mode, config.batch, config.threads, wallMs, metrics);
        options.onRun?.(run);
        runs[i]!.push(run);
      }
    }
    const perFrame = medianRun(runs[0]!);
    const perFrameOneThread = medianRun(runs[1]!);
    const planned = runs.slice(2).map((r) => {
      const run = medianRun(r);
      return { ...run, ratio: run.pipelineFps / perFrame.pipelineFps, ratioWall: run.fps / perFrame.fps };
    });
    const own = planned[0]!;
    return {
      graph: document.name,
      file,
      ratio: own.ratio,
      ratioWall: own.ratioWall,
      ratioOneThread: own.pipelineFps / perFrameOneThread.pipelineFps,
      efficiency: own.efficiency ?? 0,
      peakRssMb: own.peakRssMb,
      perFrame,
      perFrameOneThread,
      planned,
      rounds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per finished run, for progress while a benchmark goes. */
export function describeRun(run: BenchRun): string {
  const mode = run.threads === null ? run.mode : `${run.mode} (${run.threads} thread${run.threads === 1 ? '' : 's'})`;
  const batch = run.batch === null ? (run.mode === 'planned' ? ' as graph' : '') : ` batch ${run.batch}`;
  return `${mode}${batch}: ${run.pipelineFps.toFixed(1)} fps over the pipeline, ${(run.wallMs / 1000).toFixed(2)} s in all`;
}

export function formatReport(report: BenchReport): string {
  const rows = [['mode', 'batch', 'pipeline fps', 'vs per-frame', 'efficiency', 'start-up s', 'wall s', 'wall vs per-frame', 'peak RSS MiB']];
  const all = [report.perFrame, report.perFrameOneThread, ...report.planned];
  for (const run of all) {
    rows.push([
      run.threads === null ? run.mode : `${run.mode} (${run.threads} thread${run.threads === 1 ? '' : 's'})`,
      run.batch === null ? (run.mode === 'planned' ? 'as graph' : '-') : String(run.batch),
      run.pipelineFps.toFixed(1),
      `${(run.pipelineFps / report.perFrame.pipelineFps).toFixed(2)}x`,
      run.efficiency === null ? '-' : run.efficiency.toFixed(2),
      (run.startupMs / 1000).toFixed(2),
      (run.wallMs / 1000).toFixed(2),
      `${(run.fps / report.perFrame.fps).toFixed(2)}x`,
      run.peakRssMb.toFixed(0),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const table = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
  const own = report.planned[0]!;
  const stages = own.stages.map((s) => `  ${s.id} ${s.nodes.join('+')}: busy ${(s.busyMs / 1000).toFixed(2)} s, ${s.fps.toFixed(1)} fps, utilization ${(s.utilization * 100).toFixed(0)}%, avg batch ${s.avgBatch.toFixed(1)}`);
  return `${report.graph} (${report.file}): ${report.perFrame.frames} frames, median of ${report.rounds} round${report.rounds === 1 ? '' : 's'}\n${table}\nstages, planned as the graph says:\n${stages.join('\n')}`;
}
