/**
 * The farm's pure parts: where a video is cut, what a segment's graph is, the join's
 * ffmpeg command, the --farm URL check, and the run id that lets a submitter re-attach.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitAtKeyframes } from '../../src/farm/split.js';
import { segmentDocument } from '../../src/farm/segment-graph.js';
import { joinArgs } from '../../src/farm/join.js';
import { parseFarmUrl, redactUrl } from '../../src/farm/redis-connection.js';
import { farmRunId } from '../../src/farm/run-id.js';
import { startMediaServer } from '../../src/farm/media-server.js';
import { isFramefuseError } from '../../src/errors.js';
import { tempDir } from '../media/media-helpers.js';
import { transcodeGraph } from '../safety/safety-helpers.js';

describe('splitAtKeyframes', () => {
  test('cuts at the first keyframe at least a segment after the last cut; the segments cover the range exactly', () => {
    //  keyframes every 48 frames (2 s at 24 fps), segments of about 5 s (120 frames)
    const keys = Array.from({ length: 15 }, (_, i) => i * 48);
    const segments = splitAtKeyframes(keys, 0, 720, 24, 5);
    assert.deepEqual(segments.map((s) => [s.startFrame, s.endFrame]), [[0, 144], [144, 288], [288, 432], [432, 576], [576, 720]]);
    assert.deepEqual(segments.map((s) => s.index), [0, 1, 2, 3, 4]);
    assert.equal(segments[1]!.startSeconds, 6);
  });

  test('a trimmed range starts and ends where the trim says, between keyframes too', () => {
    const segments = splitAtKeyframes([0, 24, 48, 72, 96], 10, 90, 24, 1);
    assert.deepEqual(segments.map((s) => [s.startFrame, s.endFrame]), [[10, 48], [48, 72], [72, 90]]);
  });

  test('a short remainder joins the segment before; no keyframes means one segment', () => {
    assert.deepEqual(splitAtKeyframes([0, 24, 48], 0, 52, 24, 1).map((s) => [s.startFrame, s.endFrame]), [[0, 24], [24, 52]]);
    assert.deepEqual(splitAtKeyframes([0], 0, 500, 25, 2).map((s) => [s.startFrame, s.endFrame]), [[0, 500]]);
  });
});

test('a segment\'s graph limits the Decoder to its frames and has the Encoder write the segment, silent and in software; the run\'s document is not changed', () => {
  const document = transcodeGraph('in.mp4', 'out.mp4', { hardware: 'auto' });
  const before = structuredClone(document);
  const job = {
    runId: '0123456789abcdef',
    segment: { index: 2, startFrame: 48, endFrame: 72, startSeconds: 2, endSeconds: 3 },
    segmentCount: 4,
    document: document as unknown as Record<string, unknown>,
    decoderId: 'decoder',
    encoderId: 'encoder',
    cwd: '/work',
    media: 'shared' as const,
    source: '/work/in.mp4',
    segmentPath: '/work/.out.farm-0123456789abcdef/s00002/segment.mp4',
  };
  const segment = segmentDocument(job);
  const params = (id: string) => segment.nodes.find((n) => n.id === id)!.params;
  assert.deepEqual(params('decoder'), { path: '/work/in.mp4', start: 48, end: 72, unit: 'frames' });
  assert.equal(params('encoder').path, job.segmentPath);
  assert.equal(params('encoder').audio, 'drop');
  assert.equal(params('encoder').hardware, 'never');
  assert.equal(params('encoder').preset, 'ultrafast', 'the graph\'s own encoder settings stay');
  assert.deepEqual(document, before);
});

test('the join copies the video packets (no re-encode) and muxes the source audio once: copied when whole, cut and re-encoded when trimmed', () => {
  const whole = joinArgs('/s/concat.txt', { output: '/o/out.mp4', faststart: true, audio: { path: '/i/in.mp4', streamIndex: 1, codec: 'aac', start: 0, end: 10, whole: true, videoOffset: 0, mode: 'copy' } }, '/o/.out.part.mp4');
  assert.deepEqual(whole.slice(whole.indexOf('-f')), ['-f', 'concat', '-safe', '0', '-i', '/s/concat.txt', '-i', '/i/in.mp4', '-map', '0:v:0', '-map', '1:1', '-c:v', 'copy', '-c:a', 'copy', '-map_metadata', '-1', '-movflags', '+faststart', '-f', 'mp4', '/o/.out.part.mp4']);
  // The run's graph replaces the segments' tags; mp4 keeps a custom tag only with use_metadata_tags.
  const tagged = joinArgs('/s/concat.txt', { output: '/o/out.mp4', faststart: true, audio: null, graph: '{"name":"g"}' }, '/o/p.mp4');
  assert.deepEqual(tagged.slice(tagged.indexOf('-map_metadata'), tagged.indexOf('-f', tagged.indexOf('-map_metadata'))), ['-map_metadata', '-1', '-metadata', 'framefuse_graph={"name":"g"}', '-movflags', '+faststart+use_metadata_tags']);
  const trimmed = joinArgs('/s/concat.txt', { output: '/o/out.mkv', faststart: true, audio: { path: '/i/in.mp4', streamIndex: 1, codec: 'aac', start: 2, end: 5, whole: false, videoOffset: 0, mode: 'copy' } }, '/o/.out.part.mkv');
  assert.deepEqual(trimmed.slice(trimmed.indexOf('-ss'), trimmed.indexOf('-map')), ['-ss', '2.000000', '-t', '3.000000', '-i', '/i/in.mp4']);
  assert.ok(trimmed.includes('aac') && !trimmed.includes('+faststart'));
  const silent = joinArgs('/s/concat.txt', { output: '/o/out.mp4', faststart: false, audio: null }, '/o/p.mp4');
  assert.ok(silent.includes('-an') && !silent.includes('-movflags'));
});

test('--farm takes redis:// and rediss:// URLs with an optional database; anything else is a user error saying the form', () => {
  assert.equal(parseFarmUrl('redis://head:6379/2'), 'redis://head:6379/2');
  assert.equal(parseFarmUrl('rediss://user:secret@head:6380'), 'rediss://user:secret@head:6380');
  assert.equal(redactUrl('redis://user:secret@head:6379/0'), 'redis://user:***@head:6379/0');
  for (const bad of ['head:6379', 'http://head:6379', 'redis://head:6379/queue', '']) {
    assert.throws(() => parseFarmUrl(bad), (e: unknown) => isFramefuseError(e) && e.code === 'FF_FARM_URL_INVALID' && e.kind === 'user' && /redis:\/\/host:6379/.test(e.fix ?? ''), bad);
  }
});

test('the run id is the same for the same run (key order aside) and differs when the graph, output or segment length does', async () => {
  const dir = tempDir('framefuse-farm-id-');
  const source = join(dir, 'in.mp4');
  writeFileSync(source, 'not a real video, only hashed by size and time');
  const document = transcodeGraph(source, 'out.mp4');
  const base = { document, source, output: '/o/out.mp4', segmentSeconds: 30, media: 'shared' };
  const id = await farmRunId(base);
  assert.match(id, /^[0-9a-f]{16}$/);
  const reordered = Object.fromEntries(Object.entries(document).reverse());
  assert.equal(await farmRunId({ ...base, document: reordered }), id);
  assert.notEqual(await farmRunId({ ...base, output: '/o/other.mp4' }), id);
  assert.notEqual(await farmRunId({ ...base, segmentSeconds: 10 }), id);
  assert.notEqual(await farmRunId({ ...base, document: transcodeGraph(source, 'out.mp4', { quality: 90 }) }), id);
});

test('the stream endpoint answers only with the run\'s token, only for the run\'s segments, and takes uploads up to their declared size', async () => {
  const dir = tempDir('framefuse-farm-media-');
  const run = {
    runId: '0123456789abcdef',
    state: 'running' as const,
    createdAt: '',
    source: join(dir, 'in.mp4'),
    output: join(dir, 'out.mp4'),
    segmentDir: dir,
    segments: [{ index: 0, startFrame: 0, endFrame: 10, startSeconds: 0, endSeconds: 1 }],
    frames: 10,
    fps: 10,
    stream: null,
  };
  const { mkdirSync, readFileSync } = await import('node:fs');
  mkdirSync(join(dir, 'input'));
  writeFileSync(join(dir, 'input', 's00000.mp4'), 'segment input bytes');
  const token = 'a'.repeat(48);
  const server = await startMediaServer({ host: '127.0.0.1', port: 0, token, run, segmentPath: (i) => join(dir, `s${i}`, 'segment.mp4') });
  const base = `http://127.0.0.1:${server.port}/farm/${run.runId}`;
  const auth = { authorization: `Bearer ${token}` };
  try {
    assert.equal((await fetch(`${base}/input/0`)).status, 401);
    assert.equal((await fetch(`${base}/input/0`, { headers: { authorization: `Bearer ${'b'.repeat(48)}` } })).status, 401);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/farm/ffffffffffffffff/input/0`, { headers: auth })).status, 404);
    assert.equal((await fetch(`${base}/input/1`, { headers: auth })).status, 404, 'no segment 1 in this run');
    assert.equal((await fetch(`${base}/input/..%2F..%2Fetc%2Fpasswd`, { headers: auth })).status, 404);
    const got = await fetch(`${base}/input/0`, { headers: auth });
    assert.equal(await got.text(), 'segment input bytes');
    const put = await fetch(`${base}/output/0`, { method: 'PUT', headers: auth, body: 'rendered' });
    assert.equal(put.status, 200);
    assert.equal(readFileSync(join(dir, 's0', 'segment.mp4'), 'utf8'), 'rendered');
  } finally {
    await server.close();
  }
});
