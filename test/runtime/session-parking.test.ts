/**
 * Sessions parked between runs (a farm worker's warm stages): with parking on, a disposed
 * session waits for the next openModel of the same file and settings, which gets it back
 * without loading the model again; other settings get their own; turning parking off
 * releases them all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openModel } from '../../src/runtime/model-session.js';
import { setSessionParking } from '../../src/runtime/session-parking.js';
import { modelsFolder, swapperFeeds } from './fixtures.js';

test('a parked session comes back to the next open of the same model and settings, and is released when parking ends', async () => {
  const { dynamic, dir } = await modelsFolder();
  await setSessionParking(true);
  try {
    const first = await openModel(dynamic, { threads: 1, modelsDir: dir });
    const out1 = await first.run(swapperFeeds(1));
    assert.equal(first.runs, 1);
    await first.dispose();
    await assert.rejects(first.run(swapperFeeds(1)), /disposed/, 'a disposed handle runs no more');

    const again = await openModel(dynamic, { threads: 1, modelsDir: dir });
    assert.equal(again.runs, 1, 'the same onnxruntime session: it counts the run made through the first handle');
    const out2 = await again.run(swapperFeeds(1));
    assert.deepEqual(out2['output']?.data, out1['output']?.data);

    const other = await openModel(dynamic, { threads: 2, modelsDir: dir });
    assert.equal(other.runs, 0, 'other settings: another session');
    await other.dispose();
    await again.dispose();
  } finally {
    await setSessionParking(false);
  }
  const fresh = await openModel(dynamic, { threads: 1, modelsDir: dir });
  assert.equal(fresh.runs, 0, 'parking off released the parked sessions: a new one opens');
  await fresh.dispose();
});
