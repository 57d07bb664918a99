/**
 * `framefuse farm clean <redis-url>`: removes farm runs that no submitter follows (a
 * submitter that crashed, or that was cancelled while Redis was unreachable), with their
 * jobs and segment files (src/farm/clean.ts).
 */
import type { Command } from 'commander';

interface CleanOpts {
  run?: string;
  force?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const farm = program.command('farm').description('Look after a render farm (framefuse run --farm, framefuse worker).');
  farm
    .command('clean')
    .description('Remove farm runs no submitter follows any more (crashed, or cancelled while Redis was unreachable): their jobs, records and segment files.')
    .argument('<redis-url>', 'the farm: redis://host:6379[/db]')
    .option('--run <id>', 'only this run (the id its submitter printed)')
    .option('--force', 'with --run: remove it even though a submitter still follows it (that submitter then fails)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExamples:\n  $ framefuse farm clean redis://render-head:6379\n  $ framefuse farm clean redis://render-head:6379 --run 3f9c0a1b2c3d4e5f --force')
    .action(async (url: string, opts: CleanOpts) => {
      // Loaded on use, as every farm module (test/cli/lazy-farm.test.ts).
      const { cleanFarm } = await import('../../farm/clean.js');
      const { redactUrl } = await import('../../farm/redis-connection.js');
      const result = await cleanFarm({ url, ...(opts.run ? { runId: opts.run } : {}), ...(opts.force ? { force: true } : {}), onLog: (line) => process.stderr.write(`info farm: ${line}\n`) });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return;
      }
      for (const r of result.removed) {
        process.stdout.write(`removed farm run ${r.runId} (${r.source} -> ${r.output})${r.jobsLeft ? `; ${r.jobsLeft} job(s) held by unresponsive workers expire within a day` : ''}\n`);
      }
      for (const id of result.followed) process.stdout.write(`kept farm run ${id}: a submitter follows it (add --run ${id} --force to remove it anyway)\n`);
      if (result.removed.length === 0 && result.followed.length === 0) process.stdout.write(`no farm runs on ${redactUrl(url)}\n`);
    });
}
