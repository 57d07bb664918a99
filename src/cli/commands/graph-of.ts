/**
 * `framefuse graph-of <file>`: prints (or writes) the graph an output was made with, read
 * from the metadata tag the Encoder embeds (src/media/graph-tag.ts), checked as a graph
 * document before it is given out.
 */
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { readEmbeddedGraph } from '../../media/graph-tag.js';
import { parseGraphText } from '../../model/parse-document.js';
import { userError } from '../../errors.js';

export function register(program: Command): void {
  program
    .command('graph-of')
    .description('Print the graph a framefuse output (mp4, mov, mkv, webm) was made with, from its embedded metadata.')
    .argument('<file>', 'an output a framefuse Encoder wrote')
    .option('-o, --output <graph.json>', 'write the graph to this file instead of printing it (never over an existing file)')
    .addHelpText('after', '\nExamples:\n  $ framefuse graph-of outputs/anonymized.mp4\n  $ framefuse graph-of outputs/anonymized.mp4 -o graphs/again.json')
    .action(async (file: string, opts: { output?: string }) => {
      if (!existsSync(file)) throw userError('FF_FILE_NOT_FOUND', `${file} does not exist.`, { fix: 'Give the path of an output file.' });
      const json = await readEmbeddedGraph(file);
      if (json === null) throw userError('FF_NO_EMBEDDED_GRAPH', `${file} has no embedded graph.`, { fix: 'Only outputs written by a framefuse Encoder carry their graph (mp4, mov, mkv, webm).' });
      const parsed = parseGraphText(json);
      if (!parsed.document) throw userError('FF_NO_EMBEDDED_GRAPH', `${file} carries a graph that is not valid: ${parsed.problems[0]?.message ?? 'unreadable'}`);
      const text = `${JSON.stringify(parsed.document, null, 2)}\n`;
      if (!opts.output) {
        process.stdout.write(text);
        return;
      }
      await writeFile(opts.output, text, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') throw userError('FF_OUTPUT_EXISTS', `${opts.output} exists already; it is kept.`, { fix: 'Give a new file name.' });
        throw error;
      });
      process.stderr.write(`wrote ${opts.output}\n`);
    });
}
