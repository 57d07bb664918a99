import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNodeRegistry } from '../../src/node-api/registry.js';

// scripts/build.js on a small project of the same layout: a node file deleted from nodes/
// leaves dist/ and the catalog; a build with nothing changed runs no compiler.

const BUILD = 'scripts/build.js';

function nodeSource(type: string): string {
  // A definition without imports (the registry checks its shape, not where it came from).
  return `export default {
  type: '${type}', version: 1, kind: 'host', inputs: {}, outputs: {},
  params: { safeParse: (value: unknown) => ({ success: true, data: value }) },
  create: () => ({}),
};\n`;
}

function build(root: string) {
  const r = spawnSync(process.execPath, [BUILD, '--root', root, '--no-client'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stderr;
}

async function catalog(root: string): Promise<string[]> {
  return (await loadNodeRegistry({ builtins: false, dirs: [join(root, 'dist', 'nodes')] })).types();
}

test('a node file deleted from nodes/ vanishes from dist/ and from the catalog; an unchanged tree is not recompiled', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'framefuse-build-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'nodes'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: [], incremental: true, tsBuildInfoFile: 'dist/.tsbuildinfo', outDir: 'dist', rootDir: '.' }, include: ['nodes'] }),
  );
  writeFileSync(join(root, 'nodes', 'keep.ts'), nodeSource('Keep'));
  writeFileSync(join(root, 'nodes', 'gone.ts'), nodeSource('Gone'));

  assert.match(build(root), /tsc \(server\) in/);
  assert.deepEqual(await catalog(root), ['Gone', 'Keep']);

  assert.match(build(root), /server up to date/);

  rmSync(join(root, 'nodes', 'gone.ts'));
  const log = build(root);
  assert.match(log, /removed dist\/nodes\/gone\.js \(its source is gone\)/);
  assert.equal(existsSync(join(root, 'dist', 'nodes', 'gone.js')), false);
  assert.equal(existsSync(join(root, 'dist', 'nodes', 'gone.js.map')), false);
  assert.deepEqual(await catalog(root), ['Keep']);

  // A type check (tsc --noEmit) between builds rewrites tsc's .tsbuildinfo; the next build
  // must still emit the changed source.
  writeFileSync(join(root, 'nodes', 'keep.ts'), nodeSource('Kept'));
  const check = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', join(root, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(build(root), /tsc \(server\) in/);
  assert.match(readFileSync(join(root, 'dist', 'nodes', 'keep.js'), 'utf8'), /type: 'Kept'/); // (the catalog's import is cached)
});

test('removing stale output never follows a link out of dist/', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'framefuse-build-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'nodes'));
  mkdirSync(join(root, 'dist'));
  mkdirSync(join(root, 'elsewhere'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', types: [], outDir: 'dist', rootDir: '.' }, include: ['nodes'] }));
  writeFileSync(join(root, 'nodes', 'keep.ts'), nodeSource('Keep'));
  // A hand-written file with no .ts beside it, reached from dist/ only through links.
  writeFileSync(join(root, 'elsewhere', 'own.js'), 'export {};\n');
  symlinkSync(join(root, 'elsewhere'), join(root, 'dist', 'linked'), 'dir');
  symlinkSync(join(root, 'elsewhere', 'own.js'), join(root, 'dist', 'own.js'));

  build(root);
  assert.equal(existsSync(join(root, 'elsewhere', 'own.js')), true);
});
