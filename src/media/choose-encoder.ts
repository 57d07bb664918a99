/**
 * Which ffmpeg encoder writes a codec here: a hardware encoder only after a one-frame test
 * encode showed it works on this machine, otherwise the software encoder, with a warning
 * that names why the hardware was passed over.
 */
import { HARDWARE_ENCODERS, SOFTWARE_ENCODER, type Codec } from './encoder-catalog.js';
import { hasEncoder, testEncoder } from './ffmpeg-capabilities.js';
import { mediaUserError } from './media-errors.js';

export type HardwareChoice = 'auto' | 'never' | 'require';

export interface EncoderChoice {
  encoder: string;
  hardware: boolean;
  /** The software encoder to fall back to if the hardware one fails during the run. */
  fallback: string | null;
}

export interface ChooseOptions {
  node?: string;
  warn?: (message: string) => void;
  info?: (message: string) => void;
  /** Details worth seeing only when asked (`run --verbose`, `doctor`): why each hardware
   * encoder was passed over on a machine that simply has no such device. */
  detail?: (message: string) => void;
}

/** ffmpeg's ways of saying there is no hardware device (as opposed to one that failed). */
const NO_DEVICE = [/Device creation failed/i, /No NVENC capable devices/i, /Cannot load libcuda/i, /cannot open shared object file/i, /No VA display/i, /No device available/i, /MFX session|unsupported device|Error creating a MFX session/i];

export function isNoDevice(failure: string): boolean {
  return NO_DEVICE.some((pattern) => pattern.test(failure));
}

export async function chooseEncoder(ffmpeg: string, codec: Codec, hardware: HardwareChoice, options: ChooseOptions = {}): Promise<EncoderChoice> {
  const software = SOFTWARE_ENCODER[codec];
  const softwareBuilt = await hasEncoder(ffmpeg, software);
  const where = { node: options.node, field: 'codec' };
  if (hardware !== 'never') {
    const candidates = HARDWARE_ENCODERS[codec];
    const failures: string[] = [];
    let builtIn = 0;
    for (const encoder of candidates) {
      if (!(await hasEncoder(ffmpeg, encoder))) continue;
      builtIn++;
      const test = await testEncoder(ffmpeg, encoder);
      if (test.ok) return { encoder, hardware: true, fallback: softwareBuilt ? software : null };
      failures.push(`${encoder}: ${test.reason ?? 'failed'}`);
    }
    if (hardware === 'require') {
      throw mediaUserError('FF_HARDWARE_UNAVAILABLE', `No hardware encoder for ${codec} works on this machine${candidates.length ? '' : ' (none exists for this codec)'}.`, {
        ...where,
        fix: `Set hardware to "auto" or "never" to use ${software}.${failures.length ? ` Tried: ${failures.join('; ')}` : ` This ffmpeg has none of ${candidates.join(', ') || 'them'} built in.`}`,
      });
    }
    if (failures.length > 0 && softwareBuilt) {
      // No GPU device at all is the normal case on most machines: only a detail, since the
      // run already says which encoder writes. A device that exists but fails its test
      // encode is worth a warning.
      const say = failures.every(isNoDevice) ? options.detail : options.warn;
      say?.(`Hardware encoding is not available, using ${software} (software). ${failures.join('; ')}`);
    } else if (candidates.length > 0 && builtIn === 0) {
      options.detail?.(`This ffmpeg has no hardware ${codec} encoder built in; using ${software}.`);
    }
  }
  if (!softwareBuilt) {
    throw mediaUserError('FF_CODEC_UNSUPPORTED', `This ffmpeg has no ${software} encoder, so it cannot write ${codec}.`, {
      ...where,
      fix: 'Choose another codec, or point FFMPEG_PATH at an ffmpeg built with it (run `framefuse doctor` to see the encoders).',
    });
  }
  return { encoder: software, hardware: false, fallback: null };
}
