import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { driverManifestPaths, gpuReport, parseVulkanSummary, readDriver, type GpuReport } from '../../src/runtime/gpu-adapter.js';
import { resolveProviders, timeProbe } from '../../src/runtime/auto-providers.js';
import { requireWebGpu } from './webgpu.js';

const LAVAPIPE_SUMMARY = `
Devices:
========
GPU0:
	apiVersion         = 1.4.305
	vendorID           = 0x10005
	deviceType         = PHYSICAL_DEVICE_TYPE_CPU
	deviceName         = llvmpipe (LLVM 15.0.6, 256 bits)
	driverName         = llvmpipe
	driverInfo         = Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6)
GPU1:
	apiVersion         = 1.4.312
	vendorID           = 0x10de
	deviceType         = PHYSICAL_DEVICE_TYPE_DISCRETE_GPU
	deviceName         = NVIDIA H200
	driverName         = NVIDIA
	driverInfo         = 580.159
`;

function report(overrides: Partial<GpuReport>): GpuReport {
  return { loader: true, drivers: [], displays: [], nvidiaDriver: null, vulkanDevices: null, adapter: null, hardware: false, summary: 'test', ...overrides };
}

describe('the GPU adapter, found without starting WebGPU', () => {
  test('vulkaninfo --summary is read device by device', () => {
    const devices = parseVulkanSummary(LAVAPIPE_SUMMARY);
    assert.deepEqual(devices.map((d) => [d.deviceName, d.deviceType, d.vendorId]), [
      ['llvmpipe (LLVM 15.0.6, 256 bits)', 'cpu', '0x10005'],
      ['NVIDIA H200', 'discrete_gpu', '0x10de'],
    ]);
  });

  test('driver manifests: VK_DRIVER_FILES replaces the search path, software drivers are told apart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-icd-'));
    await writeFile(join(dir, 'nvidia_icd.json'), JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: 'libGLX_nvidia.so.0', api_version: '1.4.312' } }));
    await writeFile(join(dir, 'lvp_icd.json'), JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: 'libvulkan_lvp.so', api_version: '1.4.305' } }));
    const paths = driverManifestPaths({ VK_DRIVER_FILES: dir });
    assert.deepEqual(paths.map((p) => p.slice(dir.length + 1)), ['lvp_icd.json', 'nvidia_icd.json']);
    const [lvp, nvidia] = paths.map(readDriver);
    assert.equal(lvp?.software, true);
    assert.equal(nvidia?.software, false);
    assert.equal(nvidia?.vendorId, '0x10de');
  });

  test('a hardware driver without its GPU is no adapter; with a matching display controller it is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-pci-'));
    const icd = join(dir, 'icd');
    await mkdir(icd);
    await writeFile(join(icd, 'radeon_icd.json'), JSON.stringify({ ICD: { library_path: 'libvulkan_radeon.so' } }));
    const pci = join(dir, 'pci');
    await mkdir(join(pci, '0000:03:00.0'), { recursive: true });
    await writeFile(join(pci, '0000:03:00.0', 'class'), '0x020000\n'); // a network card
    await writeFile(join(pci, '0000:03:00.0', 'vendor'), '0x1002\n');
    const without = gpuReport({ env: { VK_DRIVER_FILES: icd, LD_LIBRARY_PATH: '' }, pciRoot: pci });
    if (without.loader) {
      assert.equal(without.hardware, false);
      assert.match(without.summary, /no GPU matches the Vulkan drivers found \(libvulkan_radeon\.so\)/);
    }
    await mkdir(join(pci, '0000:0a:00.0'));
    await writeFile(join(pci, '0000:0a:00.0', 'class'), '0x030000\n');
    await writeFile(join(pci, '0000:0a:00.0', 'vendor'), '0x1002\n');
    await writeFile(join(pci, '0000:0a:00.0', 'device'), '0x744c\n');
    const withGpu = gpuReport({ env: { VK_DRIVER_FILES: icd }, pciRoot: pci });
    if (withGpu.loader) {
      assert.equal(withGpu.hardware, true);
      assert.equal(withGpu.adapter?.vendor, 'AMD');
      assert.match(withGpu.adapter?.device ?? '', /0x744c/);
    }
  });
});

describe('--provider auto', () => {
  test('an explicit list is taken as it is, and says so', async () => {
    const decision = await resolveProviders(['webgpu', 'cpu']);
    assert.deepEqual(decision.providers, ['webgpu', 'cpu']);
    assert.match(decision.reason, /as asked/);
  });

  test('with only a software adapter and no CUDA, auto is cpu and says why without starting WebGPU', async () => {
    const decision = await resolveProviders(['auto'], {
      gpu: report({ adapter: { vendor: 'Mesa (software)', device: 'llvmpipe', driver: 'llvmpipe', backend: 'Vulkan', software: true }, summary: 'only a software adapter, llvmpipe' }),
      cuda: false,
    });
    assert.deepEqual(decision.providers, ['cpu']);
    assert.match(decision.reason, /auto chose cpu: no GPU provider to try \(webgpu: only a software adapter, llvmpipe; cuda: its library is not installed\)/);
    assert.equal(decision.measuredMs, undefined);
  });

  test('with an adapter, auto measures, orders by speed, drops what is slower than cpu, and caches per machine', async () => {
    await requireWebGpu();
    const cache = await mkdtemp(join(tmpdir(), 'ff-auto-'));
    // Pretend the adapter here is hardware, so auto has to measure it against the CPU.
    const gpu = gpuReport();
    const decision = await resolveProviders(['auto'], { cacheDir: cache, gpu: { ...gpu, hardware: true }, cuda: false });
    const cpu = decision.measuredMs?.cpu;
    const webgpu = decision.measuredMs?.webgpu;
    assert.ok(cpu !== undefined && cpu > 0 && webgpu !== undefined && webgpu > 0, JSON.stringify(decision));
    assert.deepEqual(decision.providers, webgpu < cpu ? ['webgpu', 'cpu'] : ['cpu']);
    assert.match(decision.reason, /measured once on this machine and cached/);
    const files = readdirSync(join(cache, 'providers'));
    assert.equal(files.length, 1);
    const again = await resolveProviders(['auto'], { cacheDir: cache, gpu: { ...gpu, hardware: true }, cuda: false });
    assert.deepEqual(again, decision);
  });

  test('timeProbe reports a provider that does not load instead of throwing', async () => {
    const result = await timeProbe('cuda', 1);
    assert.ok('error' in result && /library is not installed/.test(result.error));
  });

  test('with the Vulkan driver hidden, --provider webgpu falls back to cpu and the run says why', async () => {
    const cli = new URL('../../../bin/framefuse.js', import.meta.url).pathname;
    assert.ok(existsSync(cli));
    const out = await mkdtemp(join(tmpdir(), 'ff-hidden-icd-'));
    const child = spawnSync(process.execPath, [cli, 'run', 'graphs/anonymize.json', '--provider', 'webgpu', '--set', 'decoder.end=4', '--set', `encoder.path=${join(out, 'o.mp4')}`], {
      encoding: 'utf8',
      env: { ...process.env, VK_DRIVER_FILES: join(out, 'no-such-icd.json') },
      timeout: 120_000,
    });
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stderr, /webgpu failed, trying cpu: no WebGPU adapter/);
    assert.ok(existsSync(join(out, 'o.mp4')));
  });
});
