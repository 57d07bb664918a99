import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { prepareFile, printProblems } from '../load-for-cli.js';
import { cliRegistry, collect, providerFlag, PROVIDER_HELP, REPLICAS_HELP } from '../context.js';
import { tuneGraph } from '../../run/tune-graph.js';
import type { Plan } from '../../model/plan.js';
import { probeProviders } from '../../runtime/providers.js';
import { runPlan } from '../../run/run-plan.js';
import { runPerFrame } from '../../run/run-per-frame.js';
import { exitCodeFor, isFramefuseError } from '../../errors.js';
import { describeError } from '../describe-error.js';
import { ProgressPrinter, formatDuration } from '../progress.js';
import type { RunEvent } from '../../run/run-events.js';
import { cancelOnSignals } from '../process-end.js';
import { formatLive, stopLiveOnFirstSignal } from '../live-stop.js';

interface RunOpts {
  set?: string[];
  provider?: string[];
  metrics?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  perFrame?: boolean;
  queue?: string;
  threads?: string;
  replicas?: string;
  compose: boolean;
  tune: boolean;
  overwrite?: boolean;
  farm?: string;
  segmentSeconds?: string;
  media?: string;
  mediaHost?: string;
  mediaPort?: string;
}

/** Ctrl-C (or SIGTERM) cancels the run cleanly; a second one, or cleanup past this limit, ends the process at once. */
const FORCE_EXIT_MS = 1800;

/** A model stage on a GPU that loads here, whose Batcher size is auto and that was never measured. */
async function untunedOnGpu(plan: Plan): Promise<boolean> {
  const stages = plan.stages.filter((s) => s.kind === 'accelerator' && s.streaming && s.providers[0] !== 'cpu' && s.batchReason?.startsWith('auto:') && !s.tuned);
  if (stages.length === 0) return false;
  const reports = await probeProviders();
  return stages.some((s) => reports.some((r) => r.name === s.providers[0] && r.available));
}

