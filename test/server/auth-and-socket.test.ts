/** Token auth (required off loopback, checked on REST and socket.io) and a socket that survives malformed messages. */
import { LIVE_MESSAGE_BYTES } from '../../server/live/live-socket.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { startServer } from '../../server/create-server.js';
import { assertBindAllowed, isLoopbackHost, tokenMatches } from '../../server/auth.js';
import { startTestServer } from './server-fixture.js';

describe('token auth', () => {
  test('serving on a non-loopback address without a token is refused, and says why', async () => {
    assert.throws(() => assertBindAllowed('0.0.0.0', undefined), (e: Error & { code?: string }) => e.code === 'FF_TOKEN_REQUIRED' && /token/.test(e.message));
    assert.throws(() => assertBindAllowed('192.168.1.10', ''), /token/);
    assert.doesNotThrow(() => assertBindAllowed('127.0.0.1', undefined));
    assert.doesNotThrow(() => assertBindAllowed('0.0.0.0', 'secret'));
    await assert.rejects(
      startServer({ host: '0.0.0.0', port: 0, dataDir: mkdtempSync(join(tmpdir(), 'framefuse-auth-')), clientDir: null }),
      (e: Error & { code?: string }) => e.code === 'FF_TOKEN_REQUIRED',
    );
    assert.equal(isLoopbackHost('::1'), true);
    assert.equal(isLoopbackHost('10.0.0.1'), false);
  });

  test('tokens compare in full (constant time), never by prefix', () => {
    assert.equal(tokenMatches('s3cret', 's3cret'), true);
    assert.equal(tokenMatches('s3cre', 's3cret'), false);
    assert.equal(tokenMatches('s3crett', 's3cret'), false);
    assert.equal(tokenMatches(undefined, 's3cret'), false);
    assert.equal(tokenMatches(['s3cret'], 's3cret'), false);
  });

  test('with a token, REST and socket.io need it', async () => {
    const server = await startTestServer({ token: 'tok-123' });
    try {
      assert.equal(server.token, 'tok-123', 'a chosen token is used as it is');
      const none = await server.api('GET', '/api/nodes', undefined, { authorization: '' });
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, 'FF_UNAUTHORIZED');
      assert.equal((await server.api('GET', '/api/nodes', undefined, { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await server.api('GET', '/api/nodes', undefined, { authorization: 'Bearer tok-123' })).status, 200);
      assert.equal((await server.api('GET', '/api/nodes', undefined, { 'x-framefuse-token': 'tok-123' })).status, 200);
      assert.equal((await server.api('GET', '/api/nodes?token=tok-123', undefined, { authorization: '' })).status, 200, 'media elements pass it in the query');
      await assert.rejects(server.socket({}), /unauthorized/);
      await assert.rejects(server.socket({ token: 'nope' }), /unauthorized/);
      const socket = await server.socket({ token: 'tok-123' });
      const answer = await socket.emitWithAck('runs:list');
      assert.equal(answer.ok, true);
    } finally {
      await server.stop();
    }
  });
});

describe('socket messages', () => {
  test('malformed messages are answered with an error and never crash the server', async () => {
    const server = await startTestServer();
    try {
      const socket = await server.socket();
      const errors: unknown[] = [];
      socket.on('error:message', (e) => errors.push(e));
      for (const payload of [undefined, null, 42, 'run-id', [], { runId: 7 }, { runId: '' }, { runId: 'x'.repeat(1000) }, { nested: { deep: [1, 2, 3] } }]) {
        const answer = await socket.emitWithAck('run:cancel', payload);
        assert.equal(answer.ok, false, `run:cancel ${JSON.stringify(payload)}`);
        assert.match(answer.error.code, /^FF_(BAD_MESSAGE|NOT_FOUND)$/);
      }
      assert.equal((await socket.emitWithAck('run:cancel', { runId: 'missing' })).error.code, 'FF_NOT_FOUND');
      socket.emit('run:cancel', { runId: 5 }); // no acknowledgement asked
      socket.emit('no-such-event', { x: 1 });
      socket.emit('constructor', '__proto__');
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(errors.length >= 2, 'unknown events are reported back');
      // A message over the size limit (one live camera frame, server/live/live-socket.ts)
      // costs that client its connection, nothing more.
      const big = await server.socket();
      const closed = new Promise((r) => big.once('disconnect', r));
      big.emit('run:cancel', { runId: 'y'.repeat(LIVE_MESSAGE_BYTES + 1000) });
      await closed;
      // The server still serves others.
      assert.equal((await server.api('GET', '/api/nodes')).status, 200);
      assert.equal((await socket.emitWithAck('runs:list')).ok, true);
      const fresh = io(server.url, { transports: ['websocket'], reconnection: false, auth: { token: server.token } });
      await new Promise<void>((r) => fresh.once('connect', () => r()));
      fresh.close();
    } finally {
      await server.stop();
    }
  });
});
