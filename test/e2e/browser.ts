/**
 * Debian's Chromium driven by playwright-core, headless, with a fresh profile per launch,
 * and the editor served by a real server on 127.0.0.1:0.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { clientBuildIsStale } from '../../src/cli/commands/serve.js';

export const CHROMIUM = process.env['FRAMEFUSE_CHROMIUM'] ?? '/usr/bin/chromium';
/** The repository root (dist/test/e2e -> ../../../). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Screenshots and other artefacts of the browser tests. */
export const ARTIFACTS_DIR = join(ROOT, 'dist', 'e2e-artifacts');

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds client/dist when it is missing or older than client/ (so the tests see the current
 * editor). The browser test files run in parallel processes: a lock folder makes one build
 * while the others wait (vite empties client/dist first, so two builds at once would break
 * each other's pages).
 */
export function ensureClientBuilt(): void {
  if (!clientBuildIsStale(ROOT)) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const lock = join(ROOT, 'dist', '.client-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a killed build is stale after two minutes.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 3 minutes for another build of the editor (${lock})`);
      sleepSync(200);
    }
  }
  try {
    if (!clientBuildIsStale(ROOT)) return; // another test file built it meanwhile
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const result = spawnSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'client', 'vite.config.ts'), '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('building the editor failed');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** `extraArgs`: more Chromium flags (the live test's fake camera). */
export async function launchBrowser(extraArgs: string[] = []): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set FRAMEFUSE_CHROMIUM)`);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'framefuse-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
    viewport: { width: 1500, height: 900 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
