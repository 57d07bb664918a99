/**
 * What GPU the WebGPU provider can reach, found without starting it. onnxruntime's WebGPU
 * provider (Dawn) opens `libvulkan.so.1`, whose loader reads Vulkan driver manifests (ICD
 * JSON files) and asks each driver for devices. Dawn reports nothing about the adapter it
 * picked, so this reads the same sources the loader does: the manifests in its search
 * path, the PCI display controllers, the NVIDIA kernel driver, and `vulkaninfo` when it is
 * installed. `framefuse doctor` prints the result and `--provider auto` uses it to tell a
 * real GPU from a software one (Mesa's lavapipe runs Vulkan on the CPU, slower than the
 * CPU provider does).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, join } from 'node:path';

/** A Vulkan driver manifest (ICD JSON) the loader would read. */
export interface VulkanDriver {
  manifest: string;
  /** The driver library it names (`libvulkan_lvp.so`, `libGLX_nvidia.so.0`). */
  library: string;
  apiVersion: string | null;
  /** Runs on the CPU (lavapipe/llvmpipe, SwiftShader). */
  software: boolean;
  /** The PCI vendor the driver serves, when the library says (0x10de NVIDIA, 0x1002 AMD, 0x8086 Intel). */
  vendorId: string | null;
}

/** A PCI display controller (class 0x03xx). */
export interface DisplayDevice {
  slot: string;
  vendorId: string;
  deviceId: string;
  vendor: string;
}

/** One device as `vulkaninfo --summary` lists it. */
export interface VulkanDevice {
  deviceName: string;
  deviceType: string;
  driverName: string;
  driverInfo: string;
  vendorId: string;
  apiVersion: string;
}

/** The adapter WebGPU most likely runs on (Dawn prefers a discrete GPU, then an integrated one, then the CPU). */
export interface GpuAdapter {
  vendor: string;
  device: string;
  driver: string;
  backend: 'Vulkan';
  software: boolean;
}

export interface GpuReport {
  /** Whether the Vulkan loader library (libvulkan.so.1) was found. */
  loader: boolean;
  drivers: VulkanDriver[];
  displays: DisplayDevice[];
  /** The NVIDIA kernel driver's version line, when it is loaded. */
  nvidiaDriver: string | null;
  /** Devices from `vulkaninfo --summary`, or null when the tool is not installed. */
  vulkanDevices: VulkanDevice[] | null;
  adapter: GpuAdapter | null;
  /** True when a hardware adapter is reachable (not only a software rasterizer). */
  hardware: boolean;
  /** One sentence: which adapter, or why there is none and what to do. */
  summary: string;
}

const VENDORS: Record<string, string> = {
  '0x10de': 'NVIDIA',
  '0x1002': 'AMD',
  '0x1022': 'AMD',
  '0x8086': 'Intel',
  '0x1af4': 'virtio',
  '0x13b5': 'ARM',
  '0x5143': 'Qualcomm',
  '0x106b': 'Apple',
  '0x10005': 'Mesa (software)',
};

export function vendorName(id: string): string {
  return VENDORS[id.toLowerCase()] ?? id;
}

/** Folders where NVIDIA's container toolkit and driver installs put the ICD, which the loader does not search by itself. */
const NVIDIA_ICD_ELSEWHERE = ['/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json', '/usr/local/nvidia/icd.d/nvidia_icd.json', '/etc/vulkan/icd.d/nvidia_icd.json', '/usr/share/vulkan/icd.d/nvidia_icd.json'];

function split(value: string | undefined): string[] {
  return (value ?? '').split(delimiter).filter(Boolean);
}

