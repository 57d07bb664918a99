/**
 * What `framefuse tune` measured, kept per machine in `<models>/cache/tune/<machine>.json`
 * (the machine: its GPUs, drivers, CPU and onnxruntime version, as auto-providers.ts
 * fingerprints it). Entries are keyed by stage: the stage's node types and the sha256 of
 * their models, so every graph with the same models in a stage reuses the measurement.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import { cacheDir, resolveModel } from '../models/paths.js';
import { sha256File } from '../models/file-hash.js';
import type { ExecutionProvider, FusedStrategy } from '../node-api/define-node.js';
import type { TunedStage } from '../plan/plan-stages.js';
import { cudaLibraryInstalled, machineFingerprint } from '../runtime/auto-providers.js';
import { gpuReport } from '../runtime/gpu-adapter.js';

/** One configuration of one stage, measured. */
export interface TuneMeasurement {
  provider: ExecutionProvider;
  batch: number;
  strategy: FusedStrategy;
  /** Steady-state busy milliseconds per frame (warm-up batch left out); null when it failed to run. */
  msPerFrame: number | null;
  /** Why it could not be measured. */
  error?: string;
}

export interface TunedEntry extends TunedStage {
  nodes: string[];
  /** Whether a fusion family composes the stage (only then does the strategy matter). */
  composed: boolean;
  measuredAt: string;
  table: TuneMeasurement[];
}

export interface TuneCache {
  machine: string;
  stages: Record<string, TunedEntry>;
}

/** The machine's key and the file its measurements live in. */
export function tuneCacheFile(modelsDir: string): { machine: string; file: string } {
  const machine = machineFingerprint(gpuReport(), cudaLibraryInstalled());
  return { machine, file: join(cacheDir(modelsDir), 'tune', `${machine}.json`) };
}

export function readTuneCache(modelsDir: string): TuneCache {
  const { machine, file } = tuneCacheFile(modelsDir);
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as TuneCache;
    if (value.machine === machine && value.stages && typeof value.stages === 'object') return value;
  } catch {
    // none yet, or unreadable: nothing measured
  }
  return { machine, stages: {} };
}

/** Adds entries to the machine's cache (written whole, atomically); returns the file. */
export function writeTuneCache(modelsDir: string, entries: Record<string, TunedEntry>): string {
  const { file } = tuneCacheFile(modelsDir);
  const cache = readTuneCache(modelsDir);
  Object.assign(cache.stages, entries);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(cache, null, 2)}\n`);
  renameSync(temp, file);
  return file;
}

/**
 * Each accelerator node's key: its type and the sha256 of the models it loads (absent when
 * a model cannot be found yet, e.g. a built-in one not converted: such a node is not tuned).
 */
export async function nodeModelKeys(graph: ResolvedGraph, paths: { cwd: string; models: string }): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  for (const [id, node] of graph.nodes) {
    if (node.definition.kind !== 'accelerator') continue;
    const refs = node.definition.models?.(node.params) ?? [];
    try {
      const hashes = [];
      for (const ref of refs) hashes.push((await sha256File((await resolveModel(ref, paths.models, paths.cwd)).path)).slice(0, 16));
      keys[id] = `${node.definition.type}(${hashes.join(',')})`;
    } catch {
      // not tunable until its models are there
    }
  }
  return keys;
}

/** The device a provider runs on here, in words. */
export function deviceName(provider: ExecutionProvider): string {
  if (provider === 'cpu') return `${cpus()[0]?.model.trim() ?? 'CPU'} (${cpus().length} cores)`;
  const adapter = gpuReport({ useVulkaninfo: provider === 'webgpu' }).adapter;
  return adapter ? `${adapter.device} (${provider})` : provider;
}
