/**
 * Helpers for the farm tests: a real redis-server on a free port (no persistence), worker
 * processes of the real CLI, submitters, decoded frames of an output. Everything started
 * here is recorded and ended by `stopAll`, whatever the tests did.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { FFMPEG } from '../media/media-helpers.js';
import { childPids, spawnCli, waitFor } from '../safety/safety-helpers.js';

const started: ChildProcess[] = [];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  port: number;
  url: (db: number) => string;
  /** Ends this redis-server, as a Redis host that goes away would. */
  stop: () => Promise<void>;
}

/** Starts redis-server on a free port (or `port`) and waits until it answers; `args` come after the defaults and win. */
export async function startRedis(args: string[] = [], port?: number): Promise<TestRedis> {
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  started.push(child);
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer: ${(error as Error).message}`);
      client.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.disconnect();
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  };
  return { port, url: (db: number) => `redis://127.0.0.1:${port}/${db}`, stop };
}

/** A redis client on a test database, for looking at what a run left. */
export function redisClient(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  return client;
}

/** Keys of BullMQ jobs of our queue (bull's per-job hashes are `<prefix>:<queue>:<id>`). */
export async function jobKeys(client: Redis): Promise<string[]> {
  return (await client.keys('framefuse:framefuse-farm:*')).filter((k) => /:[0-9a-f]{16}-\d{5}(:|$)/.test(k));
}

export type Cli = ReturnType<typeof spawnCli>;

/** A worker process on `url`, with short lock and stalled intervals; resolves once it listens. */
export async function startWorker(url: string, name: string, extra: string[] = []): Promise<Cli> {
  const child = spawnCli(['worker', url, '--name', name, '--provider', 'cpu', '--lock-ms', '2000', '--stalled-ms', '500', ...extra]);
  started.push(child);
  if (!(await waitFor(() => child.output().includes('taking segments'), 20_000))) throw new Error(`worker ${name} did not start:\n${child.output()}`);
  return child;
}

export function startCli(args: string[]): Cli {
  const child = spawnCli(args);
  started.push(child);
  return child;
}

/** SIGKILLs a process and its children (its ffmpegs), as a machine that dies would. */
export function killHard(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const children = childPids(child.pid);
  child.kill('SIGKILL');
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Ends everything the tests started (workers, submitters, redis-server). */
export async function stopAll(): Promise<void> {
  for (const child of started.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      killHard(child);
      await new Promise((r) => child.once('exit', r));
    }
  }
  started.length = 0;
}

/** Every frame of `file`'s video as RGB bytes at `width`x`height` (scaled for cheap comparisons). */
export function decodeFrames(file: string, width: number, height: number): Buffer[] {
  const r = spawnSync(FFMPEG, ['-v', 'error', '-i', file, '-map', '0:v:0', '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`decoding ${file} failed: ${r.stderr.toString()}`);
  const size = width * height * 3;
  const frames: Buffer[] = [];
  for (let at = 0; at + size <= r.stdout.length; at += size) frames.push(r.stdout.subarray(at, at + size));
  return frames;
}

/** Mean absolute difference of two frames, per byte. */
export function meanDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** The streams of a file as ffprobe-less ffmpeg sees them: whether it has audio. */
export function hasAudio(file: string): boolean {
  const r = spawnSync(FFMPEG, ['-hide_banner', '-i', file], { encoding: 'utf8' });
  return /Stream #\d+:\d+.*: Audio:/.test(r.stderr);
}
