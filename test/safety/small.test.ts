/**
 * The small ones: every CLI error prints its fix once (it printed twice); /dev/zero and a
 * FIFO are said to be what they are, not "an empty file"; validate catches a model file
 * that is not ONNX and an output folder that cannot be written, which the run then failed on.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../media/media-helpers.js';
import { cli, smallClip, transcodeGraph } from './safety-helpers.js';

describe('small ones', () => {
  const dir = tempDir('framefuse-safety-small-');

  test('a CLI error prints its fix once', () => {
    const notVideo = join(dir, 'notes.mp4');
    writeFileSync(notVideo, 'plain text, not a video\n'.repeat(10));
    const r = cli(['run', 'graphs/transcode.json', '--set', `decoder.path=${notVideo}`, '--set', `encoder.path=${join(dir, 'o.mp4')}`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /error FF_MEDIA_NOT_VIDEO decoder\.path: .*is a text file, not a video/);
    assert.equal(r.stderr.match(/fix/gi)?.length, 1, r.stderr);
  });

  test('/dev/zero and a FIFO are named for what they are, by validate and by run, and nothing hangs', () => {
    const fifo = join(dir, 'pipe.mp4');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    for (const [path, kind] of [['/dev/zero', 'a character device'], [fifo, 'a named pipe \\(FIFO\\)']] as const) {
      const graphFile = join(dir, 'g.json');
      writeFileSync(graphFile, JSON.stringify(transcodeGraph(path, join(dir, 'o.mp4'))));
      const v = cli(['validate', graphFile]);
      assert.equal(v.code, 2);
      assert.match(v.stderr, new RegExp(`FF_MEDIA_NOT_FILE decoder\\.path: Input video ${path} is ${kind}, not a file`));
      assert.doesNotMatch(v.stderr, /empty/);
      const r = cli(['run', 'graphs/transcode.json', '--set', `decoder.path=${path}`, '--set', `encoder.path=${join(dir, 'o.mp4')}`]);
      assert.equal(r.code, 2);
      assert.doesNotMatch(r.stderr, /empty file/);
    }
  });

  test('validate catches a model file that is not ONNX, on every model parameter', () => {
    const textModel = join(dir, 'face.onnx');
    writeFileSync(textModel, 'this is not a model\n');
    const binary = join(dir, 'binary.onnx');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...Array(200).fill(0)]));
    const graphFile = join(dir, 'models.json');
    for (const [type, param] of [['Enhancer', 'faceModel'], ['Swapper', 'model'], ['Detector', 'modelPath']] as const) {
      for (const model of [textModel, binary]) {
        writeFileSync(graphFile, JSON.stringify({ schemaVersion: 1, name: 'm', nodes: [{ id: 'n', type, params: { [param]: model } }], edges: [] }));
        const r = cli(['validate', graphFile]);
        assert.match(r.stderr, new RegExp(`FF_MODEL_NOT_ONNX n\\.${param}: ${model} is not an ONNX model`), `${type}.${param}:\n${r.stderr}`);
      }
    }
  });

  test('validate catches an output folder the run could not write into', () => {
    const input = smallClip(join(dir, 'in.mp4'), 0.2);
    // Root writes into a mode-555 folder; sysfs refuses even root.
    let folder = '/sys/kernel';
    if (process.getuid?.() !== 0) {
      folder = join(dir, 'read-only');
      mkdirSync(folder);
      chmodSync(folder, 0o555);
    }
    const graphFile = join(dir, 'ro.json');
    writeFileSync(graphFile, JSON.stringify(transcodeGraph(input, join(folder, 'out.mp4'))));
    const v = cli(['validate', graphFile]);
    assert.equal(v.code, 2, v.stdout);
    assert.match(v.stderr, /FF_OUTPUT_NOT_WRITABLE encoder\.path: Cannot write into /);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    writeFileSync(graphFile, JSON.stringify(transcodeGraph(input, join(file, 'sub', 'out.mp4'))));
    assert.match(cli(['validate', graphFile]).stderr, /FF_OUTPUT_NOT_WRITABLE encoder\.path: .*is not a folder/);
  });
});
