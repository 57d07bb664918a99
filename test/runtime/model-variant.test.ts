/**
 * A model's variant (its batchified rewrite) is worked out once per thread: a later open of
 * the same file (path, size, time) does not read and decode it again, which a thread kept
 * warm across a farm's segments would otherwise do per segment (hundreds of MB for a face
 * swapper). A file replaced in place, or a cached rewrite removed, is looked at anew.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelVariant } from '../../src/runtime/model-variant.js';
import { modelsFolder } from './fixtures.js';

test('a model variant is worked out once per file version: not read again, made again when its rewrite is gone or the file changed', async () => {
  const { fixed, dir } = await modelsFolder();
  const cacheDir = join(dir, 'cache');
  const logs: string[] = [];
  const options = { batchify: true, cacheDir, log: (m: string) => logs.push(m) };
  // A time to the second, so that it can be put back exactly.
  const atime = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const mtime = atime;
  await utimes(fixed, atime, mtime);
  const first = await modelVariant(fixed, options);
  assert.deepEqual(first.applied, ['batchify']);
  assert.match(logs.at(-1)!, /made and proved a dynamic-batch rewrite/);

  // Same path, size and time, but bytes that are no model at all: not read, so no error.
  const original = await readFile(fixed);
  await writeFile(fixed, Buffer.alloc(original.length, 0x5a));
  await utimes(fixed, atime, mtime);
  const again = await modelVariant(fixed, options);
  assert.deepEqual(again, first);
  assert.match(logs.at(-1)!, /using the cached dynamic-batch rewrite/, 'the later open says where its file comes from');

  // Its rewrite removed from the cache: made again (from the real model, put back).
  await writeFile(fixed, original);
  await utimes(fixed, atime, mtime);
  await rm(first.path);
  const remade = await modelVariant(fixed, options);
  assert.equal(remade.path, first.path);
  assert.match(logs.at(-1)!, /made and proved a dynamic-batch rewrite/);

  // The file replaced (a new time): decoded anew, so a broken one is refused.
  await writeFile(fixed, Buffer.alloc(original.length, 0x5a));
  await utimes(fixed, atime, new Date(mtime.getTime() + 5000));
  await assert.rejects(modelVariant(fixed, options));
});
