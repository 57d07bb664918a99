/**
 * Data loss: runs never replace an existing file unless told to. A taken name means the
 * next free numbered one (out.mp4 -> out-1.mp4 -> out-2.mp4), taken atomically so racing
 * writers each keep their own file; `--overwrite` (CLI), `overwrite` (API, Encoder param)
 * replace; nothing ever replaces an upload. The CLI prints and the API returns the name
 * actually written.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { moveToFreeName } from '../../src/files/free-name.js';
import { tempDir } from '../media/media-helpers.js';
import { RunEventLog, startTestServer, type TestServer } from '../server/server-fixture.js';
import { cli, runEnd, sha256, smallClip, transcodeGraph } from './safety-helpers.js';

describe('no overwrite by default', () => {
  const dir = tempDir('framefuse-safety-ow-');
  const input = smallClip(join(dir, 'in.mp4'), 0.4);

  test('the CLI writes out.mp4, then out-1.mp4, and says so; --overwrite replaces out.mp4', () => {
    const graphFile = join(dir, 'g.json');
    writeFileSync(graphFile, JSON.stringify(transcodeGraph(input, join(dir, 'out.mp4'))));
    const first = cli(['run', graphFile]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /encoder: wrote .*\/out\.mp4\n/);
    const kept = sha256(join(dir, 'out.mp4'));
    writeFileSync(join(dir, 'out.mp4'), 'an older file someone cares about');
    const second = cli(['run', graphFile]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /encoder: wrote .*\/out-1\.mp4\n/);
    assert.equal(readFileSync(join(dir, 'out.mp4'), 'utf8'), 'an older file someone cares about', 'the existing file is untouched');
    assert.equal(sha256(join(dir, 'out-1.mp4')), kept, 'the new file is a whole output');
    const third = cli(['run', graphFile, '--overwrite']);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stderr, /encoder: wrote .*\/out\.mp4\n/);
    assert.equal(sha256(join(dir, 'out.mp4')), kept);
    assert.ok(!existsSync(join(dir, 'out-2.mp4')));
  });

  test('eight writers racing for one name each get their own, and nothing is lost', async () => {
    const race = tempDir('framefuse-safety-race-');
    const temps = Array.from({ length: 8 }, (_, i) => {
      const temp = join(race, `.t${i}.part`);
      writeFileSync(temp, `writer ${i}`);
      return temp;
    });
    const names = await Promise.all(temps.map((t) => moveToFreeName(t, join(race, 'out.mp4'))));
    assert.equal(new Set(names).size, 8);
    assert.deepEqual(readdirSync(race).sort(), ['out-1.mp4', 'out-2.mp4', 'out-3.mp4', 'out-4.mp4', 'out-5.mp4', 'out-6.mp4', 'out-7.mp4', 'out.mp4']);
    const contents = names.map((n) => readFileSync(n, 'utf8')).sort();
    assert.deepEqual(contents, temps.map((_, i) => `writer ${i}`).sort());
  });

  describe('over the API', () => {
    let server: TestServer;
    let log: RunEventLog;
    before(async () => {
      server = await startTestServer();
      log = new RunEventLog(await server.socket());
      copyFileSync(input, join(server.dataDir, 'uploads', 'clip.mp4'));
      copyFileSync(input, join(server.dataDir, 'uploads', 'other.mp4'));
    });
    after(() => server.stop());

    const run = async (body: unknown) => {
      const res = await server.api('POST', '/api/runs', body);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const id = res.body.run.id as string;
      return runEnd(log, id);
    };

    test('a run into a taken name writes the next free one, and its record says which', async () => {
      writeFileSync(join(server.dataDir, 'outputs', 'x.mp4'), 'earlier output');
      const done = await run({ graph: transcodeGraph('uploads/clip.mp4', 'outputs/x.mp4') });
      assert.equal(done.run.status, 'finished', JSON.stringify(done.run.error));
      assert.deepEqual(done.run.outputs.map((o: { path: string }) => o.path), ['outputs/x-1.mp4']);
      assert.equal(readFileSync(join(server.dataDir, 'outputs', 'x.mp4'), 'utf8'), 'earlier output');
      assert.ok(!JSON.stringify(done.run).includes(server.dataDir), 'no absolute server path in the record');
    });

    test('no run writes over an upload, even when the request says overwrite; without overwrite it takes a new name', async () => {
      const before = sha256(join(server.dataDir, 'uploads', 'other.mp4'));
      const refused = await run({ graph: transcodeGraph('uploads/clip.mp4', 'uploads/other.mp4'), overwrite: true });
      assert.equal(refused.run.status, 'failed');
      assert.equal(refused.run.error.code, 'FF_OUTPUT_PROTECTED');
      assert.equal(sha256(join(server.dataDir, 'uploads', 'other.mp4')), before);
      const renamed = await run({ graph: transcodeGraph('uploads/clip.mp4', 'uploads/other.mp4') });
      assert.equal(renamed.run.status, 'finished');
      assert.deepEqual(renamed.run.outputs.map((o: { path: string }) => o.path), ['uploads/other-1.mp4']);
      assert.equal(sha256(join(server.dataDir, 'uploads', 'other.mp4')), before);
    });

    test('overwrite (request or Encoder param) replaces an earlier output', async () => {
      writeFileSync(join(server.dataDir, 'outputs', 'y.mp4'), 'earlier');
      const byRequest = await run({ graph: transcodeGraph('uploads/clip.mp4', 'outputs/y.mp4'), overwrite: true });
      assert.deepEqual(byRequest.run.outputs.map((o: { path: string }) => o.path), ['outputs/y.mp4']);
      writeFileSync(join(server.dataDir, 'outputs', 'y.mp4'), 'earlier again');
      const byParam = await run({ graph: transcodeGraph('uploads/clip.mp4', 'outputs/y.mp4', { overwrite: true }) });
      assert.deepEqual(byParam.run.outputs.map((o: { path: string }) => o.path), ['outputs/y.mp4']);
      assert.notEqual(readFileSync(join(server.dataDir, 'outputs', 'y.mp4'), 'utf8'), 'earlier again');
    });
  });
});
