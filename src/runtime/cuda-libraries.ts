/**
 * onnxruntime-node's CUDA and TensorRT provider libraries: where they belong, whether they
 * are there, and adding them to an installed checkout (`framefuse gpu install`).
 *
 * They are too large for the npm registry, so onnxruntime-node's own install script fetches
 * them from NuGet (package Microsoft.ML.OnnxRuntime.Gpu.Linux). framefuse's install denies
 * that script (package.json allowScripts) so that `npm install` works offline; this runs it
 * on request. It runs in a staging copy inside the package, and the libraries are moved
 * into place only once all of them arrived: a failed or cancelled download (Ctrl-C, even
 * a second one that ends the process at once) leaves nothing behind.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cancelledError, operationalError, userError } from '../errors.js';

const require = createRequire(import.meta.url);

export interface CudaLibraries {
  /** onnxruntime-node's folder. */
  packageDir: string;
  /** Where its native libraries are loaded from. */
  binDir: string;
  /** The libraries' file names and their path inside the NuGet package. */
  files: { name: string; pathInPackage: string }[];
  nuget: { name: string; version: string; url: string };
  /** Which of `files` are missing from binDir. */
  missing: string[];
}

interface InstallMetadata {
  requirements: Record<string, string[]>;
  manifests: Record<string, Record<string, { package: string; path: string }>>;
  packages: Record<string, { name: string; versions: { feed: string; version: string }[] }>;
}

function packageDir(): string {
  // The package's main file is dist/index.js; its folder is two levels up.
  return dirname(dirname(require.resolve('onnxruntime-node')));
}

