/**
 * The cases the hostile test found holding, kept holding: bad media and bad graphs get
 * clear errors (never a 500, never a server path), a cancelled run leaves no ffmpeg and no
 * partial file, an ffmpeg killed under a server run fails that run only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveProcessCount } from '../../src/media/ffmpeg-process.js';
import { gone } from '../helpers.js';
import { makeClip, tempDir } from '../media/media-helpers.js';
import { RunEventLog, startTestServer, type TestServer } from '../server/server-fixture.js';
import { ffmpegChildren, partialFiles, runEnd, smallClip, transcodeGraph, waitFor } from './safety-helpers.js';

describe('held', () => {
  let server: TestServer;
  let log: RunEventLog;
  before(async () => {
    server = await startTestServer();
    log = new RunEventLog(await server.socket());
    const dir = tempDir('framefuse-safety-held-');
    copyFileSync(smallClip(join(dir, 'clip.mp4'), 0.4), join(server.dataDir, 'uploads', 'clip.mp4'));
    copyFileSync(makeClip(join(dir, 'long.mp4'), { width: 320, height: 240, fps: 25, seconds: 8 }), join(server.dataDir, 'uploads', 'long.mp4'));
  });
  after(() => server.stop());

  const queue = async (graph: unknown) => {
    const res = await server.api('POST', '/api/runs', { graph });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body.run.id as string;
  };
  const ended = (id: string) => runEnd(log, id);

  test('bad media: text, a still image, an empty file, a truncated video: a failed run with a clear code, no output, no server path', async () => {
    const uploads = join(server.dataDir, 'uploads');
    writeFileSync(join(uploads, 'text.mp4'), 'not a video\n'.repeat(50));
    copyFileSync('samples/astronaut.png', join(uploads, 'still.mp4'));
    writeFileSync(join(uploads, 'empty.mp4'), '');
    const whole = readFileSync(join(uploads, 'long.mp4'));
    writeFileSync(join(uploads, 'cut.mp4'), whole.subarray(0, whole.length >> 1));
    const expected: Record<string, string> = { 'text.mp4': 'FF_MEDIA_NOT_VIDEO', 'still.mp4': 'FF_MEDIA_NOT_VIDEO', 'empty.mp4': 'FF_MEDIA_EMPTY', 'cut.mp4': 'FF_MEDIA_CORRUPT' };
    for (const [name, code] of Object.entries(expected)) {
      const done = await ended(await queue(transcodeGraph(`uploads/${name}`, `outputs/${name}`)));
      assert.equal(done.run.status, 'failed', name);
      assert.equal(done.run.error.code, code, `${name}: ${done.run.error.message}`);
      assert.equal(done.run.error.node, 'decoder');
      assert.ok(!JSON.stringify(done.run).includes(server.dataDir), `${name}: a server path in ${JSON.stringify(done.run.error)}`);
    }
    assert.deepEqual(readdirSync(join(server.dataDir, 'outputs')), []);
  });

  test('bad graphs: every malformed body gets an answer with problems, never a 500', async () => {
    const bodies: unknown[] = [
      null, 42, 'graph', [], {}, { nodes: 'x' }, { schemaVersion: 1, nodes: [{}] }, { schemaVersion: 99, nodes: [], edges: [] },
      { schemaVersion: 1, nodes: [{ id: 'a', type: 'Decoder' }, { id: 'a', type: 'Decoder' }], edges: [] },
      { schemaVersion: 1, nodes: [{ id: 'a', type: 'Batcher' }], edges: [{ from: { node: 'a', port: 'frames' }, to: { node: 'a', port: 'frames' } }] },
      { schemaVersion: 1, nodes: [{ id: 'x'.repeat(5000), type: 'y'.repeat(5000) }], edges: [] },
      { schemaVersion: 1, nodes: [{ id: '__proto__', type: 'constructor', params: { __proto__: { polluted: true } } }], edges: [] },
    ];
    for (const graph of bodies) {
      const res = await server.api('POST', '/api/validate', { graph });
      assert.equal(res.status, 200, `${JSON.stringify(graph).slice(0, 80)}: ${res.status}`);
      assert.equal(res.body.valid, false);
      assert.ok(res.body.problems.length > 0 && res.body.problems.every((p: { code: string }) => /^FF_[A-Z_]+$/.test(p.code)));
    }
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  test('cancelling a running run over the API leaves no ffmpeg and no partial file', async () => {
    const id = await queue(transcodeGraph('uploads/long.mp4', 'outputs/cancelled.mp4', { preset: 'veryslow' }));
    await log.wait(id, 'run:progress', (p) => p.framesDone > 0, 60_000);
    assert.ok(liveProcessCount() >= 1);
    assert.equal((await server.api('POST', `/api/runs/${id}/cancel`)).status, 202);
    assert.equal((await ended(id)).run.status, 'cancelled');
    assert.equal(liveProcessCount(), 0);
    assert.deepEqual(partialFiles(join(server.dataDir, 'outputs')), []);
    assert.deepEqual(readdirSync(join(server.dataDir, 'outputs')), []);
  });

  test("kill -9 of a run's ffmpeg: that run fails with FF_FFMPEG_KILLED, the server keeps serving", async () => {
    const id = await queue(transcodeGraph('uploads/long.mp4', 'outputs/killed.mp4', { preset: 'veryslow' }));
    await log.wait(id, 'run:progress', (p) => p.framesDone > 0, 60_000);
    const { all: ffmpegs, decoder } = ffmpegChildren(process.pid);
    assert.ok(decoder, `the decoder's ffmpeg among ${ffmpegs.join(',')}`);
    process.kill(decoder, 'SIGKILL');
    const done = await ended(id);
    assert.equal(done.run.status, 'failed');
    assert.equal(done.run.error.code, 'FF_FFMPEG_KILLED');
    assert.match(done.run.error.message, /SIGKILL/);
    for (const pid of ffmpegs) assert.ok(await gone(pid, 3000));
    assert.ok(await waitFor(() => partialFiles(join(server.dataDir, 'outputs')).length === 0, 3000));
    const next = await ended(await queue(transcodeGraph('uploads/clip.mp4', 'outputs/after.mp4')));
    assert.equal(next.run.status, 'finished');
  });
});
