import type { Command } from 'commander';
import { prepareFile, printProblems } from '../load-for-cli.js';
import { collect, providerFlag, PROVIDER_HELP, REPLICAS_HELP } from '../context.js';
import { formatPlan } from '../../plan/format-plan.js';

export function register(program: Command): void {
  program
    .command('plan')
    .description('Print the execution plan: stages, their batch sizes, and which nodes were fused.')
    .argument('<graph>', 'graph JSON file')
    .option('--json', 'print the plan as JSON')
    .option('--threads <n>', 'CPU threads for inference, shared among model stages (default: all cores)')
    .option('--replicas <n>', REPLICAS_HELP)
    .option('--provider <name>', PROVIDER_HELP, collect)
    .option('--set <node.param=value>', 'override a parameter (repeatable)', collect)
    .addHelpText(
      'after',
      `
Examples:
  $ framefuse plan graphs/faceswap.json
  $ framefuse plan graphs/faceswap.json --json --provider webgpu`,
    )
    .action(async (file: string, opts: { json?: boolean; provider?: string[]; set?: string[]; threads?: string; replicas?: string }) => {
      const prepared = await prepareFile(file, { providers: providerFlag(opts.provider), sets: opts.set ?? [], checks: false, ...(opts.threads ? { cpuThreads: Number(opts.threads) } : {}), ...(opts.replicas ? { replicas: Number(opts.replicas) } : {}) });
      printProblems(file, prepared.problems);
      if (!prepared.plan) {
        process.exitCode = 2;
        return;
      }
      process.stdout.write(opts.json ? `${JSON.stringify(prepared.plan, null, 2)}\n` : `${formatPlan(prepared.plan)}\n`);
    });
}