/** What onnxruntime-node's installer would add on this platform, read from its own metadata. */
export function cudaLibraries(): CudaLibraries {
  const dir = packageDir();
  const platform = `${process.platform}/${process.arch}`;
  const metadata = require(join(dir, 'script', 'install-metadata.js')) as InstallMetadata;
  const manifest = metadata.manifests[`${platform}:cuda12`];
  if (!(metadata.requirements[platform] ?? []).includes('cuda12') || !manifest) {
    throw userError('FF_GPU_INSTALL_UNSUPPORTED', `onnxruntime-node has no CUDA provider download for ${platform}.`, {
      fix: 'CUDA and TensorRT providers are offered for Linux x64 only. Use the WebGPU provider (--provider webgpu), which needs no install.',
    });
  }
  const entries = Object.entries(manifest);
  const source = metadata.packages[entries[0]?.[1].package ?? ''];
  const version = source?.versions.find((v) => v.feed === 'nuget')?.version;
  if (!source || !version) throw operationalError('FF_GPU_INSTALL_METADATA', `onnxruntime-node's install metadata (${join(dir, 'script', 'install-metadata.js')}) names no NuGet package.`);
  const id = source.name.toLowerCase();
  const binDir = join(dir, 'bin', 'napi-v6', platform);
  const files = entries.map(([file, where]) => ({ name: file.replace(/^\.\//, ''), pathInPackage: where.path }));
  return {
    packageDir: dir,
    binDir,
    files,
    nuget: { name: source.name, version, url: `https://api.nuget.org/v3-flatcontainer/${id}/${version}/${id}.${version}.nupkg` },
    missing: files.map((f) => f.name).filter((name) => !existsSync(join(binDir, name))),
  };
}

/** The steps to add the libraries by hand on a machine without network. */
export function manualInstallSteps(libs: CudaLibraries): string[] {
  return [
    `On a machine with network, download ${libs.nuget.url}`,
    `(NuGet package ${libs.nuget.name} ${libs.nuget.version}; a .nupkg is a zip file). Then, here:`,
    `  unzip -j ${libs.nuget.name.toLowerCase()}.${libs.nuget.version}.nupkg ${libs.files.map((f) => f.pathInPackage).join(' ')} -d ${libs.binDir}`,
  ];
}

export interface InstallResult {
  installed: string[];
  output: string;
}

/**
 * Runs onnxruntime-node's installer with ONNXRUNTIME_NODE_INSTALL=true (the platform's CUDA manifest) in a staging copy
 * of its script folder, then moves the libraries into binDir. `log` receives its output.
 */
export async function installCudaLibraries(libs: CudaLibraries, log: (line: string) => void = () => {}, signal?: AbortSignal): Promise<InstallResult> {
  // Inside the package: the script's own dependencies (adm-zip, global-agent) still resolve
  // from here, and the final rename stays on one file system.
  const staging = mkdtempSync(join(libs.packageDir, '.framefuse-cuda-'));
  // A process that ends at once (a second Ctrl-C calls process.exit) still removes it.
  const removeStaging = () => rmSync(staging, { recursive: true, force: true });
  process.once('exit', removeStaging);
  try {
    cpSync(join(libs.packageDir, 'script'), join(staging, 'script'), { recursive: true });
    const stagedBin = join(staging, 'bin', 'napi-v6', `${process.platform}/${process.arch}`);
    mkdirSync(stagedBin, { recursive: true });
    const { code, output } = await runInstaller(join(staging, 'script', 'install.js'), log, signal);
    if (signal?.aborted) throw cancelledError('the CUDA library install was cancelled; nothing was installed');
    const arrived = libs.files.map((f) => f.name).filter((name) => existsSync(join(stagedBin, name)));
    if (code !== 0 || arrived.length !== libs.files.length) {
      const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up|Failed to download/i.test(output);
      const reason = lastMeaningfulLine(output) ?? `the installer exited with ${code}`;
      throw operationalError(
        offline ? 'FF_GPU_INSTALL_OFFLINE' : 'FF_GPU_INSTALL_FAILED',
        `${offline ? 'Could not download the CUDA provider libraries from NuGet (api.nuget.org)' : 'onnxruntime-node\'s CUDA installer failed'}: ${reason}. Nothing was installed.`,
        { fix: [offline ? 'Check the network; behind a proxy set GLOBAL_AGENT_HTTPS_PROXY (onnxruntime-node\'s installer reads it). Or install by hand:' : 'Install by hand:', ...manualInstallSteps(libs).map((l) => `    ${l}`)].join('\n') },
      );
    }
    for (const name of arrived) renameSync(join(stagedBin, name), join(libs.binDir, name));
    return { installed: arrived, output };
  } finally {
    process.off('exit', removeStaging);
    removeStaging();
  }
}

/** Runs the installer; `signal` ends it (SIGTERM) and the promise resolves once it has exited. */
function runInstaller(script: string, log: (line: string) => void, signal?: AbortSignal): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd: dirname(script),
      env: installerEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stop = () => child.kill('SIGTERM');
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    // Ended before this process: a second Ctrl-C exits at once, and the installer must not outlive it.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.on('close', () => {
      signal?.removeEventListener('abort', stop);
      process.off('exit', killOnExit);
    });
    let output = '';
    // Its progress (Downloading, Extracting) goes to stdout; a failure's stack to stderr,
    // which is summed up in the error instead.
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim() !== '') log(line);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * The installer's environment. `ONNXRUNTIME_NODE_INSTALL=true` forces the platform's
 * manifest (cuda12 on linux/x64): onnxruntime-node 1.30's flag parser returns nothing for
 * the value `cuda12` (its switch has no return for it), and with no flag the script exits
 * at once when npm's variables say it is a local install, as under `npm test` or `npm exec`.
 * So npm's own variables are left out as well.
 */
function installerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('npm_')) env[key] = value;
  env.ONNXRUNTIME_NODE_INSTALL = 'true';
  delete env.ONNXRUNTIME_NODE_INSTALL_CUDA;
  return env;
}

/** The thrown error's own line (`Error: getaddrinfo ENOTFOUND api.nuget.org`), else the last line. */
function lastMeaningfulLine(output: string): string | undefined {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return [...lines].reverse().find((l) => /^[A-Za-z]*Error: /.test(l))?.replace(/^Error: /, '') ?? lines.at(-1);
}
