/**
 * The ESRGAN models of @upscalerjs/esrgan-slim (MIT, UpscalerJS by Kevin Scott): four
 * TF.js layers models, models/x{2,3,4,8}/model.json with one weight shard each. The
 * package's model definition (dist/.../esrgan.js, architecture "rdn") gives their value
 * range: 0..255 in and out, RGB, NHWC in TF.js (NCHW once converted).
 *
 * The converter knows each file's sha256 for the version it was checked against; any
 * other bytes are refused rather than converted unchecked.
 */
export const ESRGAN_PACKAGE = '@upscalerjs/esrgan-slim';

export type EsrganScale = 2 | 3 | 4 | 8;

export interface EsrganSource {
  /** Preparer and manifest id: `esrgan_x2`. */
  id: string;
  scale: EsrganScale;
  /** Paths inside the package. */
  modelJson: string;
  /** sha256 of each file, model.json first, by package version. */
  known: Record<string, Record<string, string>>;
}

function source(scale: EsrganScale, modelJsonSha: string, shardSha: string): EsrganSource {
  const dir = `models/x${scale}`;
  return {
    id: `esrgan_x${scale}`,
    scale,
    modelJson: `${dir}/model.json`,
    known: { '1.0.0': { [`${dir}/model.json`]: modelJsonSha, [`${dir}/group1-shard1of1.bin`]: shardSha } },
  };
}

export const ESRGAN_SOURCES: readonly EsrganSource[] = [
  source(2, '8efb488c2caed0196a6163e3f06798f9245e92623ffd50654a26c372e09150ea', '5cb464ae4d390ce0a771afd5feaf60fbfcdb18ab48a56db98cdf6b88202369de'),
  source(3, '642208758cf6c42a4f88745894b45cc03776681a46027b85963f01fe003e9917', '9d344609abd1e29bd3924f9c4e9ffaa1aee6be7c3586bab0f52863597858a2ba'),
  source(4, '3a2eaa642232567e7d2a2e7638c9704f42f63f355fc656c18aa78bf2da1d903d', '82637daaf3ba024df5e9da2389e8992e7a6e8a992ba6268ce6bc490c92e9516e'),
  source(8, 'd4278813adf94b7dff96c756b97f95a41f56ff7e85b4ecec25dc06ddea1d49b6', '0c5fe31649784135a431733f0f295838c5330f8f38011c10d29d36bd8dd7c293'),
];

/** The prepared file's name under the models folder (stable, so manifests and nodes can name it). */
export function esrganFileName(scale: EsrganScale): string {
  return `esrgan_x${scale}.onnx`;
}

export function esrganSource(id: string): EsrganSource | undefined {
  return ESRGAN_SOURCES.find((s) => s.id === id);
}
