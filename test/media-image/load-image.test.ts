import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage, parsePpm } from '../../src/media/load-image.js';
import { isFramefuseError } from '../../src/errors.js';

test('loads PNG and JPEG photos as RGB24 with their sizes', async () => {
  const png = await loadImage('test/fixtures/images/astronaut.png');
  assert.deepEqual([png.width, png.height, png.data.length], [512, 512, 512 * 512 * 3]);
  const jpg = await loadImage('test/fixtures/images/fr_obama.jpg');
  assert.deepEqual([jpg.width, jpg.height], [910, 1137]);
  // A real photo, not a blank buffer: many distinct values.
  assert.ok(new Set(jpg.data.subarray(0, 30000)).size > 100);
});

test('parses PPM headers with comments', () => {
  const header = new TextEncoder().encode('P6\n# made by hand\n2 1\n255\n');
  const bytes = new Uint8Array(header.length + 6);
  bytes.set(header);
  bytes.set([1, 2, 3, 4, 5, 6], header.length);
  assert.deepEqual(parsePpm(bytes), { width: 2, height: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6]) });
});

test('missing, empty and non-image files are user errors naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ff-img-'));
  writeFileSync(join(dir, 'empty.png'), '');
  writeFileSync(join(dir, 'notes.png'), 'just text, not an image');
  for (const [file, code] of [['missing.png', 'FF_IMAGE_NOT_FOUND'], ['empty.png', 'FF_IMAGE_EMPTY'], ['notes.png', 'FF_IMAGE_UNREADABLE']] as const) {
    await assert.rejects(loadImage(join(dir, file)), (e) => isFramefuseError(e) && e.code === code && e.kind === 'user' && e.message.includes(file));
  }
});
