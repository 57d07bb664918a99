import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { cudaLibraries } from '../../src/runtime/cuda-libraries.js';
import { alive } from '../helpers.js';

// `framefuse gpu install` runs onnxruntime-node's real installer. Offline it must fail with
// a clear error that says where the files come from and how to add them by hand, and leave
// nothing half-installed. The proxy variable onnxruntime's installer reads points at a port
// just closed, so the download fails here whether or not this machine has network.

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('gpu status names the libraries, their folder and their NuGet source', () => {
  const r = spawnSync(process.execPath, ['bin/framefuse.js', 'gpu', 'status'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /libonnxruntime_providers_cuda\.so\s+(missing|present)/);
  assert.match(r.stdout, /NuGet: Microsoft\.ML\.OnnxRuntime\.Gpu\.Linux \d+\.\d+\.\d+/);
});

test('gpu install with NuGet unreachable: FF_GPU_INSTALL_OFFLINE, the manual steps, exit 1, nothing installed', async () => {
  const libs = cudaLibraries();
  const before = { bin: readdirSync(libs.binDir).sort(), pkg: readdirSync(libs.packageDir).sort() };
  const port = await closedPort();
  const r = spawnSync(process.execPath, ['bin/framefuse.js', 'gpu', 'install', '--force'], {
    encoding: 'utf8',
    env: { ...process.env, GLOBAL_AGENT_HTTP_PROXY: `http://127.0.0.1:${port}`, GLOBAL_AGENT_HTTPS_PROXY: `http://127.0.0.1:${port}` },
    timeout: 60_000,
  });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /FF_GPU_INSTALL_OFFLINE: Could not download the CUDA provider libraries from NuGet \(api\.nuget\.org\): connect ECONNREFUSED 127\.0\.0\.1:\d+\. Nothing was installed\./);
  assert.ok(r.stderr.includes(libs.nuget.url), r.stderr);
  assert.match(r.stderr, new RegExp(`unzip -j \\S+\\.nupkg .*runtimes/linux-x64/native/libonnxruntime_providers_cuda\\.so.* -d ${libs.binDir}`));
  assert.deepEqual(readdirSync(libs.binDir).sort(), before.bin, 'the library folder changed');
  assert.deepEqual(readdirSync(libs.packageDir).sort(), before.pkg, 'a staging folder was left in onnxruntime-node');
});

/** Pids of the direct children of `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // The fields after the command name (which may hold spaces) start with the state, then the parent pid.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const stagingFolders = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('.framefuse-cuda-'));

async function until<T>(what: string, probe: () => T | null | undefined | false, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const presses of [1, 2]) {
  test(`Ctrl-C ${presses === 1 ? 'once' : 'twice'} during gpu install: exit 130, no staging folder left in onnxruntime-node, the installer stopped`, async () => {
    const libs = cudaLibraries();
    const before = { bin: readdirSync(libs.binDir).sort(), pkg: readdirSync(libs.packageDir).sort() };
    // A proxy that accepts connections and never answers: the download hangs until the signal.
    const sockets = new Set<Socket>();
    const silent = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const proxy = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const child = spawn(process.execPath, ['bin/framefuse.js', 'gpu', 'install', '--force'], {
      env: { ...process.env, GLOBAL_AGENT_HTTP_PROXY: proxy, GLOBAL_AGENT_HTTPS_PROXY: proxy },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // 130, or ended by the SIGINT itself (the shell's 130 too): a second press may land after the cancel finished.
    const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(signal === 'SIGINT' ? 130 : code)));
    try {
      await until('the staging folder', () => stagingFolders(libs.packageDir).length > 0);
      const installer = await until('the installer process', () => childrenOf(child.pid!)[0]);
      await until('the installer to reach the proxy', () => sockets.size > 0);
      child.kill('SIGINT');
      if (presses === 2) child.kill('SIGINT');
      assert.equal(await exited, 130, stderr);
      if (presses === 1) assert.match(stderr, /FF_CANCELLED: the CUDA library install was cancelled; nothing was installed/);
      await until('the installer to end', () => !alive(installer), 5000);
      assert.deepEqual(stagingFolders(libs.packageDir), [], 'a staging folder was left in onnxruntime-node');
      assert.deepEqual(readdirSync(libs.packageDir).sort(), before.pkg);
      assert.deepEqual(readdirSync(libs.binDir).sort(), before.bin, 'the library folder changed');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
}
