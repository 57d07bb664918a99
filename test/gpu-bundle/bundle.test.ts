/**
 * The rehearsal of a GPU-machine run, on this machine's software Vulkan (Mesa's lavapipe):
 * scripts/gpu/bundle.js packs .gpu/, a folder shaped like the device's checkout gets the
 * tracked tree plus .gpu/ (what the device tool sends with carry [".gpu"]), and
 * scripts/gpu/run.sh runs there with a PATH that has no node, so only the carried node,
 * ffmpeg, onnxruntime and Vulkan loader can do the work.
 *
 * .ci/run builds the bundle before the tests (with apt-get download for the Debian
 * packages), so the bundle step here only repacks dist/. Without that, it builds every part
 * (minutes: xz -9e on ~200 MB), offline, from the installed Debian packages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LIMIT = 64 * 1024 * 1024;
const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const NODE_NAMES = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);

interface RunResult {
  status: string;
  exitCode: number | null;
  timedOut: boolean;
  elapsedS: number;
  budgetS: number;
  stepsS: { unpack: number | null; icd: number | null; doctor: number | null; command: number | null };
  unpacker: string;
  node: string;
  nodePath: string;
  icd: string;
  adapter: string;
  adapterType: string;
  ffmpeg: string;
  privateDir: string;
  bundleCommit: string;
}

/** A folder of links to the system's commands, without node (and without `drop`). */
function toolsDir(parent: string, name: string, drop: string[]): string {
  const dir = join(parent, name);
  mkdirSync(dir);
  for (const from of SYSTEM_PATH) {
    let names: string[];
    try {
      names = readdirSync(from);
    } catch {
      continue;
    }
    for (const n of names) {
      if (NODE_NAMES.has(n) || drop.includes(n) || existsSync(join(dir, n))) continue;
      try {
        if (statSync(join(from, n)).isFile()) symlinkSync(join(from, n), join(dir, n));
      } catch {
        // a dangling link in the system folder
      }
    }
  }
  return dir;
}

/** Copies what the device tool sends: tracked and untracked-not-ignored files, and .gpu/. */
function deviceCheckout(into: string): number {
  const listed = spawnSync('git', ['-C', ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  let bytes = 0;
  for (const rel of listed.stdout.split('\0').filter(Boolean)) {
    const from = join(ROOT, rel);
    let st;
    try {
      st = lstatSync(from);
    } catch {
      continue; // deleted in the work tree
    }
    mkdirSync(dirname(join(into, rel)), { recursive: true });
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(from), join(into, rel));
    else copyFileSync(from, join(into, rel));
    bytes += st.size;
  }
  cpSync(join(ROOT, '.gpu'), join(into, '.gpu'), { recursive: true });
  return bytes;
}

function folderBytes(dir: string): number {
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    bytes += e.isDirectory() ? folderBytes(p) : lstatSync(p).size;
  }
  return bytes;
}

