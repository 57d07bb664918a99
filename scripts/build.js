#!/usr/bin/env node
// `npm run build` and `npm start`: builds only what changed, and never keeps the output of a
// deleted source (a node file removed from nodes/ must leave the catalog).
//
//   1. server (tsconfig.json -> dist/): compiled JS whose .ts source is gone is removed;
//      tsc runs (incrementally, dist/.tsbuildinfo) only when a source, a folder (a file
//      added or deleted), tsconfig.json or package-lock.json is newer than the last
//      successful build (dist/.built-server, written by this script only);
//   2. editor type check (client/tsconfig.json): the same, against dist/.built-editor-types;
//   3. editor bundle (vite -> client/dist): only when client/dist/index.html is older than
//      its sources (the rule `framefuse start` applies too: clientBuildIsStale in
//      src/cli/commands/serve.ts).
//
// Options: --force (build everything), --no-client (steps 1 only), --root <dir> (another
// project with the same layout; the tests build a small one).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOOLS = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const force = args.includes('--force');
const withClient = !args.includes('--no-client');
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? resolve(args[rootAt + 1] ?? '.') : TOOLS;

/** The newest modification time under `path`, folders included (a deletion touches its folder). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

/**
 * Removes dist/**.js (and .js.map) whose source (.ts, .tsx) no longer exists. Only plain
 * files under dist itself: a link is never followed, so nothing outside dist is touched.
 */
function pruneOrphans(dist) {
  const removed = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      if (!entry.isFile()) continue;
      const m = /^(.*)\.js(\.map)?$/.exec(entry.name);
      if (!m) continue;
      const source = join(root, relative(dist, dir), m[1]);
      if (existsSync(`${source}.ts`) || existsSync(`${source}.tsx`)) continue;
      rmSync(path);
      removed.push(relative(root, path));
    }
  };
  if (existsSync(dist)) walk(dist);
  return removed;
}

/**
 * Runs a build step, then writes `stamp`: a file only this script writes, after the step
 * succeeded. The step's own outputs can't serve: tsc rewrites its .tsbuildinfo on a
 * `tsc --noEmit` check too, which would make a build that never emitted look up to date.
 */
function run(label, command, commandArgs, stamp) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [command, ...commandArgs], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: ${label} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
  if (stamp) writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.stderr.write(`build: ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

const tsc = join(TOOLS, 'node_modules', 'typescript', 'bin', 'tsc');
const lockfile = join(root, 'package-lock.json');

const serverStamp = join(root, 'dist', '.built-server');
const editorTypesStamp = join(root, 'dist', '.built-editor-types');
mkdirSync(join(root, 'dist'), { recursive: true });

// 1. server
const removed = pruneOrphans(join(root, 'dist'));
for (const file of removed) process.stderr.write(`build: removed ${file} (its source is gone)\n`);
const serverInputs = ['src', 'nodes', 'server', 'test', 'bench', 'tsconfig.json', 'package-lock.json'].map((p) => newestMtime(join(root, p)));
if (force || removed.length > 0 || Math.max(...serverInputs) > mtime(serverStamp)) run('tsc (server)', tsc, ['-p', 'tsconfig.json'], serverStamp);
else process.stderr.write('build: server up to date\n');

if (withClient && existsSync(join(root, 'client', 'tsconfig.json'))) {
  // 2. editor type check (client/src imports src/model)
  const clientSources = ['client/src', 'client/index.html', 'client/vite.config.ts', 'src/model'].map((p) => newestMtime(join(root, p)));
  const checkInputs = [...clientSources, newestMtime(join(root, 'client', 'tsconfig.json')), mtime(lockfile)];
  if (force || Math.max(...checkInputs) > mtime(editorTypesStamp)) run('tsc (editor)', tsc, ['-p', 'client/tsconfig.json'], editorTypesStamp);
  else process.stderr.write('build: editor types up to date\n');
  // 3. editor bundle
  const vite = join(TOOLS, 'node_modules', 'vite', 'bin', 'vite.js');
  if (force || Math.max(...clientSources, mtime(lockfile)) > mtime(join(root, 'client', 'dist', 'index.html'))) {
    // vite writes index.html anew on every build: its time is the bundle's stamp (serve reads it too).
    run('vite (editor)', vite, ['build', '--config', 'client/vite.config.ts', '--logLevel', 'warn']);
  } else process.stderr.write('build: editor bundle up to date\n');
}
