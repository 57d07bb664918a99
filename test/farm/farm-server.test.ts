/**
 * The editor's server on a render farm (`framefuse serve --farm`), with real parts: a
 * redis-server on a free port, worker processes of the CLI, the server in this process.
 *
 *   POST /api/runs --> run queue --> submitFarmRun --(jobs)--> Redis <-- worker
 *        socket: run:started, run:farm (segments, workers), run:finished (the joined output)
 *
 * Also: a cancel from the editor removes the run's jobs and writes nothing, and a run
 * left queued while Redis was unreachable is removed by `framefuse farm clean`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpeg } from '../media/media-helpers.js';
import { cli, exitOf, transcodeGraph } from '../safety/safety-helpers.js';
import { RunEventLog, startTestServer, type TestServer } from '../server/server-fixture.js';
import { submitFarmRun } from '../../src/farm/submit.js';
import { readEmbeddedGraph } from '../../src/media/graph-tag.js';
import { validateGraph } from '../../src/graph/validate.js';
import { testRegistry } from '../helpers.js';
import type { GraphDocument } from '../../src/model/document.js';
import { decodeFrames, jobKeys, redisClient, startCli, startRedis, startWorker, stopAll, type TestRedis } from './farm-helpers.js';

const CLIP = 'samples/tears_of_steel_clip01_640x360.mp4';

/** A document and its resolved graph, as the CLI and the server hand them to the farm. */
async function resolved(document: GraphDocument) {
  const { graph, problems } = await validateGraph(document, await testRegistry());
  if (!graph) throw new Error(problems.map((p) => p.message).join('\n'));
  return { document, graph };
}

