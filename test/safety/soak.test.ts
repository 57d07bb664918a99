/**
 * A soak: 20 real runs (Decoder -> Encoder) through one server, every one into the same
 * output name, with an upload and a validation between runs. Afterwards no ffmpeg is
 * running, no partial file is left, every run kept its own output (20 numbered files), and
 * the server's memory has not grown with the number of runs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { liveProcessCount } from '../../src/media/ffmpeg-process.js';
import { tempDir } from '../media/media-helpers.js';
import { RunEventLog, startTestServer, type TestServer } from '../server/server-fixture.js';
import { ffmpegChildren, partialFiles, smallClip, transcodeGraph } from './safety-helpers.js';

const RUNS = 20;
let server: TestServer;
let clip: Buffer;
before(async () => {
  server = await startTestServer();
  clip = readFileSync(smallClip(join(tempDir('framefuse-safety-soak-'), 'clip.mp4'), 0.4, true));
});
after(() => server.stop());

test(`${RUNS} runs in a row: no process, file or memory left behind`, { timeout: 240_000 }, async (t) => {
  const log = new RunEventLog(await server.socket());
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const up = await fetch(`${server.url}/api/uploads?name=soak.mp4`, { method: 'POST', headers: { ...server.auth, 'content-type': 'video/mp4' }, body: clip });
    assert.equal(up.status, 201);
    const input = ((await up.json()) as { path: string }).path;
    const graph = transcodeGraph(input, 'outputs/soak.mp4');
    assert.equal((await server.api('POST', '/api/validate', { graph })).body.valid, true);
    const queued = await server.api('POST', '/api/runs', { graph });
    assert.equal(queued.status, 202);
    const done = await log.wait(queued.body.run.id, 'run:finished', () => true, 60_000);
    assert.equal(done.run.outputs.length, 1);
    global.gc?.();
    rss.push(process.memoryUsage.rss());
  }
  const outputs = readdirSync(join(server.dataDir, 'outputs')).sort();
  assert.equal(outputs.length, RUNS, outputs.join(','));
  assert.deepEqual(partialFiles(join(server.dataDir, 'outputs')), []);
  assert.deepEqual(partialFiles(join(server.dataDir, 'uploads')), []);
  assert.equal(liveProcessCount(), 0, 'no ffmpeg this process started is running');
  assert.deepEqual(ffmpegChildren(process.pid).all, [], 'no ffmpeg child process');
  // Growth from the fifth run on (the first ones warm up caches and the JIT): a leak of a
  // frame buffer per run (a 64x48 frame: 9 KiB... a decoder's chunk: MiBs) would add up;
  // allocator noise stays within tens of MiB.
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  const growth = rss[RUNS - 1]! - rss[4]!;
  t.diagnostic(`RSS after run 1: ${mib(rss[0]!)} MiB, run 5: ${mib(rss[4]!)} MiB, run ${RUNS}: ${mib(rss[RUNS - 1]!)} MiB (max ${mib(Math.max(...rss))} MiB)`);
  assert.ok(growth < 64 * 2 ** 20, `RSS grew ${mib(growth)} MiB over ${RUNS - 5} runs`);
});
