/**
 * Bypass from the command line, on the real clip: graphs/anonymize.json with its Anonymizer
 * bypassed writes the decoded frames unchanged (faces not blurred, every pixel exact in a
 * lossless output), while the same graph without the bypass changes the face pixels. The
 * Detector that only fed the Anonymizer does not run.
 *
 *   [Decoder] -> [Batcher] -> [Detector] -> [Anonymizer (bypassed)] -> [Encoder rgb24]
 *                        \_______________________/
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphDocument } from '../../src/model/document.js';
import { decodeAll } from '../media/media-helpers.js';
import { clipFrames } from '../face-nodes/face-helpers.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ff-bypass-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Frames 100-105 of the clip (the man with glasses), lossless, the Anonymizer bypassed or not. */
function writeGraph(bypassed: boolean, out: string): string {
  const doc = JSON.parse(readFileSync('graphs/anonymize.json', 'utf8')) as GraphDocument;
  doc.nodes = doc.nodes.map((n) => {
    if (n.id === 'decoder') return { ...n, params: { ...n.params, path: join(process.cwd(), n.params.path as string), start: 100, end: 106 } };
    if (n.id === 'encoder') return { ...n, params: { ...n.params, path: out, quality: 100, pixelFormat: 'rgb24', preset: 'ultrafast' } };
    if (n.id === 'anonymizer' && bypassed) return { ...n, bypass: true };
    return n;
  });
  const file = join(dir, `anonymize-${bypassed ? 'bypassed' : 'on'}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

function differingPixels(a: { data: Uint8Array }, b: { data: Uint8Array }): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 3) if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) n++;
  return n;
}

test('framefuse run: a bypassed Anonymizer passes the frames through, faces unblurred', async () => {
  const original = await clipFrames(100, 106);
  const outputs: Record<string, { data: Uint8Array }[]> = {};
  for (const bypassed of [true, false]) {
    const out = join(dir, `out-${bypassed}.mkv`);
    const plan = spawnSync(process.execPath, ['bin/framefuse.js', 'plan', writeGraph(bypassed, out)], { encoding: 'utf8' });
    assert.equal(plan.status, 0, plan.stderr);
    assert.equal(/anonymizer/.test(plan.stdout), !bypassed, plan.stdout);
    assert.equal(/detector/.test(plan.stdout), !bypassed, `the Detector runs only for the Anonymizer:\n${plan.stdout}`);
    const run = spawnSync(process.execPath, ['bin/framefuse.js', 'run', writeGraph(bypassed, out)], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    outputs[String(bypassed)] = (await decodeAll({ path: out })).frames;
  }
  const bypassed = outputs['true']!;
  assert.equal(bypassed.length, 6);
  bypassed.forEach((frame, i) => assert.equal(differingPixels(frame, original[i]!), 0, `frame ${100 + i} passed through exactly`));
  // Without the bypass the same graph blurs the face: the test could fail.
  const blurred = outputs['false']!.reduce((sum, frame, i) => sum + differingPixels(frame, original[i]!), 0);
  assert.ok(blurred > 1000, `only ${blurred} pixels changed with the Anonymizer on`);
});
