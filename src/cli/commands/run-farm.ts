/**
 * `framefuse run --farm <url>`: the run command's farm path. It submits the prepared graph
 * to the farm (src/farm/submit.ts), shows frames done across all workers, and ends like
 * a local run: Ctrl-C cancels (the run's jobs and segments are removed, no output), exit
 * codes by the error's kind.
 */
import type { GraphDocument } from '../../model/document.js';
import type { ResolvedGraph } from '../../graph/resolved-graph.js';
import { exitCodeFor, isFramefuseError } from '../../errors.js';
import { submitFarmRun } from '../../farm/submit.js';
import { farmProgressLine, type FarmProgress } from '../../farm/farm-progress.js';
import { zMediaMode } from '../../farm/farm-queue.js';
import { farmUserError } from '../../farm/farm-errors.js';
import { describeError } from '../describe-error.js';
import { formatDuration } from '../progress.js';
import { cancelOnSignals } from '../process-end.js';

export interface FarmRunOpts {
  farm: string;
  segmentSeconds?: string;
  media?: string;
  mediaHost?: string;
  mediaPort?: string;
  json?: boolean;
  quiet?: boolean;
  overwrite?: boolean;
  metrics?: string;
}

function portNumber(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw farmUserError('FF_FARM_OPTION_INVALID', `--media-port ${text} is not a port number.`, { fix: 'Give 0..65535 (0: any free port).' });
  return port;
}

/** A cancel waits this long for workers to drop the run's segments before the process ends anyway. */
const FORCE_EXIT_MS = 15_000;

export async function runOnFarm(document: GraphDocument, graph: ResolvedGraph, opts: FarmRunOpts): Promise<void> {
  const media = zMediaMode.safeParse(opts.media ?? 'shared');
  if (!media.success) throw farmUserError('FF_FARM_MEDIA_MODE', `--media ${opts.media} is not a media mode.`, { fix: 'Use --media shared (a folder every worker mounts at the same path) or --media stream.' });
  const controller = new AbortController();
  const signals = cancelOnSignals(controller, FORCE_EXIT_MS, opts.quiet ? null : 'cancelling the farm run');
  let lastPlain = 0;
  const onProgress = (p: FarmProgress) => {
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ type: 'farm-progress', ...p })}\n`);
      return;
    }
    if (opts.quiet) return;
    if (process.stderr.isTTY) process.stderr.write(`\r${farmProgressLine(p).slice(0, (process.stderr.columns ?? 100) - 1)}`);
    else if (Date.now() - lastPlain >= 2000) {
      lastPlain = Date.now();
      process.stderr.write(`progress ${farmProgressLine(p)}\n`);
    }
  };
  try {
    const result = await submitFarmRun({
      url: opts.farm,
      document,
      graph,
      segmentSeconds: opts.segmentSeconds === undefined ? 30 : Number(opts.segmentSeconds),
      media: media.data,
      ...(opts.mediaHost !== undefined ? { mediaHost: opts.mediaHost } : {}),
      ...(opts.mediaPort !== undefined ? { mediaPort: portNumber(opts.mediaPort) } : {}),
      overwrite: opts.overwrite ?? false,
      signal: controller.signal,
      onLog: (message) => {
        if (opts.json) process.stdout.write(`${JSON.stringify({ type: 'log', message })}\n`);
        else if (!opts.quiet) process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}info farm: ${message}\n`);
      },
      onProgress,
    });
    if (opts.metrics) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(opts.metrics, `${JSON.stringify({ mode: 'farm', ...result, fps: result.frames / Math.max(result.wallMs / 1000, 1e-3) }, null, 2)}\n`);
    }
    if (opts.json) process.stdout.write(`${JSON.stringify({ type: 'finished', ...result })}\n`);
    else if (!opts.quiet) {
      if (process.stderr.isTTY) process.stderr.write('\n');
      const workers = new Set(result.rendered.map((r) => r.worker)).size;
      process.stderr.write(
        `done on the farm: ${result.frames} frames in ${formatDuration(result.wallMs / 1000)} (${(result.frames / Math.max(result.wallMs / 1000, 1e-3)).toFixed(1)} fps), ${result.segments} segments on ${workers} worker(s); split ${(result.splitMs / 1000).toFixed(2)} s, join ${(result.joinMs / 1000).toFixed(2)} s\n`,
      );
      process.stderr.write(`wrote ${result.output}\n`);
    }
  } catch (error) {
    if (process.stderr.isTTY && !opts.quiet) process.stderr.write('\n');
    const cancelled = isFramefuseError(error) && error.kind === 'cancelled';
    if (cancelled) {
      if (!opts.quiet) process.stderr.write('cancelled\n');
    } else process.stderr.write(`${describeError(error)}\n`);
    process.exitCode = cancelled && signals.stoppedWith !== null ? signals.stoppedWith : exitCodeFor(error);
  } finally {
    signals.dispose();
  }
}
