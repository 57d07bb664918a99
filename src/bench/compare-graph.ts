/**
 * Benchmarks one graph side by side, in one run: per-frame execution (every frame through
 * every node one at a time, as the tools framefuse replaces do) against the planned
 * pipeline (batched, fused, streamed) at several batch sizes. Each run is its own
 * `framefuse run` process, so timings and peak memory do not leak between runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { GraphDocument } from '../graph/document.js';
import { operationalError } from '../errors.js';

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
  /** Batch size set on every Batcher, or null for the graph as written. */
  batch: number | null;
  wallMs: number;
  frames: number;
  fps: number;
  peakRssMb: number;
  /** Planned runs: busy time of the slowest stage / wall time. */
  efficiency: number | null;
  stages: StageFigure[];
}

export interface BenchReport {
  graph: string;
  file: string;
  /** Planned throughput over per-frame throughput, at the graph's own batch size. */
  ratio: number;
  efficiency: number;
  peakRssMb: number;
  perFrame: BenchRun;
  planned: (BenchRun & { ratio: number })[];
}

export interface CompareOptions {
  /** Batch sizes to try on every Batcher (the graph's own is always run). */
  batches?: number[];
  /** Extra --set overrides for every run. */
  sets?: string[];
  env?: NodeJS.ProcessEnv;
  onRun?: (run: BenchRun) => void;
}

function runOnce(file: string, args: string[], env: NodeJS.ProcessEnv | undefined): Promise<{ wallMs: number; metrics: Record<string, unknown> }> {
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

function toRun(mode: BenchRun['mode'], batch: number | null, wallMs: number, m: Record<string, unknown>): BenchRun {
  const frames = Number(m.frames);
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
    batch,
    // The process's own wall time: start-up and model loading count, as a user waits for them.
    wallMs,
    frames,
    fps: frames / (wallMs / 1000),
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

    const first = await runOnce(file, [...base, '--per-frame'], options.env);
    const perFrame = toRun('per-frame', null, first.wallMs, first.metrics);
    options.onRun?.(perFrame);

    const sizes = batchers.length === 0 ? [] : [...new Set(options.batches ?? [1, 4, 8])];
    const planned: (BenchRun & { ratio: number })[] = [];
    for (const batch of [null, ...sizes]) {
      const sets = batch === null ? [] : batchers.map((b) => `--set=${b.id}.size=${batch}`);
      const { wallMs, metrics } = await runOnce(file, [...base, ...sets], options.env);
      const run = toRun('planned', batch, wallMs, metrics);
      options.onRun?.(run);
      planned.push({ ...run, ratio: run.fps / perFrame.fps });
    }
    const own = planned[0]!;
    return { graph: document.name, file, ratio: own.ratio, efficiency: own.efficiency ?? 0, peakRssMb: own.peakRssMb, perFrame, planned };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatReport(report: BenchReport): string {
  const rows = [['mode', 'batch', 'wall s', 'fps', 'vs per-frame', 'efficiency', 'peak RSS MiB']];
  const all = [report.perFrame, ...report.planned];
  for (const run of all) {
    rows.push([
      run.mode,
      run.batch === null ? (run.mode === 'planned' ? 'as graph' : '-') : String(run.batch),
      (run.wallMs / 1000).toFixed(2),
      run.fps.toFixed(1),
      `${(run.fps / report.perFrame.fps).toFixed(2)}x`,
      run.efficiency === null ? '-' : run.efficiency.toFixed(2),
      run.peakRssMb.toFixed(0),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const table = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
  const own = report.planned[0]!;
  const stages = own.stages.map((s) => `  ${s.id} ${s.nodes.join('+')}: busy ${(s.busyMs / 1000).toFixed(2)} s, ${s.fps.toFixed(1)} fps, utilization ${(s.utilization * 100).toFixed(0)}%, avg batch ${s.avgBatch.toFixed(1)}`);
  return `${report.graph} (${report.file}): ${report.perFrame.frames} frames\n${table}\nstages, planned as the graph says:\n${stages.join('\n')}`;
}
