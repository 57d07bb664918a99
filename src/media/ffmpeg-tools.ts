/**
 * Finding ffmpeg and ffprobe. The order is the one a user can reason about: the
 * FFMPEG_PATH / FFPROBE_PATH environment variables, then the system's binaries on PATH,
 * then the static binaries that the @ffmpeg-installer and @ffprobe-installer npm packages
 * ship inside the package (so `npm install` alone is enough on a fresh machine).
 * `FFPROBE_PATH=none` turns ffprobe off; probing then goes through `ffmpeg -i`.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { userError } from '../errors.js';

export type ToolSource = 'env' | 'system' | 'npm';

export interface ToolLocation {
  path: string;
  /** Where it was found: an environment variable, the system PATH, or an npm package. */
  source: ToolSource;
}

export interface FfmpegTools {
  ffmpeg: ToolLocation;
  /** null when no ffprobe was found (or FFPROBE_PATH=none): probing falls back to `ffmpeg -i`. */
  ffprobe: ToolLocation | null;
}

export interface DiscoverOptions {
  /** Environment to read FFMPEG_PATH, FFPROBE_PATH and PATH from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Whether to fall back to the npm-shipped binaries (default true). */
  npm?: boolean;
}

const require = createRequire(import.meta.url);

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, exe);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function fromNpm(pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string | null {
  try {
    // Both packages resolve the platform's binary package and throw when it is missing.
    const found = require(pkg) as { path?: unknown };
    return typeof found.path === 'string' && isExecutableFile(found.path) ? found.path : null;
  } catch {
    return null;
  }
}

function locate(
  name: 'ffmpeg' | 'ffprobe',
  envVar: 'FFMPEG_PATH' | 'FFPROBE_PATH',
  pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe',
  options: DiscoverOptions,
): ToolLocation | null {
  const env = options.env ?? process.env;
  const fromEnv = env[envVar];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (name === 'ffprobe' && fromEnv === 'none') return null;
    if (!isExecutableFile(fromEnv)) {
      // A variable the user set on purpose must not be silently ignored.
      throw userError('FF_FFMPEG_NOT_FOUND', `${envVar} is set to ${fromEnv}, which is not an executable file.`, {
        fix: `Point ${envVar} at the ${name} binary, or unset it to use the system's or the bundled one.`,
      });
    }
    return { path: fromEnv, source: 'env' };
  }
  const system = onPath(name, env);
  if (system) return { path: system, source: 'system' };
  if (options.npm !== false) {
    const shipped = fromNpm(pkg);
    if (shipped) return { path: shipped, source: 'npm' };
  }
  return null;
}

/** Finds ffmpeg (required) and ffprobe (optional). Throws FF_FFMPEG_NOT_FOUND when there is no ffmpeg. */
export function discoverTools(options: DiscoverOptions = {}): FfmpegTools {
  const ffmpeg = locate('ffmpeg', 'FFMPEG_PATH', '@ffmpeg-installer/ffmpeg', options);
  if (!ffmpeg) {
    throw userError('FF_FFMPEG_NOT_FOUND', 'No ffmpeg found: FFMPEG_PATH is not set, there is no ffmpeg on PATH and the bundled @ffmpeg-installer/ffmpeg binary is missing.', {
      fix: 'Run `npm install` (it installs a bundled ffmpeg), install ffmpeg on the system, or set FFMPEG_PATH.',
    });
  }
  return { ffmpeg, ffprobe: locate('ffprobe', 'FFPROBE_PATH', '@ffprobe-installer/ffprobe', options) };
}

let cached: { key: string; tools: FfmpegTools } | null = null;

/** The tools for the current process environment, found once and cached until the variables change. */
export function getTools(): FfmpegTools {
  const key = `${process.env.FFMPEG_PATH ?? ''}\0${process.env.FFPROBE_PATH ?? ''}\0${process.env.PATH ?? ''}`;
  if (cached?.key !== key) cached = { key, tools: discoverTools() };
  return cached.tools;
}
