/** resolveInside: the one gate every client path goes through. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInside } from '../../src/files/confined-path.js';

test('resolveInside accepts paths inside the root and refuses every way out', () => {
  const root = mkdtempSync(join(tmpdir(), 'framefuse-safe-'));
  mkdirSync(join(root, 'uploads'));
  symlinkSync('/tmp', join(root, 'out-link'));
  symlinkSync(join(root, 'uploads'), join(root, 'in-link'));
  assert.equal(resolveInside(root, 'uploads/clip.mp4').endsWith(join('uploads', 'clip.mp4')), true);
  assert.equal(resolveInside(root, 'new/folder/file.mp4').endsWith(join('new', 'folder', 'file.mp4')), true, 'need not exist yet');
  assert.doesNotThrow(() => resolveInside(root, 'in-link/clip.mp4'), 'a link that stays inside is fine');
  for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'uploads/../../x', 'C:\\Windows', '\\\\server\\share', 'a\0b', 'out-link/x', 'out-link']) {
    assert.throws(() => resolveInside(root, bad), (e: Error & { code?: string }) => e.code === 'FF_PATH_UNSAFE', JSON.stringify(bad));
  }
});
