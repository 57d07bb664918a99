/**
 * What the found ffmpeg can do: its version, its encoders, its hardware accelerations, and
 * whether a hardware encoder really works here (a one-frame test encode, since a build
 * that lists h264_nvenc says nothing about the GPU, driver or session limits of this
 * machine). Answers are cached per ffmpeg binary for the life of the process.
 */
import { runToCompletion } from './ffmpeg-process.js';
import { encoderArgs } from './encoder-catalog.js';
import { stderrSuffix } from './media-errors.js';

const memo = new Map<string, Promise<unknown>>();
function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  let found = memo.get(key) as Promise<T> | undefined;
  if (!found) {
    found = make();
    memo.set(key, found);
  }
  return found;
}

/** The first line of `ffmpeg -version`, e.g. `ffmpeg version 6.1.1 ...`. */
export function ffmpegVersion(binary: string): Promise<string> {
  return once(`version\0${binary}`, async () => {
    const result = await runToCompletion(binary, ['-hide_banner', '-version'], { timeoutMs: 10_000 });
    return (result.stdout.split('\n')[0] ?? '').trim() || 'unknown';
  });
}

export interface EncoderEntry {
  name: string;
  type: 'video' | 'audio' | 'subtitle';
  description: string;
}

/** Parses `ffmpeg -encoders`. */
export function parseEncoderList(stdout: string): EncoderEntry[] {
  const entries: EncoderEntry[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s([VAS])[F.][S.][X.][B.][D.]\s+(\S+)\s+(.*)$/.exec(line);
    if (!m || m[2] === '=') continue;
    entries.push({ name: m[2] ?? '', type: m[1] === 'V' ? 'video' : m[1] === 'A' ? 'audio' : 'subtitle', description: (m[3] ?? '').trim() });
  }
  return entries;
}

export function listEncoders(binary: string): Promise<EncoderEntry[]> {
  return once(`encoders\0${binary}`, async () => {
    const result = await runToCompletion(binary, ['-hide_banner', '-encoders'], { timeoutMs: 10_000 });
    return parseEncoderList(result.stdout);
  });
}

export async function hasEncoder(binary: string, name: string): Promise<boolean> {
  return (await listEncoders(binary)).some((e) => e.name === name);
}

export function listHwaccels(binary: string): Promise<string[]> {
  return once(`hwaccels\0${binary}`, async () => {
    const result = await runToCompletion(binary, ['-hide_banner', '-hwaccels'], { timeoutMs: 10_000 });
    return result.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^Hardware acceleration methods/.test(l));
  });
}

export interface EncoderTest {
  encoder: string;
  ok: boolean;
  /** Why it does not work: not built in, or ffmpeg's last error lines from the test encode. */
  reason?: string;
}

/** A one-frame test encode with `encoder`, cached. */
export function testEncoder(binary: string, encoder: string): Promise<EncoderTest> {
  return once(`test\0${binary}\0${encoder}`, async () => {
    if (!(await hasEncoder(binary, encoder))) return { encoder, ok: false, reason: `${encoder} is not built into this ffmpeg` };
    const spec = encoderArgs(encoder, 50, 'medium', 'auto');
    const filters = [`format=${spec.pixelFormat}`, ...spec.filters].join(',');
    const result = await runToCompletion(
      binary,
      ['-hide_banner', '-nostdin', '-loglevel', 'error', ...spec.global, '-f', 'lavfi', '-i', 'color=c=gray:s=256x256:r=25', '-frames:v', '1', '-vf', filters, ...spec.codec, '-f', 'null', '-'],
      { timeoutMs: 15_000 },
    );
    if (result.exit.code === 0) return { encoder, ok: true };
    const why = stderrSuffix(result.stderr, 3).replace(/^\nffmpeg said:\n\s*/, '').replace(/\n\s*/g, ' / ');
    return { encoder, ok: false, reason: why || `the test encode exited with ${result.exit.code ?? result.exit.signal}` };
  });
}

/** Forgets cached answers (tests that swap binaries). */
export function clearCapabilityCache(): void {
  memo.clear();
}
