import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

// The install must stay warning-free on npm 11 and work on npm 12, which blocks dependency
// install scripts that package.json's `allowScripts` does not allow. onnxruntime-node's
// script must never run at install: it downloads CUDA libraries from NuGet, which fails
// offline (`framefuse gpu install` runs it on purpose).

const root = new URL('../../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { allowScripts?: Record<string, boolean>; engines?: Record<string, string> };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };

function npm(args: string[]) {
  const result = spawnSync('npm', args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

test('every locked package with an install script has an allowScripts decision; onnxruntime-node is denied, the ffmpeg chmods allowed', () => {
  const policy = pkg.allowScripts ?? {};
  const withScripts = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  assert.ok(withScripts.includes('onnxruntime-node'), 'the lockfile should list onnxruntime-node as having an install script');
  const undecided = withScripts.filter((name) => !(name in policy));
  assert.deepEqual(undecided, [], `add these to package.json allowScripts (npm install-scripts approve|deny <name>): ${undecided.join(', ')}`);
  assert.equal(policy['onnxruntime-node'], false);
  assert.equal(policy['@ffmpeg-installer/linux-x64'], true);
  assert.equal(policy['@ffprobe-installer/linux-x64'], true);
});

test('the project sets no npm config that npm does not know (no project .npmrc keys that warn)', () => {
  const npmrc = new URL('.npmrc', root);
  if (existsSync(npmrc)) assert.doesNotMatch(readFileSync(npmrc, 'utf8'), /onnxruntime-node-install/);
  const r = npm(['config', 'list']);
  assert.equal(r.code, 0, r.out);
  assert.doesNotMatch(r.out, /npm warn/i, 'npm config list warned');
});

test('npm finds no unreviewed install script in the installed tree and prints no warning', () => {
  const version = npm(['--version']).out.trim();
  const [major = 0, minor = 0] = version.split('.').map(Number);
  assert.ok(major > 11 || (major === 11 && minor >= 16), `npm ${version} has no allowScripts support: use npm 11.16 or later (npm install -g npm@11)`);
  const r = npm(['install-scripts', 'ls']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /No packages with unreviewed install scripts/);
  assert.doesNotMatch(r.out, /npm warn/i);
  assert.equal(pkg.engines?.npm, '>=11.16');
});
