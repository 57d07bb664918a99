import type { Command } from 'commander';
import { relative, resolve } from 'node:path';
import { collectMediaReport, formatMediaReport } from '../../media/media-report.js';
import { probeProviders } from '../../runtime/providers.js';
import { gpuReport, type GpuReport } from '../../runtime/gpu-adapter.js';
import { resolveProviders } from '../../runtime/auto-providers.js';
import { cacheDir, defaultModelsDir } from '../../models/paths.js';
import { findStalePartFilesUnder, partFileOwner } from '../../files/part-files.js';
import { collect } from '../context.js';

function formatGpu(gpu: GpuReport): string[] {
  const lines = ['gpu       WebGPU adapter (Vulkan):'];
  if (gpu.adapter) {
    lines.push(`  vendor   ${gpu.adapter.vendor}`, `  device   ${gpu.adapter.device}`, `  driver   ${gpu.adapter.driver}`, `  backend  ${gpu.adapter.backend}${gpu.adapter.software ? ' (software: runs on the CPU)' : ''}`);
  } else {
    lines.push(`  none: ${gpu.summary}`);
  }
  lines.push(`  loader   ${gpu.loader ? 'libvulkan.so.1 found' : 'libvulkan.so.1 not found'}`);
  for (const d of gpu.drivers) lines.push(`  driver manifest ${d.manifest} -> ${d.library}${d.software ? ' (software)' : ''}`);
  for (const p of gpu.displays) lines.push(`  display  ${p.slot} ${p.vendor} ${p.vendorId}:${p.deviceId}`);
  if (gpu.nvidiaDriver) lines.push(`  nvidia   ${gpu.nvidiaDriver}`);
  if (gpu.vulkanDevices === null) lines.push('  (install vulkan-tools for vulkaninfo\'s exact device names)');
  return lines;
}

/**
 * `framefuse doctor`: what this machine offers framefuse — ffmpeg, encoders, hardware, the
 * GPU adapter WebGPU reaches, ONNX Runtime providers and the ones auto picks — and the
 * partial files that killed runs left behind (their owner process is gone) in the current
 * folder tree or the folders given.
 */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('Check this machine: which ffmpeg and ffprobe are used, their encoders and hardware acceleration, the GPU adapter WebGPU reaches, the ONNX Runtime execution providers that load and the one auto picks.')
    .option('--json', 'print the report as JSON')
    .option('--dir <folder>', 'look for partial files left by killed runs here (repeatable; default: the current folder, 3 levels down)', collect)
    .addHelpText('after', '\nExit status: 0 when ffmpeg is usable, 1 when it is not.\n\nExamples:\n  $ framefuse doctor\n  $ FFMPEG_PATH=/opt/ffmpeg/bin/ffmpeg framefuse doctor --json')
    .action(async (opts: { json?: boolean; dir?: string[] }) => {
      const media = await collectMediaReport();
      const gpu = gpuReport({ useVulkaninfo: true });
      const stale = (await Promise.all((opts.dir ?? ['.']).map((dir) => findStalePartFilesUnder(resolve(dir))))).flat();
      const providers = await probeProviders().catch((error: unknown) => [{ name: 'onnxruntime', available: false, reason: error instanceof Error ? error.message : String(error) }]);
      const auto = await resolveProviders(['auto'], { cacheDir: cacheDir(defaultModelsDir()), gpu });
      if (!media.ffmpeg) process.exitCode = 1;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ media, gpu, providers, auto, stalePartFiles: stale }, null, 2)}\n`);
        return;
      }
      const lines = [...formatMediaReport(media), ...formatGpu(gpu), 'providers ONNX Runtime execution providers:'];
      for (const p of providers) lines.push(`  ${p.name.padEnd(9)} ${p.available ? 'loads' : `no (${p.reason ?? 'unavailable'})`}`);
      lines.push(`  auto      ${auto.providers.join(', ')}: ${auto.reason}`);
      lines.push(`partial files left by runs whose process is gone: ${stale.length === 0 ? 'none' : stale.length}`);
      for (const file of stale) lines.push(`  ${relative(process.cwd(), file) || file} (owner pid ${partFileOwner(file)}; the next run into its folder removes it)`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
