import type { Command } from 'commander';
import { loadGraphFile } from '../../graph/load.js';
import { applyOverrides, parseOverride } from '../../graph/overrides.js';
import { userError } from '../../errors.js';
import { parseProviders } from '../../runtime/providers.js';
import { EXECUTION_PROVIDERS } from '../../model/providers.js';
import { BATCH_SIZES } from '../../plan/batch-sizes.js';
import { tuneGraph, type TuneReport } from '../../run/tune-graph.js';
import { cliRegistry, collect } from '../context.js';
import { printProblems } from '../load-for-cli.js';

interface TuneOpts {
  provider?: string[];
  batches?: string;
  frames?: string;
  set?: string[];
  json?: boolean;
}

function parseBatches(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const sizes = text.split(',').map((s) => Number(s.trim()));
  const bad = sizes.find((s) => !(BATCH_SIZES as readonly number[]).includes(s));
  if (bad !== undefined) throw userError('FF_BAD_OPTION', `--batches takes sizes of ${BATCH_SIZES.join(', ')}, not "${text}"`);
  return sizes;
}

export function formatTuneReport(report: TuneReport): string {
  const lines: string[] = [];
  for (const stage of report.stages) {
    lines.push(`${stage.nodes.join(' + ')}: best ${stage.provider}, batch ${stage.batch}${stage.composed ? `, ${stage.strategy}` : ''}: ${stage.msPerFrame.toFixed(2)} ms a frame on ${stage.device}`);
    for (const m of [...stage.table].sort((a, b) => (a.msPerFrame ?? Infinity) - (b.msPerFrame ?? Infinity))) {
      lines.push(`  ${m.provider.padEnd(7)} ${stage.composed ? m.strategy.padEnd(9) : ''}batch ${String(m.batch).padStart(2)}  ${m.msPerFrame === null ? `failed: ${m.error ?? '?'}` : `${m.msPerFrame.toFixed(2)} ms/frame`}`);
    }
  }
  if (report.cacheFile) lines.push(`saved to ${report.cacheFile}: plans and runs of graphs with these models use it (a Batcher's size "auto")`);
  return lines.join('\n');
}

/** `framefuse tune`: measures each model stage's best provider, batch size and strategy on this machine, and caches it. */
export function register(program: Command): void {
  program
    .command('tune')
    .description('Measure which provider, batch size and fused strategy run each model stage of a graph fastest on this machine, on an excerpt of its own input, and remember it: plans and runs then use it wherever a Batcher says "auto".')
    .argument('<graph>', 'graph JSON file')
    .option('--provider <name>', `providers to measure (repeatable): ${EXECUTION_PROVIDERS.join(', ')} (default: every one that loads except tensorrt)`, collect)
    .option('--batches <sizes>', `batch sizes to try, comma-separated (default ${BATCH_SIZES.join(',')})`)
    .option('--frames <n>', 'frames of the input each configuration runs (default: three of the largest batch, at least 48)')
    .option('--set <node.param=value>', 'override a parameter (repeatable)', collect)
    .option('--json', 'print the measurements as JSON')
    .addHelpText(
      'after',
      `
Nothing is written but the cache (<models>/cache/tune/): the graph's sinks are left out.
A first run on a GPU tunes by itself unless --no-tune is given.

Examples:
  $ framefuse tune graphs/faceswap.json
  $ framefuse tune graphs/anonymize.json --provider webgpu --provider cpu --batches 1,4,8`,
    )
    .action(async (file: string, opts: TuneOpts) => {
      const loaded = await loadGraphFile(file);
      printProblems(file, loaded.problems);
      if (!loaded.document) {
        process.exitCode = 2;
        return;
      }
      const document = applyOverrides(loaded.document, (opts.set ?? []).map(parseOverride));
      const providers = opts.provider ? parseProviders(opts.provider.flatMap((p) => p.split(','))) : EXECUTION_PROVIDERS.filter((p) => p !== 'tensorrt');
      const frames = opts.frames === undefined ? undefined : Number(opts.frames);
      if (frames !== undefined && !(Number.isInteger(frames) && frames >= 2)) throw userError('FF_BAD_OPTION', `--frames must be a whole number of at least 2, not "${opts.frames}"`);
      const batches = parseBatches(opts.batches);
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const report = await tuneGraph(document, await cliRegistry(), {
          providers,
          ...(batches ? { batches } : {}),
          ...(frames ? { frames } : {}),
          signal: controller.signal,
          onProgress: (line) => process.stderr.write(`${line}\n`),
        });
        process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTuneReport(report)}\n`);
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
