/**
 * Uploads: concurrent uploads of one name each get a file of their own (before: all 8 failed
 * with 500); content is checked by decoding, so random bytes, an ELF binary or text named
 * .mp4 are refused; no answer shows where the server keeps its files.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../media/media-helpers.js';
import { startTestServer, type TestServer } from '../server/server-fixture.js';
import { smallClip } from './safety-helpers.js';

describe('uploads', () => {
  let server: TestServer;
  let clip: Uint8Array;
  before(async () => {
    server = await startTestServer({ maxUploadBytes: 512 * 1024 });
    clip = readFileSync(smallClip(join(tempDir('framefuse-safety-up-'), 'clip.mp4'), 0.4));
  });
  after(() => server.stop());

  const upload = async (name: string, body: Uint8Array | string, type = 'video/mp4') => {
    const res = await fetch(`${server.url}/api/uploads?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { ...server.auth, 'content-type': type }, body });
    return { status: res.status, body: (await res.json()) as any };
  };

  test('eight uploads of one name at the same moment: eight files, each whole, none lost', async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => {
      const copy = new Uint8Array(clip.length + i + 1);
      copy.set(clip); // the same video, with i+1 trailing bytes so each is told apart
      return copy;
    });
    const answers = await Promise.all(bodies.map((b) => upload('same.mp4', b)));
    assert.deepEqual(answers.map((a) => a.status), Array(8).fill(201), JSON.stringify(answers.map((a) => a.body)));
    const names = answers.map((a) => a.body.name as string);
    assert.equal(new Set(names).size, 8, names.join(','));
    for (const a of answers) assert.equal(readFileSync(join(server.dataDir, a.body.path)).length, a.body.size);
    assert.deepEqual(answers.map((a) => a.body.size).sort((x, y) => x - y), bodies.map((b) => b.length));
    assert.deepEqual(readdirSync(join(server.dataDir, 'uploads')).filter((n) => n.startsWith('.')), [], 'no partial file left');
  });

  test('random bytes, an ELF binary and text named .mp4 are refused by probing, with no server path in the answer', async () => {
    const elf = readFileSync(process.execPath).subarray(0, 64 * 1024);
    const ftypThenNoise = new Uint8Array(32 * 1024);
    ftypThenNoise.set(randomBytes(32 * 1024));
    ftypThenNoise.set([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
    for (const [name, body] of [
      ['random.mp4', randomBytes(20_000)],
      ['binary.mp4', elf],
      ['header-only.mp4', ftypThenNoise],
      ['notes.mp4', 'just text\n'.repeat(100)],
      ['face.png', clip],
    ] as const) {
      const res = await upload(name, body, name.endsWith('.png') ? 'image/png' : 'video/mp4');
      assert.equal(res.status, 415, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'FF_UNSUPPORTED_TYPE');
      assert.match(res.body.error.message, new RegExp(`^"${name.replace('.', '\\.')}" is not (a video|an image)`));
      const text = JSON.stringify(res.body);
      assert.ok(!text.includes(server.dataDir) && !text.includes('/tmp/') && !text.includes(process.cwd()), text);
    }
    assert.deepEqual(readdirSync(join(server.dataDir, 'uploads')).filter((n) => !n.startsWith('same')), []);
  });

  test('a cross-site form post (text/plain) uploads nothing', async () => {
    const res = await upload('form.mp4', clip, 'text/plain');
    assert.equal(res.status, 415);
    assert.equal(res.body.error.code, 'FF_CONTENT_TYPE');
  });
});
