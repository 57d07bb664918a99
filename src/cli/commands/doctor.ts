import type { Command } from 'commander';
import { collectMediaReport, formatMediaReport } from '../../media/media-report.js';
import { probeProviders } from '../../runtime/providers.js';

/** `framefuse doctor`: what this machine offers framefuse — ffmpeg, encoders, hardware, ONNX Runtime providers. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('Check this machine: which ffmpeg and ffprobe are used, their encoders and hardware acceleration, and the ONNX Runtime execution providers that load.')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit status: 0 when ffmpeg is usable, 1 when it is not.\n\nExamples:\n  $ framefuse doctor\n  $ FFMPEG_PATH=/opt/ffmpeg/bin/ffmpeg framefuse doctor --json')
    .action(async (opts: { json?: boolean }) => {
      const media = await collectMediaReport();
      const providers = await probeProviders().catch((error: unknown) => [{ name: 'onnxruntime', available: false, reason: error instanceof Error ? error.message : String(error) }]);
      if (!media.ffmpeg) process.exitCode = 1;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ media, providers }, null, 2)}\n`);
        return;
      }
      const lines = [...formatMediaReport(media), 'providers ONNX Runtime execution providers:'];
      for (const p of providers) lines.push(`  ${p.name.padEnd(9)} ${p.available ? 'loads' : `no (${p.reason ?? 'unavailable'})`}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
