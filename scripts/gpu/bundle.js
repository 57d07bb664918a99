#!/usr/bin/env node
/**
 * Packs what a run of framefuse needs on a machine that has no Node.js and no network (the
 * GPU machine the `device` tool lends: it receives this checkout's tracked files plus the
 * ignored paths named in `carry`, at most 64 MiB in all) into .gpu/ (git-ignored):
 *
 *   node.xz       this machine's node binary, stripped of its symbol table (xz, x86 filter)
 *   ffmpeg.xz     the linux-x64 ffmpeg of @ffmpeg-installer (ffprobe stays behind: 20 MB
 *                 packed, and framefuse probes through `ffmpeg -i` without it)
 *   ort.tar.xz    onnxruntime-node with its linux-x64 binaries only, onnxruntime-common
 *   deps.tar.xz   the other production dependencies (the package.json closure, peers excluded)
 *   app.tar.xz    the compiled dist/ that running the CLI and the benchmarks needs (no
 *                 tests, no editor build, no source maps)
 *   debs/         Debian's Vulkan loader, glvnd, vulkaninfo and the X11/Wayland client
 *                 libraries they link (`apt-get download`; offline, repacked from the
 *                 installed packages with dpkg-deb)
 *   manifest.json what each part holds, its size and sha256, the commit it was built from
 *   SHA256SUMS    the same sums, for `sha256sum -c` on the far side
 *
 * scripts/gpu/run.sh (tracked, so it travels anyway) unpacks them there. The benchmarks'
 * models need not travel: bench code generates them at run time, and the detector (YuNet)
 * is tracked in models/.
 *
 * A Node script rather than bash: the dependency closure and the size accounting read
 * package.json files and git's file list, and the four compressions run side by side.
 * Each part is rebuilt only when what goes into it changed (its key: the inputs' sha256),
 * so a second run takes seconds. The first takes minutes (xz -9e on ~200 MB).
 *
 *   node scripts/gpu/bundle.js [--out DIR] [--no-build] [--offline] [--with-model-packages]
 *
 *   --no-build              use dist/ as it is (default: compile it first with tsc)
 *   --offline               never call apt-get: repack the installed packages instead
 *   --with-model-packages   also carry @mediapipe/* and @upscalerjs/esrgan-slim (9 MB packed;
 *                           only `framefuse models` imports of BlazeFace/FaceMesh/ESRGAN use them)
 *
 * Exit status 1 when something is missing or the travelling total exceeds 64 MiB.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FORMAT = 1; // bump when a part's layout changes, so cached parts are rebuilt
const LIMIT = 64 * 1024 * 1024;
const XZ_BINARY = ['--x86', '--lzma2=preset=9e'];
const XZ_TEXT = ['-9e'];
/** Where run.sh puts ffmpeg.xz's binary, so that @ffmpeg-installer/ffmpeg finds it. */
const FFMPEG_TARGET = 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg';

/** Debian packages whose libraries run.sh puts on LD_LIBRARY_PATH (and vulkaninfo). */
export const DEBS = [
  'libvulkan1', // the Vulkan loader (libvulkan.so.1) that onnxruntime's Dawn opens
  'libglvnd0', 'libglx0', 'libegl1', 'libopengl0', 'libgl1', 'libgles2', // glvnd: NVIDIA's Vulkan ICD is libGLX_nvidia
  'vulkan-tools', // vulkaninfo: run.sh picks the ICD with which it sees a GPU
  'libx11-6', 'libxcb1', 'libxau6', 'libxdmcp6', 'libbsd0', 'libmd0', 'libwayland-client0', 'libffi8', // what vulkaninfo and libglx0 link
];
/** Dependencies of those packages that stay behind, and why. */
const DEB_DEPS_NOT_CARRIED = {
  libc6: 'glibc: every Linux has it (run.sh checks for >= 2.34)',
  'libgcc-s1': 'part of every glibc system, node needs it too',
  'libstdc++6': 'node needs it too',
  'libegl-mesa0': "Mesa's EGL vendor library: the GPU driver brings its own",
  'libglx-mesa0': "Mesa's GLX vendor library: the GPU driver brings its own",
  'libx11-data': 'X11 locale data: nothing here opens a display',
};
/** npm packages that only ship models for `framefuse models` imports. */
const MODEL_PACKAGES = ['@mediapipe/face_detection', '@mediapipe/face_mesh', '@upscalerjs/esrgan-slim'];