/** Manifest files in the loader's search order (Vulkan loader 1.3 on Linux). */
export function driverManifestPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const explicit = split(env['VK_DRIVER_FILES'] ?? env['VK_ICD_FILENAMES']);
  const expand = (entries: string[]) =>
    entries.flatMap((entry) => {
      try {
        return statSync(entry).isDirectory() ? readdirSync(entry).filter((f) => f.endsWith('.json')).sort().map((f) => join(entry, f)) : [entry];
      } catch {
        return [entry];
      }
    });
  const extra = expand(split(env['VK_ADD_DRIVER_FILES']));
  if (explicit.length > 0) return [...extra, ...expand(explicit)];
  const home = env['HOME'] ?? homedir();
  const dirs = [
    join(env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'vulkan/icd.d'),
    ...split(env['XDG_CONFIG_DIRS'] ?? '/etc/xdg').map((d) => join(d, 'vulkan/icd.d')),
    '/etc/vulkan/icd.d',
    join(env['XDG_DATA_HOME'] ?? join(home, '.local/share'), 'vulkan/icd.d'),
    ...split(env['XDG_DATA_DIRS'] ?? '/usr/local/share:/usr/share').map((d) => join(d, 'vulkan/icd.d')),
  ];
  const files = [...new Set(dirs)].flatMap((dir) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
    } catch {
      return [];
    }
  });
  return [...extra, ...files];
}

function driverVendor(library: string): string | null {
  const name = library.toLowerCase();
  if (name.includes('nvidia')) return '0x10de';
  if (name.includes('radeon') || name.includes('amdvlk') || name.includes('amdgpu')) return '0x1002';
  if (name.includes('intel')) return '0x8086';
  if (name.includes('virtio')) return '0x1af4';
  return null;
}

export function readDriver(manifest: string): VulkanDriver | null {
  try {
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { ICD?: { library_path?: string; api_version?: string } };
    const library = json.ICD?.library_path;
    if (typeof library !== 'string') return null;
    return {
      manifest,
      library,
      apiVersion: json.ICD?.api_version ?? null,
      software: /lvp|llvmpipe|swiftshader|swrast/i.test(basename(library)),
      vendorId: driverVendor(library),
    };
  } catch {
    return null;
  }
}

export function pciDisplays(root = '/sys/bus/pci/devices'): DisplayDevice[] {
  let slots: string[];
  try {
    slots = readdirSync(root);
  } catch {
    return [];
  }
  const read = (slot: string, file: string) => {
    try {
      return readFileSync(join(root, slot, file), 'utf8').trim();
    } catch {
      return '';
    }
  };
  return slots
    .filter((slot) => read(slot, 'class').startsWith('0x03'))
    .map((slot) => {
      const vendorId = read(slot, 'vendor');
      return { slot, vendorId, deviceId: read(slot, 'device'), vendor: vendorName(vendorId) };
    });
}

