/**
 * `npm run bench -- <name>...`: runs the named benchmarks (all but gpu when none is named). Each is
 * a module bench/<name>.ts whose default export takes the remaining arguments. Ratios are
 * taken side by side in one run, never against numbers from another machine.
 */
import { existsSync } from 'node:fs';

const KNOWN = ['scheduler', 'media', 'runtime', 'faces', 'gpu', 'farm', 'live'];
/** Run when no name is given; gpu needs a GPU provider that loads, and farm a redis-server, so they run only when named. */
const DEFAULT = ['scheduler', 'media', 'runtime', 'faces'];

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const chosen = names.length > 0 ? names : DEFAULT.filter((n) => existsSync(new URL(`./${n}.js`, import.meta.url)));
for (const name of chosen) {
  const url = new URL(`./${name}.js`, import.meta.url);
  if (!existsSync(url)) {
    process.stderr.write(`unknown benchmark "${name}"; known: ${KNOWN.join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`\n== ${name} ==\n`);
  const module = (await import(url.href)) as { default: (args: string[]) => Promise<void> };
  await module.default(flags);
}
