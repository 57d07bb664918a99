import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { cudaLibraries } from '../../src/runtime/cuda-libraries.js';

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
