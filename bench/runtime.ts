/**
 * `npm run bench -- runtime`: the inference runtime on the CPU provider, side by side in
 * one run, on a generated model with inswapper_128's signature (target [N,3,128,128],
 * source [N,512] -> [N,3,128,128]):
 *   1. images/s at batch 1, 4, 8, 16 (in-process session, batchified model);
 *   2. the same batches hosted in an InferenceWorker against in-process;
 *   3. swapper + enhancer composed into one session against two sessions chained.
 * Options: --images <n> per measurement (default 64), --repeats <n> (3), --threads <n>, --channels <n> (48).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { composeModels } from '../src/onnx/compose.js';
import { encodeModel } from '../src/onnx/model-io.js';
import { inspectModel } from '../src/onnx/inspect.js';
import { buildEnhancerLikeModel, buildSwapperLikeModel } from '../src/onnx/synthetic-models.js';
import { InferenceWorker } from '../src/runtime/inference-worker.js';
import { openModel } from '../src/runtime/model-session.js';
import type { Feeds, Outputs } from '../src/runtime/tensors.js';

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function feeds(n: number): Feeds {
  let s = 42;
  const next = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  return {
    target: { data: Float32Array.from({ length: n * 3 * 128 * 128 }, next), dims: [n, 3, 128, 128] },
    source: { data: Float32Array.from({ length: n * 512 }, next), dims: [n, 512] },
  };
}

/** Images per second for `images` images in batches of `batch` (after one warm-up batch). */
async function measureOnce(batch: number, images: number, run: (f: Feeds) => Promise<Outputs>): Promise<number> {
  await run(feeds(batch));
  const rounds = Math.max(1, Math.round(images / batch));
  const batches = Array.from({ length: rounds }, () => feeds(batch));
  const start = performance.now();
  for (const f of batches) await run(f);
  return (rounds * batch) / ((performance.now() - start) / 1000);
}

/**
 * Two contenders measured in alternation, `repeats` times each, median kept: a shared
 * machine's noise then hits both sides alike instead of whichever ran second.
 */
async function sideBySide(
  batch: number,
  images: number,
  repeats: number,
  a: (f: Feeds) => Promise<Outputs>,
  b: (f: Feeds) => Promise<Outputs>,
): Promise<[number, number]> {
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 0; i < repeats; i++) {
    ra.push(await measureOnce(batch, images, a));
    rb.push(await measureOnce(batch, images, b));
  }
  const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
  return [median(ra), median(rb)];
}

function printTable(title: string, rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  process.stdout.write(`\n${title}\n`);
  for (const [index, r] of rows.entries()) {
    process.stdout.write(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ') + '\n');
    if (index === 0) process.stdout.write(widths.map((w) => '-'.repeat(w)).join('   ') + '\n');
  }
}

export default async function run(args: string[]): Promise<void> {
  const images = option(args, 'images', 64);
  const threads = option(args, 'threads', availableParallelism());
  const channels = option(args, 'channels', 48);
  const repeats = option(args, 'repeats', 3);
  const dir = await mkdtemp(join(tmpdir(), 'framefuse-bench-runtime-'));
  try {
    const swapper = buildSwapperLikeModel({ channels, convs: 12, fixedBatch: true });
    const enhancer = buildEnhancerLikeModel({ channels: 16, convs: 4, size: 128 });
    const swapperPath = join(dir, 'swapper_like.onnx');
    const enhancerPath = join(dir, 'enhancer_like.onnx');
    const composedPath = join(dir, 'composed.onnx');
    await writeFile(swapperPath, encodeModel(swapper));
    await writeFile(enhancerPath, encodeModel(enhancer));
    const summary = inspectModel(swapper);
    process.stdout.write(
      `runtime bench: CPU provider, ${threads} intra-op threads, ${images} images per measurement, median of ${repeats} alternating runs\n` +
        `model: inswapper_128 signature, ${summary.operators['Conv'] ?? 0} convolutions (${channels} channels), ` +
        `${(summary.initializers.bytes / 1024 / 1024).toFixed(1)} MiB of weights, exported with a fixed batch of 1 (batchified and proven at open)\n`,
    );
    const common = { threads, modelsDir: dir };

    // 1: a batch in one session run against item by item (what CPU sessions do, see
    // src/runtime/batch-slices.ts); 2: item by item in this thread against in a worker.
    const whole = await openModel(swapperPath, { ...common, batchify: true, runBatch: Infinity });
    const local = await openModel(swapperPath, { ...common, batchify: true });
    const worker = await InferenceWorker.start(swapperPath, { ...common, batchify: true });
    const rows = [['batch', 'one run img/s', 'item by item img/s', 'item/one run', 'worker img/s', 'worker/in-process']];
    const perBatch: Record<number, number> = {};
    for (const batch of [1, 4, 8, 16]) {
      const [oneRun, itemByItem] = await sideBySide(batch, images, repeats, (f) => whole.run(f), (f) => local.run(f));
      const [, hosted] = await sideBySide(batch, images, 1, async () => ({}), (f) => worker.run(f));
      perBatch[batch] = oneRun;
      rows.push([String(batch), oneRun.toFixed(1), itemByItem.toFixed(1), (itemByItem / oneRun).toFixed(2), hosted.toFixed(1), (hosted / itemByItem).toFixed(2)]);
    }
    await worker.dispose();
    await Promise.all([whole.dispose(), local.dispose()]);
    printTable('1-2. images per second by batch size (swapper-like model)', rows);
    process.stdout.write(
      `one run per batch: batch 8 vs batch 1 ${(perBatch[8]! / perBatch[1]!).toFixed(2)}x, batch 16 vs batch 1 ${(perBatch[16]! / perBatch[1]!).toFixed(2)}x\n`,
    );

    // 3: composed against chained, at batch 8.
    const dynamicSwapper = buildSwapperLikeModel({ channels, convs: 12, fixedBatch: false });
    const dynamicPath = join(dir, 'swapper_dynamic.onnx');
    await writeFile(dynamicPath, encodeModel(dynamicSwapper));
    await writeFile(composedPath, encodeModel(composeModels(dynamicSwapper, enhancer, { wiring: { input: 'output' } })));
    const first = await openModel(dynamicPath, common);
    const second = await openModel(enhancerPath, common);
    const fused = await openModel(composedPath, common);
    const chained = async (f: Feeds): Promise<Outputs> => {
      const swapped = await first.run(f);
      return second.run({ input: swapped['output']! });
    };
    const check = await chained(feeds(2));
    const one = await fused.run(feeds(2));
    let worst = 0;
    const a = check['output']!.data as Float32Array;
    const b = one['output']!.data as Float32Array;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
    const composedRows = [['batch', 'chained img/s', 'composed img/s', 'composed/chained']];
    for (const batch of [1, 8]) {
      const [c, f] = await sideBySide(batch, images, repeats, chained, (x) => fused.run(x));
      composedRows.push([String(batch), c.toFixed(1), f.toFixed(1), (f / c).toFixed(2)]);
    }
    await Promise.all([first.dispose(), second.dispose(), fused.dispose()]);
    printTable('3. swapper + enhancer: two sessions chained vs one composed session', composedRows);
    process.stdout.write(`composed output equals the chained output within ${worst.toExponential(1)}\n`);
    process.stdout.write(
      '\nOn the CPU provider every session run already reads and writes host memory, so composition saves only\n' +
        'the per-run overhead; its point is on CUDA/TensorRT, where the intermediate stays on the device.\n',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
