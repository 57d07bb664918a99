/**
 * Live runs through the real server and a real socket.io client (what the editor's page
 * does): a browser Camera fed with RGBA frames over the socket, processed frames back as
 * JPEG in live:view with the page's seq echoed and the latency measured, a live-editable
 * parameter changed (and a fixed one refused), malformed and oversized frames refused, a
 * graceful stop, a page that disconnects mid-stream cancelling its run (or before its first
 * frame, as the page named itself when it started the run), a run no page ever feeds
 * cancelled after a grace time, an Image path changed live only inside the data folder, and
 * Cameras that open URLs refused unless the server allows them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'socket.io-client';
import { join } from 'node:path';
import { graph } from '../helpers.js';
import { ffmpeg } from '../media/media-helpers.js';
import { RunEventLog, startTestServer } from '../server/server-fixture.js';

const W = 64;
const H = 48;

function liveGraph() {
  //  camera(browser) ──> detector ──> anonymizer ──> view
  //        └─────────────────────────────┘
  return graph(
    [['camera', 'Camera', { source: 'browser', width: W, height: H }], ['detector', 'Detector'], ['anon', 'Anonymizer'], ['view', 'LiveView']],
    ['camera.frames -> detector.frames', 'camera.frames -> anon.frames', 'detector.faces -> anon.faces', 'anon.frames -> view.frames'],
    'live-browser',
  );
}

function emitAck(socket: Socket, event: string, payload: unknown): Promise<any> {
  return socket.timeout(5000).emitWithAck(event, payload);
}

/** Sends frames every `everyMs` until stopped; resolves the acks' errors seen. */
function feed(socket: Socket, runId: string, everyMs: number) {
  let seq = 0;
  let stopped = false;
  const errors: string[] = [];
  const loop = (async () => {
    while (!stopped) {
      const data = new Uint8Array(W * H * 4).fill(seq % 255);
      const answer = await emitAck(socket, 'live:frame', { runId, node: 'camera', seq: seq++, sentAt: performance.now(), width: W, height: H, format: 'rgba', data }).catch((e: Error) => ({ ok: false, error: { message: e.message } }));
      if (!answer.ok) errors.push(answer.error.message);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return errors;
    },
  };
}

describe('live runs on the server', () => {
  test('frames from the page come back processed, with latency; params change live; stop finishes the run', async () => {
    const server = await startTestServer();
    try {
      const socket = await server.socket();
      const log = new RunEventLog(socket);
      const views: any[] = [];
      socket.on('live:view', (m: any) => views.push(m));
      const res = await server.api('POST', '/api/runs', { graph: liveGraph() });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const runId = res.body.run.id as string;
      await log.wait(runId, 'run:started');
      const sender = feed(socket, runId, 40);
      const deadline = Date.now() + 15_000;
      while (views.length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.ok(views.length >= 10, `only ${views.length} frames came back`);
      const last = views.at(-1);
      assert.equal(last.mime, 'image/jpeg');
      assert.equal(last.width, W);
      assert.ok(last.data.byteLength > 100);
      assert.equal(typeof last.latencyMs, 'number');
      assert.ok(last.echo && typeof last.echo.seq === 'number', 'the page gets its seq back');

      assert.deepEqual(await emitAck(socket, 'live:set-param', { runId, node: 'anon', param: 'strength', value: 0.9 }), { ok: true });
      const fixed = await emitAck(socket, 'live:set-param', { runId, node: 'anon', param: 'mode', value: 'fill' });
      assert.equal(fixed.error.code, 'FF_PARAM_NOT_LIVE');
      const bad = await emitAck(socket, 'live:set-param', { runId, node: 'anon', param: 'strength', value: 'high' });
      assert.equal(bad.error.code, 'FF_PARAM_INVALID');
      const wrongSize = await emitAck(socket, 'live:frame', { runId, node: 'camera', seq: 0, sentAt: 0, width: W, height: H, format: 'rgba', data: new Uint8Array(10) });
      assert.match(wrongSize.error.message, /width x height x 4/);

      await sender.stop();
      assert.deepEqual(await emitAck(socket, 'live:stop', { runId }), { ok: true });
      const finished = await log.wait(runId, 'run:finished');
      assert.ok(finished.run.metrics.live.framesIn >= 10);
      assert.ok(finished.run.metrics.live.latencyMs.p95 > 0);
      assert.equal(server.context.live.size, 0, 'the live session is gone');
    } finally {
      await server.stop();
    }
  });

  test("an Image's path changes live inside the data folder only; refusals name no server path", async () => {
    const server = await startTestServer();
    try {
      ffmpeg(['-f', 'lavfi', '-i', 'color=gray:s=16x16', '-frames:v', '1', join(server.dataDir, 'a.png')]);
      ffmpeg(['-f', 'lavfi', '-i', 'color=white:s=16x16', '-frames:v', '1', join(server.dataDir, 'b.png')]);
      const socket = await server.socket();
      const log = new RunEventLog(socket);
      //  camera(browser) ──> stamp ──> view
      //      image (a.png) ──┘
      const doc = graph(
        [['camera', 'Camera', { source: 'browser', width: W, height: H }], ['image', 'Image', { path: 'a.png' }], ['stamp', 'TestStamp'], ['view', 'LiveView']],
        ['camera.frames -> stamp.frames', 'image.image -> stamp.image', 'stamp.frames -> view.frames'],
        'live-image',
      );
      const res = await server.api('POST', '/api/runs', { graph: doc, page: socket.id });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const runId = res.body.run.id as string;
      await log.wait(runId, 'run:started');
      const views: unknown[] = [];
      socket.on('live:view', (m: unknown) => views.push(m));
      const sender = feed(socket, runId, 40);
      // Frames coming back: the run's stages are open and it takes live changes.
      const deadline = Date.now() + 15_000;
      while (views.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const set = (value: unknown) => emitAck(socket, 'live:set-param', { runId, node: 'image', param: 'path', value });
      try {
        const outside = await set('../../etc/hostname');
        assert.equal(outside.error.code, 'FF_PATH_UNSAFE');
        const absolute = await set('/etc/hostname');
        assert.equal(absolute.error.code, 'FF_PATH_UNSAFE');
        const missing = await set('nobody.png');
        assert.equal(missing.error.code, 'FF_MEDIA_MISSING');
        assert.ok(!missing.error.message.includes(server.dataDir), `no server path in: ${missing.error.message}`);
        assert.deepEqual(await set('b.png'), { ok: true });
      } finally {
        await sender.stop();
      }
      assert.deepEqual(await emitAck(socket, 'live:stop', { runId }), { ok: true });
      await log.wait(runId, 'run:finished');
    } finally {
      await server.stop();
    }
  });

  test('a page that disconnects mid-stream cancels its run and leaves nothing running', async () => {
    const server = await startTestServer();
    try {
      const watcher = await server.socket();
      const log = new RunEventLog(watcher);
      const page = await server.socket();
      const runId = (await server.api('POST', '/api/runs', { graph: liveGraph() })).body.run.id as string;
      await log.wait(runId, 'run:started');
      const sender = feed(page, runId, 40);
      await new Promise((r) => setTimeout(r, 800));
      // Another page may not feed the same camera.
      const other = await emitAck(watcher, 'live:frame', { runId, node: 'camera', seq: 0, sentAt: 0, width: W, height: H, format: 'rgba', data: new Uint8Array(W * H * 4) });
      assert.equal(other.error.code, 'FF_NOT_LIVE');
      page.disconnect();
      await sender.stop();
      await log.wait(runId, 'run:cancelled');
      assert.equal(server.context.live.size, 0);
      assert.equal((await server.api('GET', '/api/runs')).body.runs.find((r: any) => r.id === runId).status, 'cancelled');
    } finally {
      await server.stop();
    }
  });

  test('a page that started a run and closes before its first frame cancels it; a page already gone cancels it at start', async () => {
    const server = await startTestServer();
    try {
      const watcher = await server.socket();
      const log = new RunEventLog(watcher);
      const page = await server.socket();
      const runId = (await server.api('POST', '/api/runs', { graph: liveGraph(), page: page.id })).body.run.id as string;
      await log.wait(runId, 'run:started');
      // Another page may not feed it, even before its owner sent a frame.
      const other = await emitAck(watcher, 'live:frame', { runId, node: 'camera', seq: 0, sentAt: 0, width: W, height: H, format: 'rgba', data: new Uint8Array(W * H * 4) });
      assert.equal(other.error.code, 'FF_NOT_LIVE');
      page.disconnect();
      await log.wait(runId, 'run:cancelled');
      assert.equal(server.context.live.size, 0);
      const record = (await server.api('GET', `/api/runs/${runId}`)).body.run;
      assert.equal(record.status, 'cancelled');
      assert.ok(record.logs.some((l: any) => /the page feeding this live run closed/.test(l.message)), JSON.stringify(record.logs));

      const gone = (await server.api('POST', '/api/runs', { graph: liveGraph(), page: 'no-such-socket' })).body.run.id as string;
      await log.wait(gone, 'run:cancelled');
      assert.equal(server.context.live.size, 0);
      assert.ok((await server.api('GET', `/api/runs/${gone}`)).body.run.logs.some((l: any) => /had closed before it began/.test(l.message)));
    } finally {
      await server.stop();
    }
  });

  test('a browser-camera run that no page feeds is cancelled after the grace time, saying why', async () => {
    const server = await startTestServer({ liveOwnerlessMs: 400 });
    try {
      const log = new RunEventLog(await server.socket());
      const runId = (await server.api('POST', '/api/runs', { graph: liveGraph() })).body.run.id as string;
      await log.wait(runId, 'run:started');
      await log.wait(runId, 'run:cancelled');
      assert.equal(server.context.live.size, 0);
      const record = (await server.api('GET', `/api/runs/${runId}`)).body.run;
      assert.ok(record.logs.some((l: any) => /no page fed this run's browser Camera within 400 ms/.test(l.message)), JSON.stringify(record.logs));
    } finally {
      await server.stop();
    }
  });

  test('a Camera that opens a URL is refused unless the server allows its kind', async () => {
    const server = await startTestServer();
    try {
      const doc = graph([['camera', 'Camera', { url: 'samples/tears_of_steel_clip01_640x360.mp4' }], ['view', 'LiveView']], ['camera.frames -> view.frames']);
      const res = await server.api('POST', '/api/runs', { graph: doc });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'FF_CAMERA_SCHEME_REFUSED');
      assert.match(res.body.error.message, /--camera-schemes file/);
    } finally {
      await server.stop();
    }
  });
});
