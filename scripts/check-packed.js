#!/usr/bin/env node
// CI check (about a minute, so not part of `npm test`): the package as `npm pack` makes it
// installs into an empty project without npm warnings, and its `framefuse` command runs
// there: --help, validate, and a real transcode of the bundled sample with the bundled
// ffmpeg. Run after a build: `node scripts/check-packed.js`. Exits 1 with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'framefuse-packed-'));

/** The `"allowScripts": {...}` block the README tells users to copy. */
function readmeAllowScripts() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /"allowScripts": (\{[^}]*\})/.exec(readme);
  if (!block) fail('README.md has no "allowScripts": {...} block to copy');
  return JSON.parse(block[1]);
}

function fail(message, output = '') {
  process.stderr.write(`check-packed: ${message}\n${output}`);
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`, output);
  return output;
}

const started = performance.now();
// The build is done; --ignore-scripts keeps pack from running `prepare` again.
run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], ROOT);
const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
if (!tarball) fail('npm pack wrote no tarball');
const app = join(work, 'app');
mkdirSync(app);
// What the README asks of a project that depends on framefuse: the install-script decisions
// The decisions are the README's own block ("use from your own project"), so the README is
// what this checks. (npm 12 blocks unreviewed scripts; npm 11 runs them, and onnxruntime-node's would
// download CUDA libraries). The tarball itself is a file: dependency, whose `prepare` npm
// lists too.
writeFileSync(
  join(app, 'package.json'),
  `${JSON.stringify({
    name: 'app',
    private: true,
    allowScripts: {
      ...readmeAllowScripts(),
      [`file:${join(work, tarball)}`]: false,
    },
  }, null, 2)}\n`,
);
const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)], app);
if (/npm warn/i.test(install)) fail('npm install of the packed package printed warnings', install);

const bin = join(app, 'node_modules', '.bin', 'framefuse');
if (!/Usage: framefuse/.test(run(bin, ['--help'], app))) fail('framefuse --help printed no usage');
const pkg = join(app, 'node_modules', 'framefuse');
run(bin, ['validate', join(pkg, 'graphs', 'anonymize.json'), join(pkg, 'graphs', 'transcode.json'), '--no-checks'], app);
run(bin, ['run', join(pkg, 'graphs', 'transcode.json'), '--set', `decoder.path=${join(pkg, 'samples', 'tears_of_steel_clip01_640x360.mp4')}`, '--set', 'encoder.path=out.mp4', '--quiet'], app);
const out = join(app, 'out.mp4');
if (!existsSync(out) || statSync(out).size < 10_000) fail('the transcode in the installed package wrote no out.mp4');

rmSync(work, { recursive: true, force: true });
process.stdout.write(`check-packed: ${tarball} installs without warnings and runs (--help, validate, a transcode) in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
