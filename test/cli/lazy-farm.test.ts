/**
 * The farm's modules (BullMQ, ioredis: about 0.15 s of start-up) load only with the commands
 * that use them. A static import of src/farm from a command's module would put them back in
 * every start; this runs the real CLI with a preload that counts, at exit, the CommonJS
 * modules of bullmq and ioredis Node has loaded.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string;
let probe: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ff-lazy-farm-'));
  probe = join(dir, 'count-farm-modules.mjs');
  writeFileSync(
    probe,
    `import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const farm = Object.keys(cache).filter((k) => /node_modules[\\\\/](bullmq|ioredis)[\\\\/]/.test(k));
  process.stderr.write('FARM_MODULES ' + farm.length + '\\n');
});
`,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** How many bullmq/ioredis modules the main thread had loaded when `framefuse args` exited. */
function farmModulesLoaded(args: string[]): number {
  const r = spawnSync(process.execPath, ['--import', probe, 'bin/framefuse.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  const counts = [...r.stderr.matchAll(/^FARM_MODULES (\d+)$/gm)].map((m) => Number(m[1]));
  assert.ok(counts.length > 0, `no count printed (exit ${r.status}): ${r.stderr.slice(-500)}`);
  return counts[counts.length - 1]!; // the main thread exits last
}

test('validate and a plain run start without the farm modules', () => {
  assert.equal(farmModulesLoaded(['validate', 'graphs/anonymize.json']), 0);
  const out = join(dir, 'three.mp4');
  assert.equal(farmModulesLoaded(['run', 'graphs/anonymize.json', '--set', 'decoder.end=3', '--set', `encoder.path=${out}`, '--quiet', '--provider', 'cpu']), 0);
});

test('a farm command does load them (the count can fail)', () => {
  // Nothing listens on port 1: the command fails at once, after its modules loaded.
  assert.ok(farmModulesLoaded(['farm', 'clean', 'redis://127.0.0.1:1']) > 0);
});
