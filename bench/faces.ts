/**
 * The face pipelines' benchmark (`npm run bench -- faces`): graphs/anonymize.json on the
 * sample clip with the built-in detector, and graphs/faceswap.json with generated models
 * of realistic size standing in for inswapper_128, ArcFace and GFPGAN (the real ones cannot
 * be downloaded here: the pipeline, batching and fusion are real, only the weights are
 * not). Per-frame against planned, side by side, at several batch sizes. `--hd` adds
 * anonymize on the clip scaled to 1080p. `--save` writes docs/bench/faces.json and
 * docs/bench/faces.svg, the chart the README shows.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGraphFile } from '../src/graph/load.js';
import { compareGraph, describeRun, formatReport, type BenchReport } from '../src/bench/compare-graph.js';
import { benchChartSvg } from '../src/bench/chart-svg.js';
import { getTools } from '../src/media/ffmpeg-tools.js';
import { encodeModel } from '../src/onnx/model-io.js';
import { buildArcfaceLikeModel, buildFaceEnhancerLikeModel, buildInswapperLikeModel } from '../src/faces/swap/synthetic-face-models.js';

async function bench(file: string, sets: string[], batches: number[], name?: string): Promise<BenchReport> {
  const loaded = await loadGraphFile(file);
  if (!loaded.document) throw new Error(`${file}: ${loaded.problems.map((p) => p.message).join('; ')}`);
  if (name) loaded.document.name = name;
  const report = await compareGraph(file, loaded.document, {
    batches,
    sets,
    rounds: 5,
    onRun: (run) => process.stderr.write(`  ${file} ${describeRun(run)}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n\n`);
  return report;
}

export default async function run(args: string[]): Promise<void> {
  const models = mkdtempSync(join(tmpdir(), 'ff-bench-models-'));
  try {
    const write = (name: string, bytes: Uint8Array) => {
      const path = join(models, name);
      writeFileSync(path, bytes);
      return path;
    };
    // inswapper_128 has a deep convolution stack at 64x64 with the source injected along the
    // way; GFPGAN a U-Net at 512. The stand-ins keep their signatures and are heavy enough
    // that, as with the real ones, the models are most of a frame's work: the swapper-like
    // model is 2.45 G multiply-adds per face (twelve 64-channel 3x3 convolutions at 64x64,
    // one at 128x128), the GFPGAN-like one 3.9 G (six 32-channel convolutions at 256x256):
    // 25 and 55 ms per face on one core of the 2-core machine the README's figures come
    // from. The real models are larger still; they cannot be downloaded here.
    const swapper = write('inswapper_like.onnx', encodeModel(buildInswapperLikeModel({ channels: 64, convs: 12 })));
    const embedder = write('arcface_like.onnx', encodeModel(buildArcfaceLikeModel({ channels: 32 })));
    const enhancer = write('gfpgan_like.onnx', encodeModel(buildFaceEnhancerLikeModel({ channels: 32, convs: 6 })));

    const reports = [
      await bench('graphs/anonymize.json', [], [1, 4, 8]),
      // 96 frames with the man with glasses (frames 72-167): a face in nearly every frame.
      await bench('graphs/faceswap.json', [`swapper.model=${swapper}`, `swapper.embedder=${embedder}`, `enhancer.faceModel=${enhancer}`, 'decoder.start=72', 'decoder.end=168'], [1, 4, 8]),
    ];
    if (args.includes('--hd')) {
      // The resolution users' videos have: the same 96 frames scaled to 1080p (stream made
      // once here with ffmpeg), where decoding, encoding and the blur weigh far more.
      const hd = join(models, 'clip1080.mp4');
      const clip = 'samples/tears_of_steel_clip01_640x360.mp4';
      const made = spawnSync(getTools().ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-ss', '3', '-i', clip, '-frames:v', '96', '-vf', 'scale=1920:1080', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-y', hd], { encoding: 'utf8' });
      if (made.status !== 0) throw new Error(`making the 1080p clip failed: ${made.stderr}`);
      reports.push(await bench('graphs/anonymize.json', [`decoder.path=${hd}`], [1, 4, 8], 'anonymize 1080p'));
    }
    const summary = reports.map(
      (r) =>
        `${r.graph}: ${r.ratio.toFixed(2)}x per-frame (${r.ratioWall.toFixed(2)}x counting start-up on this clip; ${r.ratioOneThread.toFixed(2)}x a one-thread loop), efficiency ${r.efficiency.toFixed(2)}, peak RSS ${r.peakRssMb.toFixed(0)} MiB`,
    );
    process.stdout.write(`${summary.join('\n')}\n`);
    if (args.includes('--save')) {
      mkdirSync('docs/bench', { recursive: true });
      writeFileSync('docs/bench/faces.json', `${JSON.stringify(reports, null, 2)}\n`);
      writeFileSync('docs/bench/faces.svg', benchChartSvg(reports));
      process.stdout.write('wrote docs/bench/faces.json and docs/bench/faces.svg\n');
    }
  } finally {
    rmSync(models, { recursive: true, force: true });
  }
}
