/** Uploads (streamed, size- and type-checked) and outputs (range requests), and every way out of the data folder we could think of. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './server-fixture.js';
import { rawRequest } from './raw-request.js';
import { ffmpeg, makeClip, tempDir } from '../media/media-helpers.js';

/** The first bytes of an ISO BMFF (mp4) file, then filler: no video, only its first bytes. */
function fakeMp4(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
  return bytes;
}

describe('uploads and outputs', () => {
  let server: TestServer;
  let clip: Uint8Array;
  let png: Uint8Array;
  before(async () => {
    server = await startTestServer({ maxUploadBytes: 64 * 1024 });
    const dir = tempDir();
    clip = readFileSync(makeClip(join(dir, 'clip.mp4'), { width: 64, height: 48, seconds: 0.5 }));
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=32x32', '-frames:v', '1', join(dir, 'face.png')]);
    png = readFileSync(join(dir, 'face.png'));
  });
  after(() => server.stop());

  const upload = async (name: string, body: Uint8Array | string, type = 'application/octet-stream') => {
    const res = await fetch(`${server.url}/api/uploads?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { ...server.auth, 'content-type': type }, body });
    return { status: res.status, body: (await res.json()) as any };
  };

  test('a video upload lands in uploads/ with a path a Decoder takes; names never collide', async () => {
    const first = await upload('My Clip.mp4', clip, 'video/mp4');
    assert.equal(first.status, 201);
    assert.deepEqual(first.body, { name: 'My_Clip.mp4', kind: 'video', size: clip.length, path: 'uploads/My_Clip.mp4' });
    const second = await upload('My Clip.mp4', clip);
    assert.equal(second.body.path, 'uploads/My_Clip-1.mp4');
    const list = await server.api('GET', '/api/uploads');
    assert.deepEqual(list.body.uploads.map((u: { name: string }) => u.name), ['My_Clip-1.mp4', 'My_Clip.mp4']);
  });

  test('an image upload is checked by decoding it', async () => {
    assert.equal((await upload('face.png', png)).status, 201);
    const header = await upload('header-only.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
    assert.equal(header.status, 415, 'a PNG signature alone is not an image');
    const fake = await upload('face.jpg', 'just some text');
    assert.equal(fake.status, 415);
    assert.equal(fake.body.error.code, 'FF_UNSUPPORTED_TYPE');
  });

  test('a text file named .mp4, an unknown type and an empty file are refused, and leave nothing behind', async () => {
    const text = await upload('notes.mp4', 'hello, this is text\n'.repeat(20));
    assert.equal(text.status, 415);
    assert.equal((await upload('run.sh', '#!/bin/sh')).body.error.code, 'FF_UNSUPPORTED_TYPE');
    assert.equal((await upload('empty.mp4', new Uint8Array(0))).body.error.code, 'FF_EMPTY_FILE');
    const left = readdirSync(join(server.dataDir, 'uploads'));
    assert.ok(!left.some((n) => n.startsWith('notes') || n.startsWith('empty') || n.endsWith('.part')), left.join(','));
  });

  test('an upload over the size limit is cut off with 413 (declared or streamed)', async () => {
    const big = await upload('big.mp4', fakeMp4(65 * 1024));
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, 'FF_TOO_LARGE');
    // Chunked, with no length declared: the server counts the bytes as they come.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(i === 0 ? fakeMp4(8192) : new Uint8Array(8192));
        controller.close();
      },
    });
    const res = await fetch(`${server.url}/api/uploads?name=chunked.mp4`, { method: 'POST', headers: { ...server.auth, 'content-type': 'video/mp4' }, body: stream, duplex: 'half' } as RequestInit);
    assert.equal(res.status, 413);
    assert.ok(!existsSync(join(server.dataDir, 'uploads', 'chunked.mp4')));
    assert.ok(!existsSync(join(server.dataDir, 'uploads', 'chunked.mp4.part')));
  });

  test('outputs are listed and served with range requests, so a video seeks in the page', async () => {
    mkdirSync(join(server.dataDir, 'outputs', 'day1'), { recursive: true });
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    writeFileSync(join(server.dataDir, 'outputs', 'day1', 'out.mp4'), bytes);
    const list = await server.api('GET', '/api/outputs');
    assert.deepEqual(list.body.outputs.map((o: { path: string; size: number }) => [o.path, o.size]), [['day1/out.mp4', 1000]]);
    const res = await fetch(`${server.url}${list.body.outputs[0].url}`, { headers: { ...server.auth, range: 'bytes=100-199' } });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), 'bytes 100-199/1000');
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), bytes.subarray(100, 200));
    const whole = await fetch(`${server.url}/api/outputs/day1/out.mp4?token=${server.token}`);
    assert.equal(whole.status, 200);
    assert.equal((await whole.arrayBuffer()).byteLength, 1000);
  });

  test('path traversal: .., encoded .., absolute paths and symlinks out of the folder are all refused', async () => {
    writeFileSync(join(server.dataDir, 'secret.txt'), 'top secret');
    symlinkSync('/etc', join(server.dataDir, 'outputs', 'etc-link'));
    symlinkSync(join(server.dataDir, 'secret.txt'), join(server.dataDir, 'outputs', 'secret-link.txt'));
    const attempts = [
      '/api/outputs/../secret.txt',
      '/api/outputs/%2e%2e/secret.txt',
      '/api/outputs/..%2fsecret.txt',
      '/api/outputs/%2fetc%2fpasswd',
      '/api/outputs/etc-link/passwd',
      '/api/outputs/secret-link.txt',
      '/api/uploads/..%2f..%2fsecret.txt',
      '/api/uploads/%2e%2e%2fsecret.txt',
      '/api/graphs/..%2fsecret.txt',
    ];
    for (const path of attempts) {
      const res = await rawRequest(server.url, path, server.auth);
      assert.ok([400, 404].includes(res.status), `${path} answered ${res.status}`);
      assert.ok(!res.body.includes('top secret') && !res.body.includes('root:'), `${path} leaked a file`);
    }
    const refused = await rawRequest(server.url, '/api/outputs/%2e%2e/secret.txt', server.auth);
    assert.equal(JSON.parse(refused.body).error.code, 'FF_PATH_UNSAFE');
  });
});
