/**
 * The `framefuse` command line. Each command lives in commands/ and registers itself;
 * errors are reported with their code and the exit status that belongs to their kind.
 * Every command module is imported at start, so a command imports what only it needs (the
 * farm's BullMQ and ioredis, the server) inside its action (test/cli/lazy-farm.test.ts).
 */
import { Command, CommanderError } from 'commander';
import { exitCodeFor } from '../errors.js';
import { describeError } from './describe-error.js';
import { settleBeforeExit } from './process-end.js';
import { register as registerValidate } from './commands/validate.js';
import { register as registerPlan } from './commands/plan.js';
import { register as registerNodes } from './commands/nodes.js';
import { register as registerRun } from './commands/run.js';
import { register as registerSchema } from './commands/schema.js';
import { register as registerModels } from './commands/models.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerDoctor } from './commands/doctor.js';
import { register as registerBench } from './commands/bench.js';
import { register as registerTune } from './commands/tune.js';
import { register as registerGpu } from './commands/gpu.js';
import { register as registerWorker } from './commands/worker.js';
import { register as registerFarm } from './commands/farm.js';
import { register as registerGraphOf } from './commands/graph-of.js';

export function buildProgram(): Command {
  const program = new Command('framefuse')
    .description('Node-graph editor and streaming executor for video inference pipelines.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of [registerValidate, registerPlan, registerNodes, registerRun, registerSchema, registerModels, registerServe, registerDoctor, registerBench, registerTune, registerGpu, registerWorker, registerFarm, registerGraphOf]) register(program);
  program.addHelpText(
    'after',
    `
Examples:
  $ framefuse validate graphs/anonymize.json
  $ framefuse plan graphs/anonymize.json
  $ framefuse run graphs/anonymize.json --set decoder.path=in.mp4 --set encoder.path=out.mp4
  $ framefuse nodes`,
  );
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`${describeError(error)}\n`);
    return exitCodeFor(error);
  } finally {
    settleBeforeExit();
  }
}