/** Whether the dynamic linker can find libvulkan.so.1 (its cache, LD_LIBRARY_PATH, the usual folders). */
export function hasVulkanLoader(env: NodeJS.ProcessEnv = process.env): boolean {
  const dirs = [...split(env['LD_LIBRARY_PATH']), '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/local/lib'];
  if (dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')))) return true;
  try {
    return readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

function nvidiaDriverVersion(): string | null {
  try {
    return readFileSync('/proc/driver/nvidia/version', 'utf8').split('\n')[0]!.trim();
  } catch {
    return existsSync('/dev/nvidiactl') ? 'present (/dev/nvidiactl)' : null;
  }
}

/** Parses `vulkaninfo --summary`'s Devices section. */
export function parseVulkanSummary(text: string): VulkanDevice[] {
  const section = text.split(/\nDevices:\s*\n=+\s*\n/)[1] ?? '';
  return section
    .split(/\nGPU\d+:\s*\n/)
    .map((block) => {
      const field = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*(.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
      return {
        deviceName: field('deviceName'),
        deviceType: field('deviceType').replace('PHYSICAL_DEVICE_TYPE_', '').toLowerCase(),
        driverName: field('driverName'),
        driverInfo: field('driverInfo'),
        vendorId: field('vendorID'),
        apiVersion: field('apiVersion'),
      };
    })
    .filter((d) => d.deviceName !== '');
}

function vulkaninfoDevices(env: NodeJS.ProcessEnv): VulkanDevice[] | null {
  const result = spawnSync('vulkaninfo', ['--summary'], { encoding: 'utf8', timeout: 10_000, env });
  if (result.error) return null;
  return parseVulkanSummary(`\n${result.stdout ?? ''}`);
}

const TYPE_RANK: Record<string, number> = { discrete_gpu: 0, integrated_gpu: 1, virtual_gpu: 2, other: 3, cpu: 4 };

/**
 * What a Vulkan-backed WebGPU would run on here. `vulkaninfo` is asked only when
 * `useVulkaninfo` is true (it starts every driver, which takes a moment).
 */
export function gpuReport(options: { env?: NodeJS.ProcessEnv; useVulkaninfo?: boolean; pciRoot?: string } = {}): GpuReport {
  const env = options.env ?? process.env;
  const loader = hasVulkanLoader(env);
  const drivers = driverManifestPaths(env).map(readDriver).filter((d): d is VulkanDriver => d !== null);
  const displays = pciDisplays(options.pciRoot);
  const nvidiaDriver = nvidiaDriverVersion();
  const vulkanDevices = loader && options.useVulkaninfo ? vulkaninfoDevices(env) : null;
  const base = { loader, drivers, displays, nvidiaDriver, vulkanDevices };

  if (!loader) {
    return { ...base, adapter: null, hardware: false, summary: 'no Vulkan loader (libvulkan.so.1) was found: install it (Debian/Ubuntu: apt-get install libvulkan1) for the webgpu provider' };
  }
  if (vulkanDevices && vulkanDevices.length > 0) {
    const best = [...vulkanDevices].sort((a, b) => (TYPE_RANK[a.deviceType] ?? 3) - (TYPE_RANK[b.deviceType] ?? 3))[0]!;
    const software = best.deviceType === 'cpu';
    const adapter: GpuAdapter = { vendor: vendorName(best.vendorId), device: best.deviceName, driver: `${best.driverName} ${best.driverInfo}`.trim(), backend: 'Vulkan', software };
    const summary = software
      ? `only a software adapter, ${adapter.device} (${adapter.driver}): the webgpu provider would run on the CPU, slower than the cpu provider`
      : `${adapter.device} (${adapter.vendor}, ${best.deviceType.replace('_', ' ')}, driver ${adapter.driver}) through Vulkan`;
    return { ...base, adapter, hardware: !software, summary };
  }
  // No vulkaninfo: match hardware drivers against the display controllers (and NVIDIA's
  // kernel driver, since containers often hide the PCI tree's class files).
  const hardwareDrivers = drivers.filter((d) => !d.software);
  const matched = hardwareDrivers.find(
    (d) => (d.vendorId !== null && displays.some((p) => p.vendorId === d.vendorId)) || (d.vendorId === '0x10de' && nvidiaDriver !== null),
  );
  if (matched) {
    const display = displays.find((p) => p.vendorId === matched.vendorId);
    const vendor = vendorName(matched.vendorId ?? '');
    const adapter: GpuAdapter = {
      vendor,
      device: display ? `${vendor} device ${display.deviceId} at ${display.slot}` : `${vendor} GPU`,
      driver: matched.vendorId === '0x10de' && nvidiaDriver ? nvidiaDriver : basename(matched.library),
      backend: 'Vulkan',
      software: false,
    };
    return { ...base, adapter, hardware: true, summary: `${adapter.device} (driver ${adapter.driver}) through Vulkan (${matched.manifest})` };
  }
  const software = drivers.find((d) => d.software);
  const hiddenNvidia = nvidiaDriver !== null && !drivers.some((d) => d.vendorId === '0x10de') ? NVIDIA_ICD_ELSEWHERE.find((p) => existsSync(p)) : undefined;
  const hint = hiddenNvidia
    ? `; an NVIDIA driver is loaded and its Vulkan manifest is at ${hiddenNvidia}, which the loader does not search: export VK_DRIVER_FILES=${hiddenNvidia}`
    : nvidiaDriver !== null
      ? '; an NVIDIA driver is loaded but no NVIDIA Vulkan manifest (nvidia_icd.json) was found: install the driver\'s Vulkan part (e.g. libnvidia-gl) or point VK_DRIVER_FILES at it'
      : '';
  if (software) {
    const adapter: GpuAdapter = { vendor: 'Mesa (software)', device: `${basename(software.library)} (runs on the CPU)`, driver: basename(software.library), backend: 'Vulkan', software: true };
    return { ...base, adapter, hardware: false, summary: `only a software Vulkan driver (${basename(software.library)}): the webgpu provider would run on the CPU, slower than the cpu provider${hint}` };
  }
  const none = drivers.length === 0 ? 'no Vulkan driver manifest (ICD) was found' : `no GPU matches the Vulkan drivers found (${drivers.map((d) => basename(d.library)).join(', ')})`;
  return { ...base, adapter: null, hardware: false, summary: `${none}${hint}` };
}
