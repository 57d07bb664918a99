/**
 * No one in: a page from another site can do nothing with a local server. Every request
 * needs the per-start token; Host must name the bound address (DNS rebinding); a browser's
 * Origin must be the server's own (REST and socket.io); bodies must be JSON (or, for
 * uploads, the file's type), so a cross-site form can neither start runs nor pull models.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { rawRequest } from '../server/raw-request.js';
import { pipelineGraph, startTestServer, type TestServer } from '../server/server-fixture.js';
import { exitOf, spawnCli, waitFor } from './safety-helpers.js';

describe('who may talk to the server', () => {
  let server: TestServer;
  let port: string;
  before(async () => {
    server = await startTestServer();
    port = new URL(server.url).port;
  });
  after(() => server.stop());

  const graph = JSON.stringify({ graph: pipelineGraph({ frames: 2 }) });
  const json = (extra: Record<string, string> = {}) => ({ ...server.auth, host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...extra });

  test('every start has its own token, and nothing answers without it', async () => {
    assert.ok(server.token.length >= 24);
    const other = await startTestServer();
    try {
      assert.notEqual(other.token, server.token);
    } finally {
      await other.stop();
    }
    for (const [method, path, body] of [['GET', '/api/runs'], ['GET', '/api/uploads'], ['POST', '/api/runs', graph], ['POST', '/api/models/inswapper_128/pull', '{}']] as const) {
      const res = await rawRequest(server.url, path, { host: `127.0.0.1:${port}`, 'content-type': 'application/json' }, method, body);
      assert.equal(res.status, 401, `${method} ${path}: ${res.body}`);
    }
    // The token in the URL is for reads (media elements), never for changes.
    assert.equal((await rawRequest(server.url, `/api/runs?token=${server.token}`, { host: `127.0.0.1:${port}` })).status, 200);
    assert.equal((await rawRequest(server.url, `/api/runs?token=${server.token}`, { host: `127.0.0.1:${port}`, 'content-type': 'application/json' }, 'POST', graph)).status, 401);
  });

  test('Host: only the bound address answers (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `127.0.0.1:${Number(port) + 1}`]) {
      const res = await rawRequest(server.url, '/api/info', { ...server.auth, host });
      assert.equal(res.status, 421, host);
      assert.equal(JSON.parse(res.body).error.code, 'FF_BAD_HOST');
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      assert.equal((await rawRequest(server.url, '/api/info', { ...server.auth, host })).status, 200, host);
    }
  });

  test('Origin: another site is refused on every route, the server\'s own page is served', async () => {
    for (const origin of ['http://evil.example', 'null', `http://localhost:${Number(port) + 1}`]) {
      const posted = await rawRequest(server.url, '/api/runs', json({ origin }), 'POST', graph);
      assert.equal(posted.status, 403, origin);
      assert.equal(JSON.parse(posted.body).error.code, 'FF_BAD_ORIGIN');
      assert.equal((await rawRequest(server.url, '/api/runs', json({ origin }))).status, 403);
    }
    const own = await rawRequest(server.url, '/api/validate', json({ origin: `http://127.0.0.1:${port}` }), 'POST', graph);
    assert.equal(own.status, 200, own.body);
  });

  test('content types: text/plain and form posts start nothing', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      for (const path of ['/api/runs', '/api/validate', '/api/models/inswapper_128/pull', '/api/graphs/x.json']) {
        const res = await rawRequest(server.url, path, json({ 'content-type': type }), 'POST', graph);
        assert.equal(res.status, 415, `${type} ${path}: ${res.body}`);
        assert.equal(JSON.parse(res.body).error.code, 'FF_CONTENT_TYPE');
      }
    }
    assert.equal((await server.api('GET', '/api/runs')).body.runs.length, 0, 'no run was queued');
  });

  test('socket.io: another origin, another host name or no token get no connection', async () => {
    const attempt = (options: Parameters<typeof io>[1]) =>
      new Promise<string>((resolve) => {
        const socket = io(server.url, { transports: ['websocket'], reconnection: false, ...options });
        socket.once('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.once('connect_error', (e) => {
          socket.close();
          resolve(`refused: ${e.message}`);
        });
      });
    assert.match(await attempt({ auth: { token: server.token }, extraHeaders: { origin: 'http://evil.example' } }), /^refused/);
    assert.match(await attempt({ auth: { token: server.token }, extraHeaders: { host: `evil.example:${port}` } }), /^refused/);
    assert.match(await attempt({ auth: {} }), /^refused: unauthorized/);
    assert.equal(await attempt({ auth: { token: server.token }, extraHeaders: { origin: `http://127.0.0.1:${port}` } }), 'connected');
  });

  test('`framefuse serve` prints the editor URL with its token, and the token works', async () => {
    const child = spawnCli(['serve', '--port', '0', '--data', server.dataDir]);
    try {
      assert.ok(await waitFor(() => /framefuse editor: http\S+/.test(child.output()), 20_000), child.output());
      const url = new URL(/framefuse editor: (http\S+)/.exec(child.output())![1]!);
      const token = url.searchParams.get('token');
      assert.ok(token && token.length >= 24, url.href);
      assert.equal((await fetch(`${url.origin}/api/info`)).status, 401);
      assert.equal((await fetch(`${url.origin}/api/info`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    } finally {
      child.kill('SIGTERM');
      assert.equal((await exitOf(child)).code, 0);
    }
  });
});