// ---------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { out: join(ROOT, '.gpu'), build: true, offline: false, modelPackages: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') opts.out = resolve(argv[++i] ?? '');
    else if (a === '--no-build') opts.build = false;
    else if (a === '--offline') opts.offline = true;
    else if (a === '--with-model-packages') opts.modelPackages = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
      process.exit(0);
    } else fail(`unknown option ${a}`);
  }
  return opts;
}

function fail(message) {
  process.stderr.write(`bundle: ${message}\n`);
  process.exit(1);
}

function log(message) {
  process.stdout.write(`${message}\n`);
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) return { ok: false, stdout: '', stderr: String(r.error.message), status: -1 };
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

function have(cmd) {
  return run('sh', ['-c', `command -v ${cmd}`]).ok;
}

function sha256File(path) {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (d) => h.update(d)).on('end', () => res(h.digest('hex'))).on('error', rej);
  });
}

/** Files under dir (relative to ROOT), without nested node_modules, skipping what `skip` rejects. */
function listFiles(dir, skip) {
  const found = [];
  const walk = (abs) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      const rel = relative(ROOT, path);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || skip(rel, true)) continue;
        walk(path);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && !skip(rel, false)) {
        found.push(rel);
      }
    }
  };
  walk(join(ROOT, dir));
  return found.sort();
}

/** A key over files' names and contents. */
async function filesKey(files, extra) {
  const h = createHash('sha256').update(`${FORMAT}\0${extra}\0`);
  for (const f of files) {
    const st = lstatSync(join(ROOT, f));
    h.update(`${f}\0${st.mode}\0`);
    h.update(st.isSymbolicLink() ? `link:${readlinkSync(join(ROOT, f))}` : await sha256File(join(ROOT, f)));
  }
  return h.digest('hex');
}

// --- the production dependency closure --------------------------------------------------

function resolvePackageDir(name, from) {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT || dirname(dir) === dir) return null;
    dir = dirname(dir);
  }
}

/**
 * The packages `require`/`import` can reach from the project at run time: its
 * `dependencies`, theirs, and so on (optional ones when installed). Peer dependencies are
 * left to the host, as npm leaves them: the project installs @tensorflow/tfjs (a peer of
 * esrgan-slim) only for its tests.
 */
export function productionClosure(root = ROOT) {
  const seen = new Set();
  const walk = (dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const optional = pkg.optionalDependencies ?? {};
    for (const name of Object.keys({ ...optional, ...(pkg.dependencies ?? {}) })) {
      const found = resolvePackageDir(name, dir);
      if (!found) {
        if (name in optional) continue;
        fail(`${relative(root, dir) || 'package.json'} needs ${name}, which is not installed: run npm ci`);
      }
      const rel = relative(root, found);
      if (seen.has(rel)) continue;
      seen.add(rel);
      walk(found);
    }
  };
  walk(root);
  return [...seen].sort();
}

/** Files of the production packages that never run in Node: why each rule exists is in the header. */
function prunedDependencyFile(rel, isDir) {
  const name = basename(rel);
  if (isDir) return name === 'coverage'; // test coverage reports (fluent-ffmpeg ships 12 MB of them)
  if (/\.map$/.test(name) || /\.d\.[cm]?ts$/.test(name)) return true; // source maps, type declarations
  if (rel.includes(`${sep}@mediapipe${sep}`) && /_wasm_bin\.(js|wasm|data)$/.test(name)) return true; // the browser runtime
  return false;
}

// --- parts --------------------------------------------------------------------------------

/** Compresses `input` (a file, or a tar of files relative to ROOT) into `dest` through a temp file. */
function xzJob(label, dest, xzArgs, input) {
  return () =>
    new Promise((res, rej) => {
      const tmp = `${dest}.tmp`;
      const xz = `xz -T1 ${xzArgs.join(' ')} -c`;
      const script =
        input.kind === 'file'
          ? `${xz} < "$1" > "$2"`
          : `tar -c --no-recursion --owner=0 --group=0 --numeric-owner -C "$3" -T "$1" | ${xz} > "$2"`;
      const args = input.kind === 'file' ? [input.path, tmp] : [input.listFile, tmp, ROOT];
      const started = Date.now();
      const child = spawn('bash', ['-o', 'pipefail', '-c', script, 'xzjob', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => {
        if (code !== 0) return rej(new Error(`${label}: compression failed (${code}): ${stderr.trim()}`));
        renameSync(tmp, dest);
        res((Date.now() - started) / 1000);
      });
    });
}

async function runJobs(jobs, parallel) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  return results;
}