describe('serve --farm: the editor server submits runs to a farm', () => {
  let redis: TestRedis;
  let server: TestServer;
  const media = mkdtempSync(join(tmpdir(), 'framefuse-farm-server-'));
  const small = join(media, 'small.mp4');

  before(async () => {
    ffmpeg(['-i', CLIP, '-t', '3', '-vf', 'scale=320:180', '-g', '24', '-keyint_min', '24', '-sc_threshold', '0', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', small]);
    redis = await startRedis();
    server = await startTestServer({ farm: { url: redis.url(1), segmentSeconds: 1 } });
    copyFileSync(small, join(server.dataDir, 'uploads', 'small.mp4'));
  });
  after(async () => {
    await server?.stop();
    await stopAll();
  });

  test('a run from the editor renders on the farm: run:farm events say where each segment is, and the output is listed', async () => {
    const worker = await startWorker(redis.url(1), 'farm-w1');
    try {
      const events = new RunEventLog(await server.socket());
      const posted = await server.api('POST', '/api/runs', { graph: transcodeGraph('uploads/small.mp4', 'outputs/farmed.mp4') });
      assert.equal(posted.status, 202, JSON.stringify(posted.body));
      const id = posted.body.run.id as string;
      const ended = await events.wait(id, 'run:finished', () => true, 60_000);
      assert.equal(ended.run.status, 'finished', JSON.stringify(ended.run.error));
      assert.equal(ended.run.framesDone, 72);
      assert.deepEqual(ended.run.outputs.map((o: { path: string }) => o.path), ['outputs/farmed.mp4']);
      assert.equal(decodeFrames(join(server.dataDir, 'outputs', 'farmed.mp4'), 320, 180).length, 72);
      // The joined output carries the run's graph, not a segment's (whose Decoder is trimmed).
      const carried = JSON.parse((await readEmbeddedGraph(join(server.dataDir, 'outputs', 'farmed.mp4')))!);
      assert.deepEqual(carried.nodes.map((n: { params: unknown }) => n.params), transcodeGraph('uploads/small.mp4', 'outputs/farmed.mp4').nodes.map((n) => n.params));
      // The farm's progress reached the editor: three segments, all done by the worker at the end.
      const farm = events.events.filter((e) => e.runId === id && e.name === 'run:farm').map((e) => e.payload.progress);
      assert.ok(farm.length > 0, 'run:farm events were sent');
      const last = farm[farm.length - 1];
      assert.equal(last.segmentList.length, 3);
      assert.ok(last.segmentList.every((s: { state: string; worker: string }) => s.state === 'done' && s.worker === 'farm-w1'), JSON.stringify(last.segmentList));
      assert.equal(ended.run.farm.framesDone, 72);
      const client = redisClient(redis.url(1));
      try {
        assert.deepEqual(await jobKeys(client), []);
      } finally {
        client.disconnect();
      }
    } finally {
      worker.kill('SIGKILL');
    }
  });

  test('cancel from the editor removes the run\'s jobs and leaves no output', async () => {
    // No worker on database 2: the segments wait in the queue.
    const url = redis.url(2);
    const queued = await startTestServer({ farm: { url, segmentSeconds: 1 } });
    try {
      copyFileSync(small, join(queued.dataDir, 'uploads', 'small.mp4'));
      const log = new RunEventLog(await queued.socket());
      const posted = await queued.api('POST', '/api/runs', { graph: transcodeGraph('uploads/small.mp4', 'outputs/never.mp4') });
      const id = posted.body.run.id as string;
      const waiting = await log.wait(id, 'run:farm', (p) => p.progress.segmentList.length === 3, 20_000);
      assert.ok(waiting.progress.segmentList.every((s: { state: string }) => s.state === 'waiting'));
      const client = redisClient(url);
      try {
        assert.equal((await client.keys('framefuse:farm-run:*')).length, 1);
        assert.ok((await jobKeys(client)).length >= 3, 'the segments are queued');
        assert.equal((await queued.api('POST', `/api/runs/${id}/cancel`)).status, 202);
        const ended = await log.wait(id, 'run:cancelled', () => true, 20_000);
        assert.equal(ended.run.status, 'cancelled');
        assert.deepEqual(await jobKeys(client), []);
        assert.deepEqual(await client.keys('framefuse:farm-run:*'), []);
      } finally {
        client.disconnect();
      }
      assert.equal(existsSync(join(queued.dataDir, 'outputs', 'never.mp4')), false);
      assert.deepEqual(readdirSync(join(queued.dataDir, 'outputs')).filter((n) => n.includes('never')), [], 'no segment folder or partial file');
    } finally {
      await queued.stop();
    }
  });

  test('a run left queued while Redis was unreachable is removed by `framefuse farm clean`; a followed run is kept', async () => {
    // A Redis that keeps its data across a restart (append-only file), as a real one does.
    const dir = mkdtempSync(join(tmpdir(), 'framefuse-redis-'));
    const durable = await startRedis(['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always']);
    const url = durable.url(0);
    const controller = new AbortController();
    const lines: string[] = [];
    const output = join(media, 'orphan.mp4');
    const submitted = submitFarmRun({
      url,
      ...(await resolved(transcodeGraph(small, output))),
      segmentSeconds: 1,
      media: 'shared',
      cwd: media,
      signal: controller.signal,
      heartbeatMs: 1000,
      pollMs: 100,
      onLog: (line) => lines.push(line),
    }).catch((e: unknown) => e as Error);
    let client = redisClient(url);
    const deadline = Date.now() + 10_000;
    while ((await jobKeys(client)).length < 3) {
      assert.ok(Date.now() < deadline, 'segments queued');
      await new Promise((r) => setTimeout(r, 100));
    }
    // While its submitter follows it, clean leaves the run alone.
    // (Started without blocking this process: the submitter in it keeps refreshing its mark.)
    const kept = startCli(['farm', 'clean', url, '--json']);
    assert.equal((await exitOf(kept)).code, 0, kept.output());
    assert.equal(JSON.parse(kept.output()).followed.length, 1, kept.output());
    client.disconnect();
    await durable.stop(); // Redis goes away ...
    const seen = Date.now() + 10_000;
    while (!lines.some((l) => l.startsWith('redis:'))) {
      assert.ok(Date.now() < seen, `the submitter saw Redis go: ${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    controller.abort(); // ... and the submitter is cancelled meanwhile
    const error = await submitted;
    assert.match(String(error), /cancel/i);
    assert.ok(lines.some((l) => /framefuse farm clean/.test(l)), lines.join('\n'));
    const back = await startRedis(['--dir', dir, '--appendonly', 'yes'], durable.port);
    client = redisClient(back.url(0));
    try {
      assert.equal((await client.keys('framefuse:farm-run:*')).length, 1, 'the run is still queued after the restart');
      await new Promise((r) => setTimeout(r, 1200)); // the submitter's mark expires
      const cleaned = cli(['farm', 'clean', back.url(0), '--json']);
      assert.equal(cleaned.code, 0, cleaned.stderr);
      const result = JSON.parse(cleaned.stdout);
      assert.equal(result.removed.length, 1);
      assert.deepEqual(await jobKeys(client), []);
      assert.deepEqual(await client.keys('framefuse:farm-run:*'), []);
      assert.equal(existsSync(output), false);
      assert.equal(cli(['farm', 'clean', back.url(0)]).stdout.trim(), `no farm runs on ${back.url(0)}`);
    } finally {
      client.disconnect();
    }
  });
});
