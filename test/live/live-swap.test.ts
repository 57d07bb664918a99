/**
 * Live face swap: while a camera run goes, the source face (the Image's path), the swap
 * weight and the Enhancer's blend change, without a restart. The camera plays a still portrait,
 * losslessly, so every frame that went through with the same settings is the same picture:
 * the output is a sequence of plateaus, one per accepted change. A refused change (a file
 * outside the data folder, a missing file, a picture with no face) leaves the run as it was.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlan } from '../../src/run/run-plan.js';
import { LiveControl } from '../../src/run/live-control.js';
import { isFramefuseError } from '../../src/errors.js';
import { liveProcessCount } from '../../src/media/ffmpeg-process.js';
import type { RunEvent } from '../../src/run/run-events.js';
import type { GraphDocument } from '../../src/model/document.js';
import { difference, inBox } from '../swap/frame-compare.js';
import { graph } from '../helpers.js';
import { ffmpeg } from '../media/media-helpers.js';
import { writeFaceModels, type FaceModelFiles } from '../swap/face-models.js';
import { ASTRONAUT, resolveSwapGraph, type Collected } from '../swap/swap-graph.js';

const OBAMA = 'test/fixtures/images/fr_obama.jpg';

/**
 * The frames' plateaus, as [first frame, length]: a new one starts where a frame differs at
 * all from the one before inside the face's box. The input is lossless and the same every
 * frame, so equal settings give equal frames; the generated models answer a new identity
 * by a level or two only, so any difference counts.
 */
function plateaus(out: Collected): [number, number][] {
  const found: [number, number][] = [];
  out.frames.forEach((f, i) => {
    if (i === 0 || difference(f, out.frames[i - 1]!, inBox(f, out.faces[i]![0]!)).max > 0) found.push([i, 1]);
    else found[found.length - 1]![1] += 1;
  });
  return found;
}

