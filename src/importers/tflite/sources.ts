/**
 * The TFLite models framefuse converts, where each comes from, and the sha256 of the exact
 * bytes the converter was checked against. A package update that changes a model's bytes
 * is refused (FF_MODEL_SOURCE_CHANGED) until someone checks the new model and updates the
 * hash here: a silently different model would break the decoders' assumptions.
 */

export type TfliteModelId = 'blazeface_short' | 'blazeface_full' | 'facemesh';

export interface TfliteSource {
  id: TfliteModelId;
  description: string;
  /** npm package that ships the model. */
  packageName: string;
  /** The model file inside the package, or the packed-assets file that contains it. */
  file: string;
  /** When the model is packed with others: the loader script listing byte ranges, and the entry's path there. */
  packed?: { loader: string; entry: string };
  /** sha256 of the model's own bytes (for packed models, of the extracted range). */
  sha256: string;
  /** File written under the models folder. */
  output: string;
}

export const TFLITE_SOURCES: Readonly<Record<TfliteModelId, TfliteSource>> = {
  blazeface_short: {
    id: 'blazeface_short',
    description: 'BlazeFace short range (128x128, faces within ~2 m) from @mediapipe/face_detection, TFLite -> ONNX',
    packageName: '@mediapipe/face_detection',
    file: 'face_detection_short_range.tflite',
    sha256: '3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633',
    output: 'blazeface_short.onnx',
  },
  blazeface_full: {
    id: 'blazeface_full',
    description: 'BlazeFace full range (192x192, faces within ~5 m) from @mediapipe/face_detection, TFLite -> ONNX',
    packageName: '@mediapipe/face_detection',
    file: 'face_detection_full_range.tflite',
    sha256: '99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3',
    output: 'blazeface_full.onnx',
  },
  facemesh: {
    id: 'facemesh',
    description: 'FaceMesh 468-point face landmarks (192x192 crop) from @mediapipe/face_mesh packed assets, TFLite -> ONNX',
    packageName: '@mediapipe/face_mesh',
    file: 'face_mesh_solution_packed_assets.data',
    packed: { loader: 'face_mesh_solution_packed_assets_loader.js', entry: '/third_party/mediapipe/modules/face_landmark/face_landmark.tflite' },
    sha256: 'c603fa6149219a3e9487dc9abd7a0c24474c77263273d24868378cdf40aa26d1',
    output: 'facemesh.onnx',
  },
};

/** Bump when the converter's output changes, so prepared files are rebuilt. */
export const TFLITE_CONVERTER_VERSION = 1;
