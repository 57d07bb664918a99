import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { graphJsonSchema } from '../../graph/graph-json-schema.js';
import { cliRegistry } from '../context.js';

export const DEFAULT_SCHEMA_PATH = 'graphs/graph.schema.json';

export function register(program: Command): void {
  program
    .command('schema')
    .description("Write the graph JSON Schema (node types and their params), which graph files reference with $schema.")
    .option('--out <file>', 'where to write it', DEFAULT_SCHEMA_PATH)
    .option('--check', 'exit 1 if the file is not current instead of writing it')
    .addHelpText('after', '\nExamples:\n  $ framefuse schema\n  $ framefuse schema --check')
    .action(async (opts: { out: string; check?: boolean }) => {
      const text = `${JSON.stringify(graphJsonSchema(await cliRegistry()), null, 2)}\n`;
      if (opts.check) {
        let current = '';
        try {
          current = readFileSync(opts.out, 'utf8');
        } catch {
          // missing counts as stale
        }
        if (current !== text) {
          process.stderr.write(`${opts.out} is not current: run \`framefuse schema\`\n`);
          process.exitCode = 1;
        }
        return;
      }
      writeFileSync(opts.out, text);
      process.stdout.write(`wrote ${opts.out}\n`);
    });
}
