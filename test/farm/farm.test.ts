/**
 * The render farm end to end, with real parts: a redis-server on a free port, worker
 * processes of the CLI (`framefuse worker`), submitters (`framefuse run --farm`), ffmpeg.
 *
 *   submitter --(segment jobs)--> Redis <--(take, render, write segment)-- worker x2
 *       \--(join: concat demuxer, audio once)--> output
 *
 * Each fault case has its own Redis database (and its own workers), so no case's workers
 * take another's segments.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpeg, tempDir } from '../media/media-helpers.js';
import { cli, exitOf, transcodeGraph, waitFor } from '../safety/safety-helpers.js';
import { decodeFrames, hasAudio, jobKeys, killHard, meanDiff, redisClient, startCli, startRedis, startWorker, stopAll, type Cli, type TestRedis } from './farm-helpers.js';

const CLIP = 'samples/tears_of_steel_clip01_640x360.mp4';

describe('render farm (BullMQ on a real redis-server)', () => {
  const dir = tempDir('framefuse-farm-');
  let redis: TestRedis;
  let workers: Cli[] = [];
  /** 4 s, 320x180, a keyframe every second, with a sine audio track: 96 frames, 4 segments of 1 s. */
  let small: string;
  /** 3.0-7.0 s of the clip (a man's face throughout), 640x360, a keyframe every second. */
  let faces: string;

  before(async () => {
    const gop = ['-g', '24', '-keyint_min', '24', '-sc_threshold', '0', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
    small = join(dir, 'small.mp4');
    ffmpeg(['-i', CLIP, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '4', '-vf', 'scale=320:180', ...gop, '-c:a', 'aac', '-b:a', '96k', '-shortest', small]);
    faces = join(dir, 'faces.mp4');
    ffmpeg(['-ss', '3', '-i', CLIP, '-t', '4', ...gop, faces]);
    redis = await startRedis();
    workers = await Promise.all([startWorker(redis.url(0), 'w1'), startWorker(redis.url(0), 'w2')]);
  });
  after(stopAll);

  const writeGraph = (name: string, document: unknown) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(document));
    return path;
  };
  /** Submits the anonymize graph on the faces clip to the farm at `url`, in 1 s segments, writing `<name>.mp4`. */
  const submitAnonymize = (name: string, url: string) => {
    const out = join(dir, `${name}.mp4`);
    const anonymize = JSON.parse(readFileSync('graphs/anonymize.json', 'utf8'));
    const submitter = startCli(['run', writeGraph(name, anonymize), '--set', `decoder.path=${faces}`, '--set', `encoder.path=${out}`, '--farm', url, '--segment-seconds', '1']);
    return { out, submitter };
  };
  const leftovers = (prefix: string) => readdirSync(dir).filter((n) => n.startsWith(`.${prefix}`));

  test('transcode: the joined output is pixel-identical after decode to a single-machine run, with the audio muxed once', async () => {
    const lossless = { quality: 100 };
    const single = join(dir, 'single.mp4');
    const farmed = join(dir, 'farmed.mp4');
    assert.equal(cli(['run', writeGraph('single', transcodeGraph(small, single, lossless)), '--quiet', '--provider', 'cpu']).code, 0);
    const run = cli(['run', writeGraph('farmed', transcodeGraph(small, farmed, lossless)), '--farm', redis.url(0), '--segment-seconds', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /4 segments of about 1 s, 96 frames/);
    const a = decodeFrames(single, 320, 180);
    const b = decodeFrames(farmed, 320, 180);
    assert.equal(a.length, 96);
    assert.equal(b.length, a.length, 'same frame count');
    b.forEach((frame, i) => assert.ok(frame.equals(a[i]!), `frame ${i} differs from the single-machine run`));
    assert.ok(hasAudio(farmed), 'the source audio is in the joined file');
    // The workers rendered the four segments between them, and nothing of the run is left: no segment folder, no jobs.
    // (Their logs are read once the event loop turns again: cli() above blocked it.)
    const rendered = () => workers.map((w) => (w.output().match(/frames in/g) ?? []).length);
    assert.ok(await waitFor(() => rendered()[0]! + rendered()[1]! === 4, 5000), `segments per worker: ${rendered().join(', ')}`);
    assert.deepEqual(leftovers('farmed'), []);
    const client = redisClient(redis.url(0));
    try {
      assert.deepEqual(await jobKeys(client), []);
      assert.deepEqual(await client.keys('framefuse:farm-run:*'), []);
    } finally {
      client.disconnect();
    }
  });

  test('anonymize: same frame count as a single-machine run, and faces blurred alike on both sides of every segment boundary', async () => {
    const anonymize = JSON.parse(readFileSync('graphs/anonymize.json', 'utf8'));
    const graphFile = writeGraph('anonymize', anonymize);
    const single = join(dir, 'anon-single.mp4');
    const farmed = join(dir, 'anon-farmed.mp4');
    const common = ['--set', `decoder.path=${faces}`, '--set', 'encoder.quality=100', '--provider', 'cpu'];
    assert.equal(cli(['run', graphFile, ...common, '--set', `encoder.path=${single}`, '--quiet']).code, 0);
    const run = cli(['run', graphFile, ...common, '--set', `encoder.path=${farmed}`, '--farm', redis.url(0), '--segment-seconds', '1']);
    assert.equal(run.code, 0, run.stderr);
    const source = decodeFrames(faces, 320, 180);
    const a = decodeFrames(single, 320, 180);
    const b = decodeFrames(farmed, 320, 180);
    assert.equal(a.length, 96);
    assert.equal(b.length, a.length, 'same frame count');
    // Segments start at 24, 48, 72: the frames either side of each boundary are blurred
    // (they differ from the source) as the single run blurs them.
    for (const i of [23, 24, 47, 48, 71, 72]) {
      const blurred = meanDiff(a[i]!, source[i]!);
      assert.ok(blurred > 0.5, `frame ${i}: the single run blurred a face (differs from the source by ${blurred.toFixed(2)})`);
      const apart = meanDiff(a[i]!, b[i]!);
      assert.ok(apart < blurred / 10, `frame ${i}: the farm's frame is the single run's (apart ${apart.toFixed(3)}, blur ${blurred.toFixed(2)})`);
    }
    // Detecting every 5th frame and tracking between: the tracker restarts at each segment,
    // whose first frame is always a detection frame. The faces stay blurred across the cut.
    const tracked = join(dir, 'anon-every5.mp4');
    const every = cli(['run', graphFile, ...common, '--set', 'detector.every=5', '--set', `encoder.path=${tracked}`, '--farm', redis.url(0), '--segment-seconds', '1']);
    assert.equal(every.code, 0, every.stderr);
    const c = decodeFrames(tracked, 320, 180);
    assert.equal(c.length, 96);
    for (const i of [22, 23, 24, 25, 46, 47, 48, 49, 70, 71, 72, 73]) {
      assert.ok(meanDiff(c[i]!, source[i]!) > meanDiff(a[i]!, source[i]!) / 3, `frame ${i}: blurred with detection every 5th frame too`);
    }
  });

  test('a segment with corrupt data fails the run with a clear error naming the segment; no output, no jobs left', async () => {
    const bytes = Buffer.from(readFileSync(small));
    // Damage inside the third segment's frames (mdat follows the index in a faststart file; plain mp4 keeps it first).
    bytes.fill(0x5a, Math.floor(bytes.length * 0.6), Math.floor(bytes.length * 0.6) + 4000);
    const damaged = join(dir, 'damaged.mp4');
    writeFileSync(damaged, bytes);
    const out = join(dir, 'damaged-out.mp4');
    const run = cli(['run', writeGraph('damaged', transcodeGraph(damaged, out)), '--farm', redis.url(0), '--segment-seconds', '1']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /error FF_FARM_SEGMENT_FAILED decoder: Segment \d\/4 \(frames \d+-\d+, [\d.]+-[\d.]+ s of .*damaged\.mp4\) failed: FF_MEDIA_CORRUPT/);
    assert.equal(existsSync(out), false);
    assert.deepEqual(leftovers('damaged-out'), []);
    const client = redisClient(redis.url(0));
    try {
      assert.deepEqual(await jobKeys(client), []);
    } finally {
      client.disconnect();
    }
  });

  test('a submitter killed mid-run re-attaches to its run when started again with the same command', async () => {
    const out = join(dir, 'reattach.mp4');
    const graphFile = writeGraph('reattach', transcodeGraph(small, out, { quality: 100 }));
    const args = ['run', graphFile, '--farm', redis.url(0), '--segment-seconds', '1'];
    const before = workers.map((w) => w.output().length);
    const first = startCli(args);
    assert.ok(await waitFor(() => workers.some((w, i) => w.output().slice(before[i]).includes(': started')), 30_000), 'a worker started a segment');
    killHard(first);
    await exitOf(first);
    const again = cli(args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /re-attaching to farm run [0-9a-f]{16}/);
    assert.equal(decodeFrames(out, 320, 180).length, 96);
  });

  test('--media stream: workers download each segment\'s input from the submitter and upload the result; pixel-identical all the same', async () => {
    const url = redis.url(3);
    const remote = await startWorker(url, 'remote');
    const out = join(dir, 'streamed.mp4');
    const run = cli(['run', writeGraph('streamed', transcodeGraph(small, out, { quality: 100 })), '--farm', url, '--segment-seconds', '1', '--media', 'stream', '--media-host', '127.0.0.1']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /serving segment media to workers at http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(await waitFor(() => (remote.output().match(/input downloaded from http:\/\/127\.0\.0\.1/g) ?? []).length === 4, 5000), remote.output());
    const frames = decodeFrames(out, 320, 180);
    const reference = decodeFrames(join(dir, 'single.mp4'), 320, 180);
    assert.equal(frames.length, 96);
    frames.forEach((frame, i) => assert.ok(frame.equals(reference[i]!), `frame ${i}`));
    assert.ok(hasAudio(out));
    assert.deepEqual(leftovers('streamed'), []);
  });

  test('a worker killed with SIGKILL mid-segment: BullMQ hands its segment to another worker and the run has every frame', async () => {
    const url = redis.url(1);
    const doomed = await startWorker(url, 'doomed');
    const out = join(dir, 'survived.mp4');
    const submitter = startCli(['run', writeGraph('survived', transcodeGraph(small, out, { quality: 100 })), '--farm', url, '--segment-seconds', '1']);
    assert.ok(await waitFor(() => doomed.output().includes(': started'), 30_000), doomed.output());
    killHard(doomed);
    const rescuer = await startWorker(url, 'rescuer');
    const end = await exitOf(submitter);
    assert.equal(end.code, 0, submitter.output());
    assert.equal((rescuer.output().match(/frames in/g) ?? []).length, 4, `the rescuer rendered every segment, the dead worker's too:\n${rescuer.output()}`);
    const frames = decodeFrames(out, 320, 180);
    const reference = decodeFrames(join(dir, 'single.mp4'), 320, 180);
    assert.equal(frames.length, 96);
    frames.forEach((frame, i) => assert.ok(frame.equals(reference[i]!), `frame ${i}`));
  });

  test('a worker takes its next segment once the last one has given back its model stages, while that one still finishes', async () => {
    const url = redis.url(4);
    const solo = await startWorker(url, 'solo');
    const { out, submitter } = submitAnonymize('overlapped', url);
    const end = await exitOf(submitter);
    assert.equal(end.code, 0, submitter.output());
    assert.equal(decodeFrames(out, 320, 180).length, 96);
    assert.ok(await waitFor(() => (solo.output().match(/frames in/g) ?? []).length === 4, 5000), solo.output());
    // In the worker's log, where segment k+1 started and where segment k ended.
    const lines = solo.output().split('\n');
    const at = (k: number, what: string) => lines.findIndex((l) => l.includes(`segment ${k}/4 `) && l.includes(what));
    const overlapped = [1, 2, 3].filter((k) => at(k + 1, ': started') < at(k, 'frames in'));
    // Each segment's last frames are still being encoded when the next one starts; on a
    // loaded machine one boundary may go either way, not all three.
    assert.ok(overlapped.length >= 1, `no segment started before the one before it ended:\n${solo.output()}`);
  });

  test('Ctrl-C on the submitter cancels: exit 130, the run\'s jobs removed, no output and no segment files', async () => {
    const url = redis.url(2);
    const worker = await startWorker(url, 'busy');
    const { out, submitter } = submitAnonymize('cancelled', url);
    assert.ok(await waitFor(() => worker.output().includes(': started'), 30_000), worker.output());
    submitter.kill('SIGINT');
    const end = await exitOf(submitter);
    assert.equal(end.code, 130, submitter.output());
    assert.equal(existsSync(out), false);
    assert.deepEqual(leftovers('cancelled'), []);
    const client = redisClient(url);
    try {
      assert.deepEqual(await jobKeys(client), []);
      assert.deepEqual(await client.keys('framefuse:farm-run:*'), []);
    } finally {
      client.disconnect();
    }
    assert.ok(await waitFor(() => /segment \S+ failed: .*FF_CANCELLED/.test(worker.output()), 10_000), `the worker stopped its segment:\n${worker.output()}`);
  });

  test('Redis went away: the first Ctrl-C ends a worker and a submitter alike, without waiting for Redis to come back', async () => {
    const gone = await startRedis();
    const worker = await startWorker(gone.url(0), 'orphan');
    // The submitter on another database: its segment waits, no worker takes it.
    const submitter = startCli(['run', writeGraph('orphaned', transcodeGraph(small, join(dir, 'orphaned.mp4'))), '--farm', gone.url(1)]);
    assert.ok(await waitFor(() => submitter.output().includes('progress '), 20_000), submitter.output());
    await gone.stop();
    assert.ok(await waitFor(() => worker.output().includes('ECONNREFUSED') && submitter.output().includes('ECONNREFUSED'), 10_000), worker.output() + submitter.output());
    worker.kill('SIGINT');
    submitter.kill('SIGINT');
    const within = (child: Cli) => Promise.race([exitOf(child), new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    const [workerEnd, submitterEnd] = await Promise.all([within(worker), within(submitter)]);
    assert.equal(workerEnd?.code, 0, `the worker, 10 s after one Ctrl-C:\n${worker.output()}`);
    assert.equal(submitterEnd?.code, 130, `the submitter, 10 s after one Ctrl-C:\n${submitter.output()}`);
    assert.match(submitter.output(), /Redis is unreachable: farm run [0-9a-f]{16} stays queued there/);
    assert.equal(worker.output().match(/ECONNREFUSED/g)?.length, 1, 'the same connection error is said once');
    assert.equal(existsSync(join(dir, 'orphaned.mp4')), false);
  });

  test('Redis unreachable, or a URL that is not Redis: a clear error before any work, submitter and worker alike', async () => {
    const closed = `redis://127.0.0.1:${redis.port + 1 === 65536 ? 1 : redis.port + 1}`;
    const t = Date.now();
    const run = cli(['run', writeGraph('nowhere', transcodeGraph(small, join(dir, 'nowhere.mp4'))), '--farm', closed]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /error FF_FARM_REDIS_UNREACHABLE: Cannot reach the farm's Redis at redis:\/\/127\.0\.0\.1:\d+.*\n  fix: Start Redis/);
    const worker = cli(['worker', closed]);
    assert.equal(worker.code, 1);
    assert.match(worker.stderr, /FF_FARM_REDIS_UNREACHABLE/);
    assert.ok(Date.now() - t < 20_000, 'no endless reconnect loop');
    const mixed = cli(['run', writeGraph('mixed', transcodeGraph(small, join(dir, 'mixed.mp4'))), '--farm', redis.url(0), '--media-port', '9000']);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /FF_FARM_MEDIA_MODE: --media-host and --media-port set the endpoint of --media stream/);
    const bad = cli(['worker', 'http://127.0.0.1:6379']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /FF_FARM_URL_INVALID.*redis:\/\//);
    assert.equal(existsSync(join(dir, 'nowhere.mp4')), false);
  });
});
