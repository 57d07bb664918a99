/**
 * Which nodes of a model left the GPU. onnxruntime places each node on the first provider
 * with a kernel for it and falls back to the CPU per node, silently: a model with one
 * operator WebGPU lacks still runs, but that node's inputs cross to the host and back on
 * every run. Its profiler says where every node ran, so a GPU session profiles its first
 * run only, and the run log says which nodes ran on the CPU. Integer-only nodes (shape
 * arithmetic: Shape, Gather, Concat of sizes) are on the CPU on purpose and are counted
 * apart: they move a few bytes.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export interface PlacedNode {
  name: string;
  op: string;
}

export interface Placement {
  /** Nodes that ran on the session's own provider. */
  onDevice: number;
  /** Nodes with float (or other non-integer) data that ran on the CPU: these cost copies. */
  leftDevice: PlacedNode[];
  /** Integer-only nodes on the CPU (shape arithmetic). */
  shapeOnCpu: number;
}

/** Session options that make onnxruntime profile, into a fresh file prefix of its own. */
export function profilingOptions(): { enableProfiling: true; profileFilePrefix: string } {
  return { enableProfiling: true, profileFilePrefix: join(tmpdir(), `framefuse-profile-${process.pid}-${randomBytes(4).toString('hex')}`) };
}

interface ProfileEvent {
  cat?: string;
  name?: string;
  args?: { op_name?: string; provider?: string; input_type_shape?: Record<string, unknown>[]; output_type_shape?: Record<string, unknown>[] };
}

const INTEGER = new Set(['int64', 'int32', 'int8', 'uint8', 'int16', 'uint16', 'uint32', 'uint64', 'bool']);

function integerOnly(args: NonNullable<ProfileEvent['args']>): boolean {
  const types = [...(args.input_type_shape ?? []), ...(args.output_type_shape ?? [])].flatMap((t) => Object.keys(t));
  return types.length > 0 && types.every((t) => INTEGER.has(t));
}

/** Parses an onnxruntime profile (a JSON array of trace events). */
export function placementFromProfile(events: readonly ProfileEvent[]): Placement {
  const seen = new Map<string, NonNullable<ProfileEvent['args']>>();
  for (const event of events) {
    if (event.cat !== 'Node' || !event.name?.endsWith('_kernel_time') || !event.args?.provider) continue;
    seen.set(event.name.slice(0, -'_kernel_time'.length), event.args);
  }
  const placement: Placement = { onDevice: 0, leftDevice: [], shapeOnCpu: 0 };
  for (const [name, args] of seen) {
    const op = args.op_name ?? '?';
    if (op === 'MemcpyToHost' || op === 'MemcpyFromHost') continue;
    if (args.provider !== 'CPUExecutionProvider') placement.onDevice++;
    else if (integerOnly(args)) placement.shapeOnCpu++;
    else placement.leftDevice.push({ name, op });
  }
  return placement;
}

/** Ends the session's profiling and reads where its nodes ran; the profile file is removed. */
export async function readPlacement(session: { endProfiling(): Promise<void> | void }, prefix: string): Promise<Placement> {
  await session.endProfiling();
  const dir = dirname(prefix);
  const files = (await readdir(dir)).filter((f) => f.startsWith(basename(prefix)));
  try {
    const events = files.length > 0 ? (JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as ProfileEvent[]) : [];
    return placementFromProfile(events);
  } finally {
    await Promise.all(files.map((f) => rm(join(dir, f), { force: true })));
  }
}

/** One line for the run log: all on the device, or which nodes ran on the CPU and what that costs. */
export function describePlacement(label: string, provider: string, p: Placement): { level: 'info' | 'warn'; message: string } {
  const shape = p.shapeOnCpu > 0 ? ` (${p.shapeOnCpu} shape computation${p.shapeOnCpu === 1 ? '' : 's'} on the CPU, as onnxruntime intends)` : '';
  if (p.leftDevice.length === 0) return { level: 'info', message: `${label}: every node ran on ${provider}${shape}` };
  const listed = p.leftDevice.slice(0, 8).map((n) => `${n.op} (${n.name})`).join(', ');
  const more = p.leftDevice.length > 8 ? ` and ${p.leftDevice.length - 8} more` : '';
  return {
    level: 'warn',
    message: `${label}: ${p.leftDevice.length} of ${p.leftDevice.length + p.onDevice} nodes left ${provider} for the CPU (no ${provider} kernel): ${listed}${more}; their data crosses to the host and back on every run${shape}`,
  };
}