export function register(program: Command): void {
  program
    .command('run')
    .description('Run a graph headless: streaming, batched and fused, with progress and metrics.')
    .argument('<graph>', 'graph JSON file')
    .option('--set <node.param=value>', 'override a parameter (repeatable); values are JSON when they parse, else strings', collect)
    .option('--threads <n>', 'CPU threads for inference, shared among model stages (default: all cores)')
    .option('--replicas <n>', REPLICAS_HELP)
    .option('--provider <name>', PROVIDER_HELP, collect)
    .option('--metrics <file>', 'write the run metrics as JSON')
    .option('--json', 'print run events as JSON lines on stdout instead of a progress bar')
    .option('--quiet', 'print nothing but errors')
    .option('--verbose', 'also print details such as why each hardware encoder was passed over (framefuse doctor shows them too)')
    .option('--per-frame', 'run one frame at a time through every node, without batching, fusion or workers (the baseline)')
    .option('--queue <frames>', 'least capacity of each queue between stages, in frames')
    .option('--no-compose', 'run fused stages node by node instead of as one composed model')
    .option('--no-tune', 'on a GPU, skip measuring batch sizes and strategies for models not measured yet (framefuse tune does it on demand)')
    .option('--overwrite', 'replace existing output files (default: write to the next free name, out-1.mp4, ...); a file the run reads is never replaced')
    .option('--farm <redis-url>', 'render on a farm: split the video into segments, one BullMQ job each on this Redis (redis://host:6379[/db]), join the results (docs/farm.md)')
    .option('--segment-seconds <s>', 'with --farm: about how long each segment is, cut at keyframes (default 30)')
    .option('--media <mode>', 'with --farm: shared (the default: source and output in a folder every worker mounts at the same path) or stream (workers download each segment from this machine and upload the result)')
    .option('--media-host <name>', 'with --media stream: the name or address workers reach this machine by (default its host name)')
    .option('--media-port <port>', 'with --media stream: the port of the segment endpoint (default any free one)')
    .addHelpText(
      'after',
      `
A graph with a live source (a Camera) runs until Ctrl-C: the first ends the stream and
the run finishes normally (the Encoder's file is kept), a second cancels.

Exit status: 0 done, 1 the run failed, 2 invalid graph or input, 130 cancelled (Ctrl-C),
143 stopped by SIGTERM. The first Ctrl-C cancels cleanly; a second ends at once (ffmpeg
killed, partial files removed).

Examples:
  $ framefuse run graphs/anonymize.json
  $ framefuse run graphs/faceswap.json --set decoder.path=in.mp4 --set encoder.path=out.mp4
  $ framefuse run graphs/anonymize.json --provider webgpu --metrics metrics.json
  $ framefuse run graphs/live-anonymize.json --set camera.url=/dev/video0
  $ framefuse run graphs/anonymize.json --farm redis://render-head:6379 --segment-seconds 30`,
    )
    .action(async (file: string, opts: RunOpts) => {
      if (opts.verbose && !opts.quiet) process.env.FRAMEFUSE_VERBOSE = '1';
      const prepareOptions = { providers: providerFlag(opts.provider), sets: opts.set ?? [], ...(opts.threads ? { cpuThreads: Number(opts.threads) } : {}), ...(opts.replicas ? { replicas: Number(opts.replicas) } : {}) };
      let prepared = await prepareFile(file, prepareOptions);
      printProblems(file, prepared.problems);
      if (prepared.document && prepared.plan && opts.tune && !opts.perFrame && (await untunedOnGpu(prepared.plan))) {
        // First run of these models on this GPU: measure once, then every run uses it.
        if (!opts.quiet) process.stderr.write(`info tuning batch sizes for ${prepared.plan.providers[0]} once (framefuse tune; --no-tune skips it)\n`);
        await tuneGraph(prepared.document, await cliRegistry(), { providers: prepared.plan.providers, ...(opts.quiet ? {} : { onProgress: (line: string) => process.stderr.write(`info tune ${line}\n`) }) });
        prepared = await prepareFile(file, prepareOptions);
      }
      if (!prepared.graph || !prepared.plan) {
        process.exitCode = 2;
        return;
      }
      if (opts.farm !== undefined) {
        // The workers plan for their own machines; this one only validates and splits.
        // Loaded on use, as every farm module (test/cli/lazy-farm.test.ts).
        const { runOnFarm } = await import('./run-farm.js');
        await runOnFarm(prepared.document!, prepared.graph, { ...opts, farm: opts.farm });
        return;
      }
      if (opts.segmentSeconds !== undefined || opts.media !== undefined || opts.mediaHost !== undefined || opts.mediaPort !== undefined) {
        process.stderr.write('error FF_FARM_OPTION_INVALID: --segment-seconds and --media* apply to farm runs only\n  fix: add --farm redis://host:6379, or leave them out\n');
        process.exitCode = 2;
        return;
      }
      if (!opts.quiet && !opts.json) process.stderr.write(`info providers: ${prepared.plan.providerReason}\n`);
      const controller = new AbortController();
      // A live graph: the first Ctrl-C ends the live streams and the run finishes (outputs
      // kept); a second cancels; a third ends at once.
      const liveStop = prepared.plan.mode === 'latency' ? new AbortController() : null;
      const stopFirst = liveStop ? stopLiveOnFirstSignal(liveStop, opts.quiet ? null : 'stopping the live stream') : null;
      const signals = cancelOnSignals(controller, FORCE_EXIT_MS, opts.quiet ? null : 'cancelling', stopFirst ? () => stopFirst.claims() : undefined);

      const progress = new ProgressPrinter(process.stderr);
      const onEvent = (event: RunEvent) => {
        if (opts.json) {
          const { metrics: _m, ...rest } = event as RunEvent & { metrics?: unknown };
          process.stdout.write(`${JSON.stringify(event.type === 'progress' || event.type === 'finished' ? event : rest)}\n`);
          return;
        }
        if (opts.quiet) return;
        if (event.type === 'progress') progress.update(event);
        if (event.type === 'log') {
          progress.clear();
          process.stderr.write(`${event.level === 'warn' ? 'warning' : 'info'} ${event.node}: ${event.message}\n`);
        }
      };

      try {
        if (opts.perFrame) {
          const started = Date.now();
          const { outputs, frames, loadMs, pipelineMs, modelMs } = await runPerFrame(prepared.graph, { signal: controller.signal, providers: prepared.plan.providers, overwrite: opts.overwrite ?? false, ...(opts.threads ? { threads: Number(opts.threads) } : {}) });
          const wallMs = Date.now() - started;
          // The same top-level figures a planned run writes, so the two compare directly.
          const metrics = {
            graph: prepared.plan.graph,
            mode: 'per-frame',
            wallMs,
            frames,
            fps: frames / Math.max(wallMs / 1000, 1e-3),
            peakRssBytes: process.resourceUsage().maxRSS * 1024,
            loadMs,
            pipelineMs,
            pipelineFps: pipelineMs === null ? null : frames / (Math.max(pipelineMs, 1) / 1000),
            modelMs,
          };
          if (opts.metrics) await writeFile(opts.metrics, `${JSON.stringify(metrics, null, 2)}\n`);
          if (!opts.quiet) process.stderr.write(`done per frame: ${frames} frames in ${formatDuration(wallMs / 1000)} (${metrics.fps.toFixed(1)} fps)\n`);
          if (opts.json) process.stdout.write(`${JSON.stringify({ type: 'finished', outputs, metrics })}\n`);
          return;
        }
        const result = await runPlan(prepared.graph, prepared.plan, {
          signal: controller.signal,
          onEvent,
          ...(opts.queue ? { queueFrames: Number(opts.queue) } : {}),
          compose: opts.compose,
          overwrite: opts.overwrite ?? false,
          ...(liveStop ? { live: { stop: liveStop.signal } } : {}),
        });
        progress.clear();
        if (opts.metrics) await writeFile(opts.metrics, `${JSON.stringify(result.metrics, null, 2)}\n`);
        if (!opts.quiet && !opts.json) {
          const m = result.metrics;
          process.stderr.write(`done: ${m.frames} frames in ${formatDuration(m.wallMs / 1000)} (${m.fps.toFixed(1)} fps, peak RSS ${(m.peakRssBytes / 2 ** 20).toFixed(0)} MiB)\n`);
          if (m.live) process.stderr.write(`live: ${formatLive(m.live)}\n`);
          for (const [node, output] of Object.entries(result.outputs)) {
            const path = (output as { path?: unknown }).path;
            if (typeof path === 'string') process.stderr.write(`${node}: wrote ${path}\n`);
          }
        }
      } catch (error) {
        progress.clear();
        if (isFramefuseError(error) && error.kind === 'cancelled') {
          if (!opts.quiet) process.stderr.write('cancelled\n');
        } else {
          process.stderr.write(`${describeError(error)}\n`);
        }
        process.exitCode = isFramefuseError(error) && error.kind === 'cancelled' && signals.stoppedWith !== null ? signals.stoppedWith : exitCodeFor(error);
      } finally {
        signals.dispose();
        stopFirst?.dispose();
      }
    });
}
