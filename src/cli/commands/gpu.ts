import type { Command } from 'commander';
import { cudaLibraries, installCudaLibraries, manualInstallSteps } from '../../runtime/cuda-libraries.js';
import { cancelOnSignals } from '../process-end.js';
import { describeError } from '../describe-error.js';

/** How long cleanup after Ctrl-C may take before the process ends at once (the staging folder still goes). */
const FORCE_EXIT_MS = 5000;

/**
 * `framefuse gpu install`: adds onnxruntime-node's CUDA and TensorRT provider libraries to
 * an installed checkout (the WebGPU provider needs nothing). `gpu status` says whether
 * they are there and where they come from.
 */
export function register(program: Command): void {
  const gpu = program
    .command('gpu')
    .description('GPU providers: WebGPU needs no install; `gpu install` adds the CUDA/TensorRT provider libraries.');

  gpu
    .command('status')
    .description('Whether the CUDA/TensorRT provider libraries are installed, and where they come from.')
    .action(() => {
      const libs = cudaLibraries();
      const lines = [
        `CUDA/TensorRT provider libraries in ${libs.binDir}:`,
        ...libs.files.map((f) => `  ${f.name.padEnd(40)} ${libs.missing.includes(f.name) ? 'missing' : 'present'}`),
        `They come from NuGet: ${libs.nuget.name} ${libs.nuget.version}.`,
        libs.missing.length === 0 ? 'Run `framefuse doctor` to see whether the cuda provider loads (it needs CUDA 12 and cuDNN 9).' : 'Add them with `framefuse gpu install` (network), or by hand:',
        ...(libs.missing.length === 0 ? [] : manualInstallSteps(libs).map((l) => `  ${l}`)),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  gpu
    .command('install')
    .description('Download onnxruntime-node\'s CUDA 12 and TensorRT provider libraries from NuGet into the installed onnxruntime-node (runs its own installer). Needs network, and CUDA 12 with cuDNN 9 on the machine to use them.')
    .option('--force', 'download again even if the libraries are already there')
    .addHelpText(
      'after',
      '\nThe WebGPU provider (--provider webgpu) needs no install: try it first.\n\nExamples:\n  $ framefuse gpu install\n  $ GLOBAL_AGENT_HTTPS_PROXY=http://proxy:3128 framefuse gpu install\n  $ framefuse gpu status',
    )
    .action(async (opts: { force?: boolean }) => {
      const libs = cudaLibraries();
      if (libs.missing.length === 0 && !opts.force) {
        process.stdout.write(`The CUDA/TensorRT provider libraries are already in ${libs.binDir} (--force downloads them again).\n`);
        return;
      }
      process.stdout.write(`Downloading ${libs.nuget.name} ${libs.nuget.version} from NuGet (${libs.nuget.url}, several hundred MB) with onnxruntime-node's installer...\n`);
      const controller = new AbortController();
      const signals = cancelOnSignals(controller, FORCE_EXIT_MS, 'cancelling the install');
      let result;
      try {
        result = await installCudaLibraries(libs, (line) => process.stdout.write(`  ${line}\n`), controller.signal);
      } catch (error) {
        if (signals.stoppedWith === null) throw error;
        // Stopped by a signal: its exit status (130 for Ctrl-C, 143 for SIGTERM), as a shell reports it.
        process.stderr.write(`${describeError(error)}\n`);
        process.exitCode = signals.stoppedWith;
        return;
      } finally {
        signals.dispose();
      }
      process.stdout.write(`Installed ${result.installed.join(', ')} into ${libs.binDir}.\nRun \`framefuse doctor\`: the cuda provider loads when CUDA 12 and cuDNN 9 are installed.\n`);
    });
}
