import type { Command } from 'commander';
import { prepareFile, printProblems, hasErrors } from '../load-for-cli.js';

export function register(program: Command): void {
  program
    .command('validate')
    .description('Check graph files: every problem at once, one line each, with a stable code.')
    .argument('<graph...>', 'graph JSON files')
    .option('--no-checks', "skip the nodes' own checks (input files present, models pulled)")
    .addHelpText(
      'after',
      `
Each problem prints as  <file>: <CODE> <node>[.<port|param>]: <message>
Files named *.schema.json (the JSON Schema of graphs) are skipped.
Exit status: 0 when every file is valid (warnings allowed), 2 otherwise.

Examples:
  $ framefuse validate graphs/anonymize.json
  $ framefuse validate graphs/*.json --no-checks`,
    )
    .action(async (files: string[], opts: { checks: boolean }) => {
      let failed = false;
      for (const file of files) {
        if (isSchemaFile(file)) {
          // A shell glob such as graphs/*.json also picks up graphs/graph.schema.json.
          process.stdout.write(`${file}: skipped (a JSON Schema, not a graph)\n`);
          continue;
        }
        const prepared = await prepareFile(file, { checks: opts.checks });
        printProblems(file, prepared.problems);
        if (hasErrors(prepared.problems) || !prepared.graph) failed = true;
        else process.stdout.write(`${file}: valid (${prepared.graph.nodes.size} nodes, ${prepared.plan!.stages.length} stages)\n`);
      }
      process.exitCode = failed ? 2 : 0;
    });
}

/** True for a JSON Schema file (graph.schema.json, written by `framefuse schema`) rather than a graph. */
export function isSchemaFile(file: string): boolean {
  return /(^|[\\/])[^\\/]*\.schema\.json$/i.test(file);
}