function gitInfo() {
  const head = run('git', ['-C', ROOT, 'rev-parse', 'HEAD']);
  const dirty = run('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no']);
  return { commit: head.ok ? head.stdout.trim() : null, dirty: dirty.ok ? dirty.stdout.trim() !== '' : null };
}

// --- the Debian packages ----------------------------------------------------------------

const safeName = (name) => name.replace(/%3a/gi, '_').replace(/[^A-Za-z0-9._+-]/g, '_');

function debField(path, field) {
  const r = run('dpkg-deb', ['-f', path, field]);
  return r.ok ? r.stdout.trim() : '';
}

function aptDownload(dir, packages) {
  const amd64 = process.arch === 'x64';
  const lists = '/tmp/framefuse-apt-amd64';
  const o = amd64 ? [] : ['-oAPT::Architecture=amd64', '-oAPT::Architectures=amd64', `-oDir::State::Lists=${lists}`];
  if (!amd64) mkdirSync(join(lists, 'partial'), { recursive: true });
  const download = () => run('apt-get', [...o, 'download', ...packages], { cwd: dir });
  let r = amd64 ? download() : { ok: false, stderr: '' };
  if (!r.ok) {
    log(`  apt-get download: ${amd64 ? (r.stderr.trim().split('\n').at(-1) ?? '') + '; ' : ''}updating the package lists once`);
    const u = run('apt-get', [...o, '-qq', 'update']);
    if (!u.ok) return { ok: false, why: `apt-get update failed: ${u.stderr.trim().split('\n').at(-1)}` };
    r = download();
  }
  return r.ok ? { ok: true } : { ok: false, why: r.stderr.trim().split('\n').filter((l) => !l.startsWith('W:')).at(-1) ?? 'failed' };
}

/** Rebuilds an installed package's .deb from its files (what dpkg-repack does), for offline use. */
function repack(dir, pkg) {
  const q = run('dpkg-query', ['-W', '-f=${Status}\t${Version}\t${Architecture}', pkg]);
  if (!q.ok || !q.stdout.startsWith('install ok installed')) return { ok: false, why: `${pkg} is not installed` };
  const [, version, arch] = q.stdout.split('\t');
  const stage = join(dir, `.repack-${pkg}`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'DEBIAN'), { recursive: true });
  const files = run('dpkg', ['-L', pkg]).stdout.split('\n').filter(Boolean);
  for (const f of files) {
    let st;
    try {
      st = lstatSync(f);
    } catch {
      continue; // listed but removed (a path excluded by dpkg's path-exclude)
    }
    if (st.isDirectory()) continue;
    mkdirSync(join(stage, dirname(f)), { recursive: true });
    const cp = run('cp', ['-a', f, join(stage, f)]);
    if (!cp.ok) return { ok: false, why: `copying ${f}: ${cp.stderr.trim()}` };
  }
  const status = run('dpkg-query', ['-s', pkg]).stdout;
  const keep = ['Package', 'Source', 'Version', 'Architecture', 'Maintainer', 'Installed-Size', 'Pre-Depends', 'Depends', 'Multi-Arch', 'Section', 'Priority', 'Homepage', 'Description'];
  const control = [];
  let keeping = false;
  for (const line of status.split('\n')) {
    if (/^\S[^:]*:/.test(line)) keeping = keep.includes(line.split(':')[0]);
    if (keeping && line !== '') control.push(line);
  }
  writeFileSync(join(stage, 'DEBIAN/control'), `${control.join('\n')}\n`);
  const out = join(dir, safeName(`${pkg}_${version}_${arch}.deb`));
  const b = run('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, out]);
  rmSync(stage, { recursive: true, force: true });
  return b.ok ? { ok: true } : { ok: false, why: b.stderr.trim() };
}

function debsPresent(dir) {
  const byPackage = new Map();
  if (!existsSync(dir)) return byPackage;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.deb'))) byPackage.set(debField(join(dir, f), 'Package'), f);
  return byPackage;
}

