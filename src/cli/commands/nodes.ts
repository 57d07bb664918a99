import type { Command } from 'commander';
import { buildCatalog } from '../../node-api/catalog.js';
import { cliRegistry } from '../context.js';

export function register(program: Command): void {
  program
    .command('nodes')
    .description('List the node types: ports, kind and parameters (the editor palette uses the same catalog).')
    .option('--json', 'print the whole catalog as JSON (ports with types, params as JSON Schema)')
    .addHelpText('after', '\nExamples:\n  $ framefuse nodes\n  $ framefuse nodes --json > catalog.json')
    .action(async (opts: { json?: boolean }) => {
      const catalog = buildCatalog(await cliRegistry());
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(catalog, null, 2)}\n`);
        return;
      }
      for (const node of catalog.nodes) {
        const ports = (list: typeof node.inputs) => list.map((p) => `${p.name}:${p.type}${p.optional ? '?' : ''}`).join(', ') || '-';
        const params = Object.keys((node.params.properties ?? {}) as object);
        process.stdout.write(`${node.type} (${node.category}, ${node.kind}${node.batching ? ', sets batch' : ''})\n`);
        process.stdout.write(`  ${node.description}\n`);
        process.stdout.write(`  in: ${ports(node.inputs)}   out: ${ports(node.outputs)}\n`);
        if (params.length > 0) process.stdout.write(`  params: ${params.join(', ')}\n`);
      }
    });
}
