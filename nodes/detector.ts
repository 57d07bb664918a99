/**
 * Detector: finds faces in frames (YuNet by default; BlazeFace, RetinaFace built in;
 * SCRFD and YOLOFace pulled), batched across the frames of a batch. Optionally detects
 * every N frames and tracks faces in between, and selects faces: all, the largest, or
 * those that look like a reference face (ArcFace embeddings).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineNode, type NodeCheckProblem } from '../src/index.js';
import { modelRef } from '../src/index.js';
import { userError } from '../src/errors.js';
import { checkModelPresent } from '../src/models/paths.js';
import type { ModelSession } from '../src/runtime/model-session.js';
import type { Face, Frame } from '../src/index.js';
import { boxArea } from '../src/faces/detect/iou.js';
import { DETECTORS, DETECTOR_MODELS } from '../src/faces/detectors/detector-models.js';
import { openDetector, type FaceDetector } from '../src/faces/detectors/open-detector.js';
import { FaceTracker } from '../src/faces/detect/face-tracker.js';
import { DetectionSchedule } from '../src/faces/detect/detection-schedule.js';
import { FACE_SELECTORS, selectFaces } from '../src/faces/detect/select-faces.js';
import { ARCFACE_MODEL_ID, embedFace, embedFaces, openEmbedder } from '../src/faces/embedding/arcface.js';

const params = z.object({
  model: z.enum(DETECTOR_MODELS).default('yunet').describe('Face detector. yunet, blazeface and retinaface are built in; scrfd_2.5g and yoloface_8n are pulled (framefuse models pull).'),
  modelPath: modelRef(z.string().min(1).nullable().default(null), 'face-detector').describe('A .onnx file to run instead of the model\'s own file (same inputs and outputs). Empty uses the model\'s file.'),
  scoreThreshold: z.number().min(0).max(1).nullable().default(null).describe('Lowest detection score kept; empty uses the model\'s default (yunet 0.7).'),
  nmsIou: z.number().min(0).max(1).nullable().default(null).describe('Overlap above which the weaker of two boxes is dropped; empty uses the model\'s default.'),
  detectionSize: z.number().int().min(64).max(2048).multipleOf(32).default(640).describe('Longest side of the detection canvas, for models with a free input size.'),
  maxFaces: z.number().int().min(1).max(256).default(20).describe('Most faces kept per frame, best first.'),
  every: z.number().int().min(1).max(120).default(1).describe('Detect every N frames; faces are tracked in between (1 = detect on every frame).'),
  matchIou: z.number().min(0.05).max(1).default(0.3).describe('Tracking: least overlap between a face\'s predicted box and a new detection to keep its track id.'),
  selector: z.enum(FACE_SELECTORS).default('many').describe('many: every face; one: the largest; reference: faces like the one in the reference image.'),
  referenceDistance: z.number().min(0).max(2).default(0.6).describe('Reference: the largest embedding distance (1 - cosine) of a kept face.'),
  embedder: modelRef(z.string().min(1).default(ARCFACE_MODEL_ID), 'face-embedder').describe('Reference: the face embedding model (manifest id or .onnx path).'),
});

type Params = z.output<typeof params>;

async function checkModels(p: Params, env: { cwd: string; models: string }): Promise<NodeCheckProblem[]> {
  const problems: NodeCheckProblem[] = [];
  if (p.modelPath) {
    problems.push(...(await checkModelPresent(p.modelPath, env.models, 'modelPath', env.cwd)));
  } else if (DETECTORS[p.model].origin !== 'prepared') {
    // Prepared models are converted on first use from npm packages that are installed.
    problems.push(...(await checkModelPresent(DETECTORS[p.model].modelId, env.models, 'model', env.cwd)));
  }
  if (p.selector === 'reference') problems.push(...(await checkModelPresent(p.embedder, env.models, 'embedder', env.cwd)));
  return problems;
}

export default defineNode({
  type: 'Detector',
  version: 1,
  category: 'Faces',
  title: 'Detector',
  description: 'Finds faces (boxes, scores, five landmarks, track ids) in every frame, batched. Can detect every N frames and track in between, and keep all faces, the largest, or those like a reference face.',
  kind: 'accelerator',
  inputs: {
    frames: { type: 'Frames', description: 'Frames to search.' },
    reference: { type: 'Image', optional: true, description: 'Reference face for the reference selector.' },
  },
  outputs: {
    faces: { type: 'Faces', description: 'The faces of each frame.' },
  },
  params,
  check: (p, env) => checkModels(p, env),
  models: (p) => [p.modelPath ?? DETECTORS[p.model].modelId, ...(p.selector === 'reference' ? [p.embedder] : [])],
  create: (ctx) => {
    const p = ctx.params;
    let detector: FaceDetector | null = null;
    let embedder: ModelSession | null = null;
    let reference: Float32Array | null = null;
    const tracker = new FaceTracker({ matchIou: p.matchIou });
    const schedule = new DetectionSchedule(p.every);
    const runOptions = { scoreThreshold: p.scoreThreshold, nmsIou: p.nmsIou, maxFaces: p.maxFaces, detectionSize: p.detectionSize };
    const modelOptions = { providers: ctx.providers, threads: ctx.threads, modelsDir: ctx.paths.models, cwd: ctx.paths.cwd, log: ctx.log };

    /** Embeddings for every face of the detection frames, in one batched pass. */
    async function embedAll(frames: readonly Frame[], faces: Face[][]): Promise<Face[][]> {
      const requests = frames.flatMap((frame, i) => (faces[i] ?? []).map((face) => ({ frame, face })));
      const vectors = await embedFaces(embedder!, requests);
      let k = 0;
      return faces.map((list) => list.map((face) => ({ ...face, embedding: vectors[k++]! })));
    }

    return {
      async open(inputs) {
        detector = await openDetector(p.model, { ...modelOptions, deviceGlue: ctx.deviceGlue, modelPath: p.modelPath ? resolve(ctx.paths.cwd, p.modelPath) : null });
        ctx.log.info(`${p.model}: ${detector.session.file} on ${detector.session.provider}`);
        if (p.selector === 'reference') {
          const image = inputs.reference;
          if (!image) {
            throw userError('FF_REFERENCE_MISSING', 'the reference selector needs a reference image', { field: 'reference', fix: 'connect an Image node to the reference input, or choose the many or one selector' });
          }
          embedder = await openEmbedder({ ...modelOptions, ref: p.embedder });
          const [found = []] = await detector.detect([image], runOptions);
          const largest = [...found].sort((a, b) => boxArea(b.box) - boxArea(a.box))[0];
          if (!largest) {
            throw userError('FF_REFERENCE_NO_FACE', `no face found in the reference image (${image.width}x${image.height})`, { field: 'reference', fix: 'use a picture where the face is clearly visible, or lower scoreThreshold' });
          }
          reference = await embedFace(embedder, image, largest);
        }
        return inputs.frames ? { faces: { frames: inputs.frames } } : {};
      },
      async process({ inputs }) {
        const frames = inputs.frames;
        const detectAt = schedule.next(frames.length);
        const toDetect = frames.filter((_, i) => detectAt[i]);
        let detected = await detector!.detect(toDetect, runOptions);
        if (embedder) detected = await embedAll(toDetect, detected);
        let next = 0;
        const faces = frames.map((frame, i) => {
          const tracked = detectAt[i] ? tracker.update(detected[next++] ?? []) : tracker.carry(frame.width, frame.height);
          // Embeddings are copied: outputs leave the worker by transfer, which would empty
          // the tracker's own copies for the frames still to come.
          return selectFaces(tracked, { selector: p.selector, reference, maxDistance: p.referenceDistance }).map((f) => (f.embedding ? { ...f, embedding: f.embedding.slice() } : f));
        });
        return { faces };
      },
      async dispose() {
        await detector?.dispose();
        await embedder?.dispose();
      },
    };
  },
});