function gatherDebs(dir, offline) {
  mkdirSync(dir, { recursive: true });
  let present = debsPresent(dir);
  const missing = DEBS.filter((p) => !present.has(p));
  let source = 'cached';
  if (missing.length > 0) {
    log(`  debs: fetching ${missing.join(' ')}`);
    const got = offline ? { ok: false, why: '--offline' } : aptDownload(dir, missing);
    source = 'apt-get download';
    if (!got.ok) {
      log(`  debs: apt-get download unavailable (${got.why}); repacking the installed packages instead`);
      source = 'repacked from the installed packages';
      for (const p of missing) {
        const r = repack(dir, p);
        if (!r.ok) fail(`cannot get ${p}: ${r.why}. Run once with network (apt-get download), or apt-get install ${p}.`);
      }
    }
    for (const f of readdirSync(dir)) if (f.endsWith('.deb') && safeName(f) !== f) renameSync(join(dir, f), join(dir, safeName(f)));
    present = debsPresent(dir);
  }
  // Every dependency of a carried package is carried too, or deliberately left behind.
  const problems = [];
  for (const [pkg, file] of present) {
    if (!DEBS.includes(pkg)) {
      rmSync(join(dir, file)); // from an older package list
      continue;
    }
    const deps = [debField(join(dir, file), 'Pre-Depends'), debField(join(dir, file), 'Depends')].filter(Boolean).join(', ');
    for (const group of deps.split(',').map((s) => s.trim()).filter(Boolean)) {
      const names = group.split('|').map((alt) => alt.trim().split(/[\s(:]/)[0]);
      if (!names.some((n) => DEBS.includes(n) || n in DEB_DEPS_NOT_CARRIED)) problems.push(`${pkg} needs ${group}`);
    }
  }
  if (problems.length > 0) fail(`Debian dependencies neither carried nor listed as left behind: ${problems.join('; ')}`);
  return { source, files: [...debsPresent(dir).entries()].map(([pkg, file]) => ({ pkg, file, version: debField(join(dir, file), 'Version') })) };
}

// --- what travels -----------------------------------------------------------------------

/** Bytes of what the device tool sends: tracked and untracked-not-ignored files (and shared/). */
export function treeBytes(root = ROOT) {
  const r = run('git', ['-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  if (!r.ok) fail(`git ls-files failed: ${r.stderr.trim()}`);
  const files = new Set(r.stdout.split('\0').filter(Boolean));
  let bytes = 0;
  let count = 0;
  const add = (rel) => {
    try {
      const st = lstatSync(join(root, rel));
      if (st.isFile() || st.isSymbolicLink()) {
        bytes += st.size;
        count++;
      }
    } catch {
      // deleted in the work tree: it does not travel
    }
  };
  for (const f of files) add(f);
  if (existsSync(join(root, 'shared'))) {
    const walk = (rel) => {
      for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
        const child = join(rel, e.name);
        if (e.isDirectory()) walk(child);
        else if (!files.has(child)) add(child);
      }
    };
    walk('shared');
  }
  return { bytes, count };
}

function dirBytes(dir) {
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    bytes += e.isDirectory() ? dirBytes(p) : lstatSync(p).size;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  if (process.platform !== 'linux') fail('the bundle carries linux-x64 binaries: build it on Linux');
  if (process.arch !== 'x64') fail(`this node is ${process.arch}; the GPU machine is x86-64: build the bundle on an x86-64 machine`);
  for (const tool of ['xz', 'tar', 'bash']) if (!have(tool)) fail(`${tool} is needed`);
  if (!have('dpkg-deb')) fail('dpkg-deb is needed (Debian/Ubuntu) to check and build the Vulkan packages');

  if (opts.build) {
    log('building dist/ (tsc -p tsconfig.json)');
    const tsc = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
    if (!tsc.ok) fail('tsc failed');
  }
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js')) || !existsSync(join(ROOT, 'dist/bench/main.js'))) fail('dist/ is not built: run npm run build (or drop --no-build)');

  const out = opts.out;
  mkdirSync(out, { recursive: true });
  const manifestPath = join(out, 'manifest.json');
  const previous = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : { parts: [] };
  const cached = (file, key) => {
    const p = previous.parts.find((x) => x.file === file);
    return p && p.key === key && existsSync(join(out, file)) && statSync(join(out, file)).size === p.bytes ? p : null;
  };

  // Inputs of each part.
  const req = createRequire(join(ROOT, 'package.json'));
  const nodeBinary = realpathSync(process.execPath);
  const ffmpegBinary = realpathSync(req('@ffmpeg-installer/ffmpeg').path);
  const closure = productionClosure();
  const ortDirs = ['node_modules/onnxruntime-node', 'node_modules/onnxruntime-common'];
  for (const d of ortDirs) if (!closure.includes(d)) fail(`${d} is not a production dependency any more: update scripts/gpu/bundle.js`);
  // Only the linux-x64 binaries: bin/napi-v*/{darwin,win32,linux/arm64} are 240 MB.
  const otherPlatform = (rel, isDir) => {
    const m = /onnxruntime-node\/bin\/napi-v\d+\/(.+)$/.exec(rel.split(sep).join('/'));
    return isDir && m !== null && m[1] !== 'linux' && m[1] !== 'linux/x64';
  };
  const ortFiles = ortDirs.flatMap((d) => listFiles(d, otherPlatform));
  if (!ortFiles.some((f) => f.endsWith('linux/x64/libonnxruntime.so.1'))) fail('onnxruntime-node has no linux/x64/libonnxruntime.so.1');
  const ffmpegDir = relative(ROOT, dirname(ffmpegBinary));
  if (join(ffmpegDir, basename(ffmpegBinary)) !== FFMPEG_TARGET) fail(`ffmpeg is at ${relative(ROOT, ffmpegBinary)}, run.sh puts it at ${FFMPEG_TARGET}: update both`);
  const leftOut = new Map([[join(ffmpegDir, basename(ffmpegBinary)), 'ffmpeg.xz']]);
  const skippedPackages = opts.modelPackages ? [] : MODEL_PACKAGES.map((p) => `node_modules/${p}`);
  const depDirs = closure.filter((d) => !ortDirs.includes(d) && !skippedPackages.includes(d));
  const depFiles = depDirs
    .flatMap((d) => listFiles(d, prunedDependencyFile))
    .filter((f) => !leftOut.has(f))
    .filter((f) => !/@ffprobe-installer[/\\]linux-x64[/\\]ffprobe$/.test(f));
  const appFiles = ['dist/src', 'dist/nodes', 'dist/server', 'dist/bench', 'dist/test/nodes']
    .filter((d) => existsSync(join(ROOT, d)))
    .flatMap((d) => listFiles(d, (rel, isDir) => !isDir && rel.endsWith('.map')));

  const stripped = join(out, '.node.stripped');
  const canStrip = have('strip');
  const parts = [
    { file: 'node.xz', what: `node ${process.version} (${canStrip ? 'stripped' : 'not stripped: no strip here'})`, raw: statSync(nodeBinary).size, key: `${FORMAT}:${await sha256File(nodeBinary)}:${canStrip}:${XZ_BINARY}`, input: { kind: 'file', path: canStrip ? stripped : nodeBinary }, xz: XZ_BINARY, prepare: () => { if (canStrip && !run('strip', ['-o', stripped, nodeBinary]).ok) fail('strip failed'); } },
    { file: 'ffmpeg.xz', what: `ffmpeg from ${relative(ROOT, ffmpegBinary)}`, raw: statSync(ffmpegBinary).size, key: `${FORMAT}:${await sha256File(ffmpegBinary)}:${XZ_BINARY}`, input: { kind: 'file', path: ffmpegBinary }, xz: XZ_BINARY, target: join(ffmpegDir, basename(ffmpegBinary)) },
    { file: 'ort.tar.xz', what: 'onnxruntime-node (linux-x64 binaries) + onnxruntime-common', files: ortFiles, xz: XZ_BINARY },
    { file: 'deps.tar.xz', what: `${depDirs.length} production packages${skippedPackages.length ? ` (without ${MODEL_PACKAGES.join(', ')})` : ''}`, files: depFiles, xz: XZ_TEXT },
    { file: 'app.tar.xz', what: 'dist/ (src, nodes, server, bench, test/nodes; no maps)', files: appFiles, xz: XZ_TEXT },
  ];
  const jobs = [];
  for (const part of parts) {
    if (part.files) {
      part.raw = part.files.reduce((n, f) => n + lstatSync(join(ROOT, f)).size, 0);
      part.key = await filesKey(part.files, part.xz.join(' '));
    }
    part.reused = cached(part.file, part.key);
    if (part.reused) continue;
    if (part.files) {
      part.listFile = join(out, `.${part.file}.list`);
      writeFileSync(part.listFile, `${part.files.join('\n')}\n`);
      part.input = { kind: 'list', listFile: part.listFile };
    }
    part.prepare?.();
    jobs.push(async () => {
      part.seconds = await xzJob(part.file, join(out, part.file), part.xz, part.input)();
      if (part.listFile) rmSync(part.listFile, { force: true });
      log(`  packed ${part.file} in ${part.seconds.toFixed(0)} s`);
    });
  }
  if (jobs.length > 0) log(`packing ${jobs.length} part(s) with xz (${parts.filter((p) => !p.reused).map((p) => p.file).join(', ')}); minutes the first time`);
  await runJobs(jobs, Math.max(1, Math.min(4, availableParallelism())));
  rmSync(stripped, { force: true });

  const debs = gatherDebs(join(out, 'debs'), opts.offline);
  const manifestParts = [];
  for (const part of parts) {
    manifestParts.push({
      file: part.file,
      what: part.what,
      rawBytes: part.raw,
      bytes: statSync(join(out, part.file)).size,
      sha256: part.reused?.sha256 ?? (await sha256File(join(out, part.file))),
      key: part.key,
      ...(part.target ? { target: part.target } : {}),
      ...(part.files ? { files: part.files.length } : {}),
    });
  }
  for (const d of debs.files) {
    const path = join(out, 'debs', d.file);
    manifestParts.push({ file: `debs/${d.file}`, what: `${d.pkg} ${d.version} (${debs.source})`, bytes: statSync(path).size, sha256: await sha256File(path) });
  }
  for (const stale of readdirSync(out)) {
    if (stale.startsWith('.') || stale === 'debs' || stale === 'manifest.json' || stale === 'SHA256SUMS') continue;
    if (!manifestParts.some((p) => p.file === stale)) rmSync(join(out, stale), { recursive: true, force: true });
  }
  writeFileSync(join(out, 'SHA256SUMS'), manifestParts.map((p) => `${p.sha256}  ${p.file}\n`).join(''));
  const manifest = {
    format: FORMAT,
    builtAt: new Date().toISOString(),
    git: gitInfo(),
    node: process.version,
    ffmpegTarget: parts[1].target,
    ffprobe: 'not carried (framefuse probes with ffmpeg -i)',
    modelPackages: opts.modelPackages,
    parts: manifestParts,
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

  // The sizes, and the 64 MiB check over everything that travels.
  const tree = treeBytes();
  const bundleBytes = dirBytes(out);
  const insideTree = relative(ROOT, out);
  const counted = insideTree.startsWith('..') ? 0 : bundleBytes; // an out dir elsewhere is not sent
  const total = tree.bytes + counted;
  log('');
  log('part                raw          packed');
  for (const p of manifestParts.filter((x) => !x.file.startsWith('debs/'))) {
    const reused = parts.find((x) => x.file === p.file)?.reused ? '  (unchanged, reused)' : '';
    log(`${p.file.padEnd(16)} ${mib(p.rawBytes).padStart(11)}  ${mib(p.bytes).padStart(11)}  ${p.what}${reused}`);
  }
  const debBytes = manifestParts.filter((x) => x.file.startsWith('debs/')).reduce((n, p) => n + p.bytes, 0);
  log(`${'debs/'.padEnd(16)} ${''.padStart(11)}  ${mib(debBytes).padStart(11)}  ${debs.files.length} Debian packages (${debs.source})`);
  log(`${insideTree.startsWith('..') ? `${out} (outside the checkout: the device tool carries only paths inside it)` : insideTree} in all: ${mib(bundleBytes)}`);
  log(`checkout that travels (tracked + untracked-not-ignored${existsSync(join(ROOT, 'shared')) ? ' + shared/' : ''}): ${mib(tree.bytes)} in ${tree.count} files`);
  log(`total sent to the device: ${mib(total)} of ${mib(LIMIT)} (${mib(LIMIT - total)} to spare)`);
  log(`built in ${((Date.now() - t0) / 1000).toFixed(0)} s; device call: carry [".gpu"], command "bash scripts/gpu/run.sh"`);
  if (total > LIMIT) fail(`over the device tool's 64 MiB limit by ${mib(total - LIMIT)}`);
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
