import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseEncoder, isNoDevice } from '../../src/media/choose-encoder.js';
import { HARDWARE_ENCODERS } from '../../src/media/encoder-catalog.js';
import { hasEncoder, testEncoder } from '../../src/media/ffmpeg-capabilities.js';
import { getTools } from '../../src/media/ffmpeg-tools.js';

// A machine without a GPU device is the normal case: a run then says nothing about the
// hardware encoders it passed over (`--verbose` and `doctor` show why), instead of
// printing ffmpeg's device failure on every run.
test('hardware encoders without a device go to the detail channel, not to info or warn', async () => {
  const ffmpeg = getTools().ffmpeg.path;
  const info: string[] = [];
  const warn: string[] = [];
  const detail: string[] = [];
  const choice = await chooseEncoder(ffmpeg, 'h264', 'auto', { info: (m) => info.push(m), warn: (m) => warn.push(m), detail: (m) => detail.push(m) });
  const noDevice: string[] = [];
  for (const encoder of HARDWARE_ENCODERS.h264) {
    if (!(await hasEncoder(ffmpeg, encoder))) continue;
    const result = await testEncoder(ffmpeg, encoder);
    if (!result.ok && isNoDevice(result.reason ?? '')) noDevice.push(encoder);
  }
  if (choice.hardware) return assert.ok(noDevice.length < HARDWARE_ENCODERS.h264.length);
  assert.equal(choice.encoder, 'libx264');
  for (const encoder of noDevice) {
    assert.ok(!info.some((m) => m.includes(encoder)), `info mentions ${encoder}: ${info.join(' | ')}`);
    assert.ok(!warn.some((m) => m.includes(encoder)), `warn mentions ${encoder}: ${warn.join(' | ')}`);
  }
  if (warn.length === 0) for (const encoder of noDevice) assert.ok(detail.some((m) => m.includes(encoder)), `detail lacks ${encoder}: ${detail.join(' | ')}`);
});
