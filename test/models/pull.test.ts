import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullModel } from '../../src/models/pull.js';
import { verifyModel } from '../../src/models/verify.js';
import { zModelEntry } from '../../src/models/manifest.js';
import type { ModelEntry } from '../../src/models/manifest.js';
import { sha256Bytes } from '../../src/models/file-hash.js';
import { crc32 } from 'node:zlib';
import { readVerified } from '../../src/models/verified-hashes.js';
import { encodeModel } from '../../src/onnx/model-io.js';
import { buildSwapperLikeModel } from '../../src/onnx/synthetic-models.js';

/** A local server for one model file: drops the first connection halfway, honours Range, serves a CRC32 .hash. */
function startServer(body: Uint8Array): Promise<{ server: Server; base: string; ranges: string[]; drops: number[] }> {
  const ranges: string[] = [];
  const drops: number[] = [];
  let dropped = false;
  const crc = crc32(body).toString(16).padStart(8, '0');
  const server = createServer((req, res) => {
    if (req.url === '/model.hash') return void res.end(crc);
    if (req.url === '/wrong.hash') return void res.end('deadbeef');
    if (req.url !== '/model.onnx') return void res.writeHead(404).end();
    const range = req.headers.range;
    if (range) ranges.push(range);
    const start = range ? Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0) : 0;
    const headers = { 'content-length': String(body.length - start), 'accept-ranges': 'bytes' };
    if (range) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else res.writeHead(200, headers);
    if (!dropped) {
      // First connection: send 40% and cut it, as a flaky network would.
      dropped = true;
      const cut = Math.floor(body.length * 0.4);
      drops.push(cut);
      res.write(body.subarray(start, cut), () => res.destroy());
      return;
    }
    res.end(body.subarray(start));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ranges, drops })));
}

function entry(base: string, fields: Partial<ModelEntry>): ModelEntry {
  return zModelEntry.parse({
    id: 'test_swapper',
    title: 'test',
    task: 'face-swap',
    file: 'test_swapper.onnx',
    urls: [`${base}/model.onnx`],
    sha256: null,
    size: null,
    license: 'MIT',
    source: 'https://example.org/',
    inputs: [{ name: 'target', shape: [1, 3, 32, 32] }],
    outputs: [{ name: 'output', shape: [1, 3, 32, 32] }],
    ...fields,
  });
}

describe('models pull', () => {
  const body = encodeModel(buildSwapperLikeModel({ channels: 16, convs: 6, size: 32 }));
  let server: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    server = await startServer(body);
  });
  after(() => server.server.close());

  test('resumes after a dropped connection and checks the sha256', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-pull-'));
    const messages: string[] = [];
    let lastProgress = 0;
    const result = await pullModel(entry(server.base, { sha256: sha256Bytes(body) }), dir, {
      onMessage: (m) => messages.push(m),
      onProgress: (p) => (lastProgress = p.received),
    });
    assert.equal(result.status, 'downloaded');
    assert.equal(result.check.by, 'manifest-sha256');
    assert.deepEqual(server.ranges, [`bytes=${server.drops[0]}-`], 'the second request resumed where the first stopped');
    assert.match(messages.join('\n'), /dropped .*resuming/);
    assert.equal(lastProgress, body.length);
    assert.deepEqual(await readFile(join(dir, 'test_swapper.onnx')), Buffer.from(body));
    assert.equal(existsSync(join(dir, 'test_swapper.onnx.part')), false);

    const again = await pullModel(entry(server.base, { sha256: sha256Bytes(body) }), dir);
    assert.equal(again.status, 'present');
  });

  test('a hash mismatch deletes the download and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-pull-'));
    await assert.rejects(pullModel(entry(server.base, { sha256: 'f'.repeat(64) }), dir), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FF_MODEL_HASH_MISMATCH');
      assert.match(e.message, /expected f{64}.*the download was deleted/);
      return true;
    });
    assert.equal(existsSync(join(dir, 'test_swapper.onnx')), false);
    assert.equal(existsSync(join(dir, 'test_swapper.onnx.part')), false);
  });

  test("checks FaceFusion's published CRC32 when no sha256 is known, then records the sha256", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-pull-'));
    const result = await pullModel(entry(server.base, { hashUrls: [`${server.base}/missing.hash`, `${server.base}/model.hash`] }), dir);
    assert.equal(result.check.by, 'hash-file');
    const recorded = await readVerified(dir);
    assert.equal(recorded['test_swapper']?.sha256, sha256Bytes(body));
    const verified = await verifyModel(entry(server.base, {}), dir, { fetchHash: false });
    assert.equal(verified.status, 'ok');

    const wrong = await mkdtemp(join(tmpdir(), 'ff-pull-'));
    await assert.rejects(pullModel(entry(server.base, { hashUrls: [`${server.base}/wrong.hash`] }), wrong), /checksum .* expected deadbeef/);
  });

  test('verify finds a missing file and a corrupted one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-pull-'));
    const e = entry(server.base, { sha256: sha256Bytes(body) });
    assert.equal((await verifyModel(e, dir)).status, 'missing');
    await pullModel(e, dir);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'test_swapper.onnx'), body.subarray(0, 1000));
    const result = await verifyModel(e, dir);
    assert.equal(result.status, 'hash-mismatch');
  });
});
