/**
 * `framefuse worker <redis-url>`: a farm worker on this machine. It checks that Redis
 * answers, then takes segment jobs until stopped. The first Ctrl-C (or SIGTERM) stops
 * taking jobs and lets the segments in progress finish; a second one ends at once, and
 * BullMQ hands those segments to other workers when their locks expire.
 */
import type { Command } from 'commander';
import { cliRegistry, collect, providerFlag, PROVIDER_HELP } from '../context.js';
import { farmUserError } from '../../farm/farm-errors.js';
import { endProcessNow, signalExitCode } from '../process-end.js';

interface WorkerOpts {
  concurrency?: string;
  provider?: string[];
  name?: string;
  lockMs?: string;
  stalledMs?: string;
}

function positiveInt(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw farmUserError('FF_FARM_OPTION_INVALID', `${flag} ${text} must be a whole number, 1 or more.`);
  return n;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('Render segments of farm runs (framefuse run --farm) taken from the queue on this Redis.')
    .argument('<redis-url>', 'the farm: redis://host:6379[/db]')
    .option('--concurrency <n>', 'segments rendered at once by this process (default 1)')
    .option('--provider <name>', PROVIDER_HELP, collect)
    .option('--name <name>', 'name in progress and logs (default host:pid)')
    .option('--lock-ms <ms>', "how long a segment's lock lasts unrenewed: a killed worker's segment is retried after about this (default 30000)")
    .option('--stalled-ms <ms>', 'how often this worker looks for segments whose worker died (default 30000)')
    .addHelpText(
      'after',
      `
Every worker needs the same framefuse version and models as the submitter, and (in the
default shared media mode) the source and output folders at the same paths.

Examples:
  $ framefuse worker redis://render-head:6379
  $ framefuse worker redis://render-head:6379/2 --concurrency 2 --provider webgpu`,
    )
    .action(async (urlText: string, opts: WorkerOpts) => {
      // Loaded on use, as every farm module (test/cli/lazy-farm.test.ts).
      const { parseFarmUrl, pingRedis, redactUrl } = await import('../../farm/redis-connection.js');
      const { startFarmWorker } = await import('../../farm/farm-worker.js');
      const url = parseFarmUrl(urlText);
      await pingRedis(url);
      const registry = await cliRegistry();
      const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      const providers = providerFlag(opts.provider);
      const worker = startFarmWorker({
        url,
        registry,
        concurrency: positiveInt('--concurrency', opts.concurrency, 1),
        ...(providers ? { providers } : {}),
        ...(opts.name ? { name: opts.name } : {}),
        lockMs: positiveInt('--lock-ms', opts.lockMs, 30_000),
        stalledMs: positiveInt('--stalled-ms', opts.stalledMs, 30_000),
        log,
      });
      log(`worker ${worker.name} taking segments from ${redactUrl(url)}`);
      await new Promise<void>((resolve) => {
        let stopping = false;
        const onSignal = (signal: NodeJS.Signals) => {
          if (stopping) endProcessNow(signalExitCode(signal));
          stopping = true;
          log(`stopping: finishing the segments in progress (${signal} again to quit at once)`);
          void worker.close().then(resolve, resolve);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      log('stopped');
    });
}