/** Runs run.sh as the device would: from the checkout's root, with `tools` as the whole PATH. */
async function runOnDevice(checkout: string, tools: string, out: string, tmp: string, args: string[], extraEnv: Record<string, string> = {}) {
  mkdirSync(out, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  const started = Date.now();
  const child = spawn('/bin/bash', ['scripts/gpu/run.sh', ...args], {
    cwd: checkout,
    stdio: 'ignore', // run.sh writes everything to $OUT/run.log as well
    env: { PATH: tools, HOME: join(tmp, 'home'), OUT: out, TMPDIR: tmp, LANG: 'C.UTF-8', ...extraEnv },
  });
  const [status] = (await once(child, 'close')) as [number | null];
  const seconds = (Date.now() - started) / 1000;
  const files = readdirSync(out);
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
  return { status, seconds, files, result, log: readFileSync(join(out, 'run.log'), 'utf8') };
}

test('the GPU bundle runs framefuse on the software GPU with only the carried node, ffmpeg, onnxruntime and Vulkan loader', { timeout: 30 * 60_000 }, async (t) => {
  const t0 = Date.now();
  const bundle = spawnSync(process.execPath, [join(ROOT, 'scripts/gpu/bundle.js'), '--no-build', '--offline'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  assert.equal(bundle.status, 0, `bundle.js failed:\n${bundle.stdout}\n${bundle.stderr}`);
  const reported = /total sent to the device: ([\d.]+) MiB/.exec(bundle.stdout);
  assert.ok(reported, bundle.stdout);
  assert.ok(Number(reported[1]) < 64, `bundle.js reports ${reported[1]} MiB`);
  const manifest = JSON.parse(readFileSync(join(ROOT, '.gpu/manifest.json'), 'utf8')) as { parts: Array<{ file: string }> };
  for (const part of ['node.xz', 'ffmpeg.xz', 'ort.tar.xz', 'deps.tar.xz', 'app.tar.xz']) assert.ok(manifest.parts.some((p) => p.file === part), part);
  assert.ok(manifest.parts.some((p) => /^debs\/libvulkan1_.*\.deb$/.test(p.file)), 'the Vulkan loader travels');
  assert.ok(manifest.parts.some((p) => /^debs\/vulkan-tools_.*\.deb$/.test(p.file)), 'vulkaninfo travels');

  t.diagnostic(`bundle.js: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const work = mkdtempSync(join(tmpdir(), 'ff-gpu-rehearsal-'));
  try {
    const checkout = join(work, 'repo');
    const treeBytes = deviceCheckout(checkout);
    const sent = folderBytes(checkout);
    assert.ok(sent < LIMIT, `what travels is ${(sent / 2 ** 20).toFixed(1)} MiB, over the 64 MiB the device tool sends`);
    assert.ok(sent - treeBytes > 30 * 2 ** 20, 'the bundle holds node, onnxruntime and ffmpeg');
    assert.ok(!existsSync(join(checkout, 'node_modules')) && !existsSync(join(checkout, 'dist')), 'the device checkout has no build of its own');

    const tools = toolsDir(work, 'tools', []);
    assert.notEqual(spawnSync('/bin/sh', ['-c', 'command -v node'], { env: { PATH: tools } }).status, 0, 'node must not be on the rehearsal PATH');

    // a. The GPU benchmark's rehearsal (--smoke) on WebGPU (lavapipe), unpacked with xz and dpkg; beside it, in
    //    a copy of the checkout (both write models/cache and out/), one after the other:
    // b. no xz, no dpkg: python3 unpacks, and the Vulkan libraries still load;
    // c. a budget too short for the command: run.sh ends it (wherever it is) and says so.
    const bare = toolsDir(work, 'tools-bare', ['xz', 'unxz', 'xzcat', 'lzma', 'unlzma', 'dpkg', 'dpkg-deb']);
    const budget = 25;
    const checkoutB = join(work, 'repo-b');
    cpSync(checkout, checkoutB, { recursive: true, verbatimSymlinks: true });
    const [a, [b, c]] = await Promise.all([
      runOnDevice(checkout, tools, join(work, 'out-a'), join(work, 'tmp-a'), ['gpu', '--smoke', `--json=${join(work, 'out-a', 'gpu-bench.json')}`]),
      (async () => {
        const first = await runOnDevice(checkoutB, bare, join(work, 'out-b'), join(work, 'tmp-b'), ['framefuse', 'validate', 'graphs/anonymize.json']);
        const second = await runOnDevice(checkoutB, tools, join(work, 'out-c'), join(work, 'tmp-c'), ['faces'], { FF_GPU_BUDGET: String(budget) });
        return [first, second] as const;
      })(),
    ]);
    for (const [name, r] of [['a (xz, webgpu run)', a], ['b (python3)', b], [`c (budget ${budget} s)`, c]] as const) {
      t.diagnostic(`run.sh ${name}: ${r.seconds.toFixed(1)} s, steps ${JSON.stringify(r.result.stepsS)}`);
    }
    const whyA = `run.sh said:\n${a.log.slice(-6000)}`;
    assert.equal(a.status, 0, whyA);
    assert.equal(a.result.status, 'ok', whyA);
    assert.equal(a.result.exitCode, 0);
    assert.equal(a.result.timedOut, false);
    assert.equal(a.result.unpacker, 'xz');
    assert.equal(a.result.node, process.version, 'the carried node is this one');
    assert.ok(a.result.nodePath.startsWith(join(work, 'tmp-a')), `node ran from ${a.result.nodePath}`);
    assert.match(a.result.icd, /lvp_icd\.json$/, whyA);
    assert.match(a.result.adapter, /llvmpipe/);
    assert.equal(a.result.adapterType, 'CPU');
    assert.ok(!existsSync(a.result.privateDir), 'the private folder is removed');
    assert.deepEqual(a.files.sort(), ['doctor.json', 'gpu-bench.json', 'result.json', 'run.log', 'vulkaninfo.txt']);
    for (const f of a.files) assert.match(f, /^[A-Za-z0-9._-]+$/);

    const doctor = JSON.parse(readFileSync(join(work, 'out-a', 'doctor.json'), 'utf8')) as {
      media: { ffmpeg: { path: string; source: string } | null };
      gpu: { loader: boolean; adapter: { device: string; software: boolean } | null };
      providers: Array<{ name: string; available: boolean; reason?: string }>;
    };
    assert.equal(doctor.gpu.loader, true);
    assert.match(doctor.gpu.adapter?.device ?? '', /llvmpipe/);
    assert.deepEqual(doctor.providers.find((p) => p.name === 'webgpu'), { name: 'webgpu', available: true });
    assert.ok(doctor.media.ffmpeg?.path.startsWith(a.result.privateDir), `ffmpeg: ${doctor.media.ffmpeg?.path}`);
    assert.match(readFileSync(join(work, 'out-a', 'vulkaninfo.txt'), 'utf8'), /=== chosen: .*lvp_icd\.json[\s\S]*llvmpipe/);
    const bench = JSON.parse(readFileSync(join(work, 'out-a', 'gpu-bench.json'), 'utf8')) as {
      provider: string;
      software: boolean;
      smoke: boolean;
      workloads: { name: string; ratio: number; perFrame: { frames: number; pipelineFps: number; modelMsPerFrame: number }; planned: { frames: number; pipelineFps: number; modelMsPerFrame: number } }[];
    };
    assert.equal(bench.provider, 'webgpu');
    assert.equal(bench.software, true, 'lavapipe is reported as a software adapter');
    assert.equal(bench.smoke, true);
    assert.deepEqual(bench.workloads.map((w) => w.name), ['anonymize 360p', 'faceswap']);
    for (const w of bench.workloads) {
      for (const run of [w.perFrame, w.planned]) {
        assert.equal(run.frames, 4, w.name);
        assert.ok(run.pipelineFps > 0 && run.modelMsPerFrame > 0, `${w.name}: ${JSON.stringify(run)}`);
      }
      assert.ok(Number.isFinite(w.ratio) && w.ratio > 0);
    }

    const whyB = `run.sh said:\n${b.log.slice(-6000)}`;
    assert.equal(b.status, 0, whyB);
    assert.equal(b.result.unpacker, 'python3', whyB);
    assert.equal(b.result.status, 'ok', whyB);
    assert.match(b.result.icd, /lvp_icd\.json$/, whyB);
    const doctorB = JSON.parse(readFileSync(join(work, 'out-b', 'doctor.json'), 'utf8')) as { providers: Array<{ name: string; available: boolean }> };
    assert.equal(doctorB.providers.find((p) => p.name === 'webgpu')?.available, true, 'the python-unpacked Vulkan loader works too');
    assert.ok(!existsSync(b.result.privateDir));

    const whyC = `run.sh said:\n${c.log.slice(-6000)}`;
    assert.equal(c.result.timedOut, true, whyC);
    assert.match(c.result.status, /^timed out/, whyC);
    assert.equal(c.result.exitCode, 124);
    assert.equal(c.status, 124, 'run.sh exits with the status timeout gives');
    assert.ok(c.seconds < budget + 10, `run.sh took ${c.seconds.toFixed(1)} s with a ${budget} s budget`);
    assert.ok(!existsSync(c.result.privateDir), 'the private folder is removed after a timeout too');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
