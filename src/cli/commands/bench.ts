import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { loadGraphFile } from '../../graph/load.js';
import { compareGraph, describeRun, formatReport } from '../../bench/compare-graph.js';
import { benchChartSvg } from '../../bench/chart-svg.js';
import { userError } from '../../errors.js';
import { printProblems } from '../load-for-cli.js';
import { collect } from '../context.js';

export function register(program: Command): void {
  program
    .command('bench')
    .description('Benchmark a graph: per-frame execution against the planned pipeline (batched, fused, streamed), side by side.')
    .argument('<graph>', 'graph JSON file')
    .option('--batch <sizes>', 'batch sizes to try on every Batcher, comma-separated', '1,4,8')
    .option('--set <node.param=value>', 'override a parameter in every run (repeatable)', collect)
    .option('--rounds <n>', 'rounds of every configuration, interleaved; figures are the median round\'s', '3')
    .option('--json <file>', 'write the report as JSON (ratio, efficiency, peakRssMb, per-stage figures)')
    .option('--svg <file>', 'write a chart of per-stage busy time and fps per batch size')
    .addHelpText(
      'after',
      `
Each run is a separate \`framefuse run\` process; encoder outputs go to a temporary folder.
An untimed warm-up run first makes and caches model rewrites. Throughput is taken over
pipeline time (first decoded frame to last processed frame); start-up is reported apart.

Examples:
  $ framefuse bench graphs/anonymize.json
  $ framefuse bench graphs/anonymize.json --batch 1,8 --json bench.json --svg bench.svg`,
    )
    .action(async (file: string, opts: { batch: string; set?: string[]; rounds: string; json?: string; svg?: string }) => {
      const loaded = await loadGraphFile(file);
      if (!loaded.document) {
        printProblems(file, loaded.problems);
        process.exitCode = 2;
        return;
      }
      const batches = opts.batch.split(',').map((s) => Number(s.trim()));
      if (batches.some((b) => ![1, 2, 4, 8, 16, 32].includes(b))) throw userError('FF_BENCH_BATCH', `--batch ${opts.batch}: sizes are 1, 2, 4, 8, 16 or 32`);
      const rounds = Number(opts.rounds);
      if (!Number.isInteger(rounds) || rounds < 1) throw userError('FF_BENCH_ROUNDS', `--rounds ${opts.rounds}: give a whole number of rounds, 1 or more`);
      const report = await compareGraph(file, loaded.document, {
        batches,
        rounds,
        sets: opts.set ?? [],
        onRun: (run) => process.stderr.write(`${describeRun(run)}\n`),
      });
      process.stdout.write(`${formatReport(report)}\n`);
      if (opts.json) await writeFile(opts.json, `${JSON.stringify(report, null, 2)}\n`);
      if (opts.svg) await writeFile(opts.svg, benchChartSvg([report]));
    });
}