describe('live face swap', () => {
  let models: FaceModelFiles;
  let dir: string;
  before(() => {
    models = writeFaceModels();
    dir = mkdtempSync(join(tmpdir(), 'framefuse-live-swap-'));
    // A 2 s still of the portrait, lossless (FFV1), so equal settings give equal frames.
    ffmpeg(['-loop', '1', '-i', OBAMA, '-t', '2', '-r', '25', '-vf', 'scale=320:400', '-c:v', 'ffv1', join(dir, 'portrait.mkv')]);
    ffmpeg(['-f', 'lavfi', '-i', 'color=gray:s=256x256', '-frames:v', '1', join(dir, 'grey.png')]);
    copyFileSync(ASTRONAUT, join(dir, 'astronaut.png'));
    copyFileSync(OBAMA, join(dir, 'obama.jpg'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(models.dir, { recursive: true, force: true });
  });

  /**
   * ```
   *  camera ──> faces (Detector) ──── faces ──┬───────────┐
   *     └────────────────────────> swap ──> [enhance] ──> sink
   *             image ── source ──┘
   * ```
   */
  function swapGraph(withEnhancer: boolean): GraphDocument {
    const last = withEnhancer ? 'enhance' : 'swap';
    return graph(
      [
        ['camera', 'Camera', { url: 'portrait.mkv', loop: true, width: 320, height: 400 }],
        ['faces', 'Detector', { model: 'yunet' }],
        ['image', 'Image', { path: 'astronaut.png' }],
        ['swap', 'Swapper', { model: models.swapper, embedder: models.embedder }],
        ...(withEnhancer ? [['enhance', 'Enhancer', { faceModel: models.gfpgan, blend: 80 }] as [string, string, Record<string, unknown>]] : []),
        ['sink', 'TestFrameCollector'],
      ],
      [
        'camera.frames -> faces.frames',
        'camera.frames -> swap.frames',
        'faces.faces -> swap.faces',
        'image.image -> swap.source',
        ...(withEnhancer ? ['swap.frames -> enhance.frames', 'faces.faces -> enhance.faces'] : []),
        `${last}.frames -> sink.frames`,
        'faces.faces -> sink.faces',
      ],
    );
  }

  /** Checks the output holds `n` plateaus of at least 3 frames each; returns them. */
  function expectPlateaus(out: Collected, n: number, logs: readonly string[]): [number, number][] {
    const found = plateaus(out);
    const shown = found.map(([at, length]) => `${length} from frame ${at}`).join(', ');
    assert.equal(found.length, n, `plateaus of ${out.frames.length} frames: ${shown}\n${logs.join('\n')}`);
    assert.ok(found.every(([, length]) => length >= 3), `each setting held for several frames: ${shown}`);
    return found;
  }

  /** Runs `doc` live from the portrait, makes `steps` (with `more(n)`: wait for n more frames out), then stops. */
  async function liveRun(doc: GraphDocument, steps: (control: LiveControl, more: (n: number) => Promise<void>) => Promise<void>) {
    const { graph: g, plan } = await resolveSwapGraph(doc);
    assert.equal(plan.mode, 'latency');
    const control = new LiveControl({ confineTo: dir });
    const stop = new AbortController();
    let framesOut = 0;
    const logs: string[] = [];
    const timer = setTimeout(() => stop.abort(), 120_000);
    const run = runPlan(g, plan, {
      paths: { cwd: dir },
      live: { stop: stop.signal },
      control,
      progressIntervalMs: 50,
      onEvent: (e: RunEvent) => {
        if (e.type === 'progress') framesOut = e.metrics.live?.framesOut ?? framesOut;
        if (e.type === 'log') logs.push(e.message);
      },
    });
    let ended = false;
    void run.then(() => (ended = true), () => (ended = true));
    const more = async (n: number) => {
      const from = framesOut;
      while (framesOut < from + n && !ended) await new Promise((r) => setTimeout(r, 25));
    };
    try {
      while (!control.attached && !ended) await new Promise((r) => setTimeout(r, 20));
      await steps(control, more);
    } finally {
      stop.abort();
      clearTimeout(timer);
      await run.catch(() => undefined);
    }
    const { outputs } = await run;
    return { plan, out: outputs['sink'] as Collected, logs };
  }

  test('the source face, the swap weight and the enhancer blend change while the run goes; refused changes leave it as it was', async () => {
    const doc = swapGraph(true);
    const { plan, out, logs } = await liveRun(doc, async (control, more) => {
      await more(6);
      await control.setParam('image', 'path', 'obama.jpg');
      await more(6);
      // Refused: outside the data folder, missing, a picture with no face. The run goes on.
      await assert.rejects(control.setParam('image', 'path', ASTRONAUT), (e: unknown) => isFramefuseError(e) && e.code === 'FF_PATH_UNSAFE');
      await assert.rejects(control.setParam('image', 'path', 'nobody.png'), (e: unknown) => isFramefuseError(e) && e.code === 'FF_MEDIA_MISSING' && /nobody\.png/.test(e.message));
      await assert.rejects(control.setParam('image', 'path', 'grey.png'), (e: unknown) => /no face/i.test((e as Error).message));
      await more(6);
      await control.setParam('swap', 'weight', 0);
      await more(6);
      await control.setParam('enhance', 'blend', 0);
      await more(6);
      await assert.rejects(control.setParam('enhance', 'mode', 'frame'), (e: unknown) => isFramefuseError(e) && e.code === 'FF_PARAM_NOT_LIVE');
    });
    // Live, the two still run as one composed model: the composed instance takes the changes.
    assert.equal(plan.stages.find((s) => s.nodes.includes('swap'))!.composedBy, 'face-crop-chain');
    assert.ok(out.faces.every((f) => f.length === 1), 'the detector finds the one face in every frame');
    // Astronaut, then Obama's own face, then swap weight 0, then blend 0; the refused changes made no plateau.
    const found = expectPlateaus(out, 4, logs);
    // Weight 0 takes the original crop back: the face changes by far more than a level or two.
    const [obama, unswapped] = [out.frames[found[1]![0]]!, out.frames[found[2]![0]]!];
    const undone = difference(obama, unswapped, inBox(obama, out.faces[found[1]![0]]![0]!));
    assert.ok(undone.mean > 5, `weight 0 changed the face by ${undone.mean.toFixed(1)} levels on average`);
    assert.equal(liveProcessCount(), 0, 'no ffmpeg left');
  });

  test('node by node (a Swapper alone): the new source face and weight reach the Swapper in its worker', async () => {
    const doc = swapGraph(false);
    const { plan, out, logs } = await liveRun(doc, async (control, more) => {
      await more(6);
      await control.setParam('image', 'path', 'obama.jpg');
      await more(6);
      await assert.rejects(control.setParam('image', 'path', 'grey.png'), (e: unknown) => isFramefuseError(e) && e.code === 'FF_NO_SOURCE_FACE');
      await more(6);
      await control.setParam('swap', 'weight', 0);
      await more(6);
    });
    assert.ok(!plan.stages.find((s) => s.nodes.includes('swap'))!.composedBy, 'the Swapper runs on its own');
    expectPlateaus(out, 3, logs);
  });
});
