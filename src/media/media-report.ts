/**
 * What `framefuse doctor` says about media: which ffmpeg and ffprobe were found and where
 * from, their versions, the encoders per codec (with hardware ones test-encoded), and the
 * hardware accelerations the build knows.
 */
import { discoverTools, type FfmpegTools } from './ffmpeg-tools.js';
import { ffmpegVersion, hasEncoder, listEncoders, listHwaccels, testEncoder, type EncoderTest } from './ffmpeg-capabilities.js';
import { CODECS, HARDWARE_ENCODERS, SOFTWARE_ENCODER, type Codec } from './encoder-catalog.js';
import { isFramefuseError } from '../errors.js';

export interface CodecReport {
  codec: Codec;
  software: { encoder: string; available: boolean };
  hardware: EncoderTest[];
}

export interface MediaReport {
  ffmpeg: { path: string; source: string; version: string } | null;
  ffprobe: { path: string; source: string; version: string } | null;
  /** Why ffmpeg is missing, when it is. */
  problem?: string;
  videoEncoders: number;
  codecs: CodecReport[];
  hwaccels: string[];
}

export async function collectMediaReport(tools?: FfmpegTools): Promise<MediaReport> {
  let found: FfmpegTools;
  try {
    found = tools ?? discoverTools();
  } catch (error) {
    return { ffmpeg: null, ffprobe: null, problem: isFramefuseError(error) ? `${error.message}${error.fix ? ` ${error.fix}` : ''}` : String(error), videoEncoders: 0, codecs: [], hwaccels: [] };
  }
  const ffmpeg = found.ffmpeg.path;
  const codecs: CodecReport[] = [];
  for (const codec of CODECS.filter((c): c is Codec => c !== 'auto')) {
    const hardware: EncoderTest[] = [];
    for (const encoder of HARDWARE_ENCODERS[codec]) hardware.push(await testEncoder(ffmpeg, encoder));
    codecs.push({ codec, software: { encoder: SOFTWARE_ENCODER[codec], available: await hasEncoder(ffmpeg, SOFTWARE_ENCODER[codec]) }, hardware });
  }
  return {
    ffmpeg: { ...found.ffmpeg, version: await ffmpegVersion(ffmpeg) },
    ffprobe: found.ffprobe ? { ...found.ffprobe, version: await ffmpegVersion(found.ffprobe.path) } : null,
    videoEncoders: (await listEncoders(ffmpeg)).filter((e) => e.type === 'video').length,
    codecs,
    hwaccels: await listHwaccels(ffmpeg),
  };
}

const SOURCE_NAMES: Record<string, string> = { env: 'from FFMPEG_PATH/FFPROBE_PATH', system: 'from the system PATH', npm: 'bundled by npm' };

/** The report as the lines doctor prints. */
export function formatMediaReport(report: MediaReport): string[] {
  if (!report.ffmpeg) return ['ffmpeg    NOT FOUND', `          ${report.problem ?? ''}`];
  const lines = [
    `ffmpeg    ${report.ffmpeg.path} (${SOURCE_NAMES[report.ffmpeg.source] ?? report.ffmpeg.source})`,
    `          ${report.ffmpeg.version}`,
    ...(report.ffmpeg.source === 'npm' ? ['          (a 2018 build without NVENC/QSV: a system ffmpeg is used first when there is one, e.g. `sudo apt-get install ffmpeg`; docs/media.md)'] : []),
    report.ffprobe
      ? `ffprobe   ${report.ffprobe.path} (${SOURCE_NAMES[report.ffprobe.source] ?? report.ffprobe.source})`
      : 'ffprobe   not found: files are probed through `ffmpeg -i` (coarser frame rates)',
    ...(report.ffprobe ? [`          ${report.ffprobe.version}`] : []),
    `encoders  ${report.videoEncoders} video encoders; per codec:`,
  ];
  for (const c of report.codecs) {
    const hw = c.hardware.map((h) => (h.ok ? `${h.encoder} works` : `${h.encoder} no (${h.reason})`));
    lines.push(`  ${c.codec.padEnd(7)} ${c.software.encoder} ${c.software.available ? 'yes' : 'MISSING'}${hw.length ? `; hardware: ${hw.join('; ')}` : ''}`);
  }
  lines.push(`hwaccels  ${report.hwaccels.join(', ') || 'none'}`);
  return lines;
}
