/**
 * A cancel that lands while a stage's open is still running: the run rejects at once, but
 * its stages are disposed only when that open has returned, so what the open made at its
 * end (here a real process, as an Encoder's ffmpeg) is ended with the run, not left behind.
 *
 *   src ──> slow (opens in 300 ms, then starts `sleep 60`) ──> sink      cancelled 50 ms in
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { alive, graph, resolveAndPlan } from '../helpers.js';
import { runPlan } from '../../src/run/run-plan.js';
import { isFramefuseError } from '../../src/errors.js';
import { started } from '../nodes/slow-open.js';

test('a run cancelled during a stage\'s open ends what that open made once it returns', async () => {
  const doc = graph([['src', 'TestSource', { frames: 8, chunk: 4, fps: 10 }], ['slow', 'TestSlowOpen', { openMs: 300 }], ['sink', 'TestChecksum']], ['src.frames -> slow.frames', 'slow.frames -> sink.frames']);
  const { graph: g, plan } = await resolveAndPlan(doc);
  const cancel = new AbortController();
  const before = started.length;
  setTimeout(() => cancel.abort(), 50);
  await assert.rejects(runPlan(g, plan, { signal: cancel.signal }), (e) => isFramefuseError(e) && e.code === 'FF_CANCELLED');
  assert.equal(started.length, before + 1, 'the open ran to its end and started its process');
  const child = started.at(-1)!;
  // Killed by the node's dispose: gone within moments, not after its 60 s.
  for (let i = 0; i < 50 && child.exitCode === null && child.signalCode === null; i++) await sleep(20);
  assert.equal(child.signalCode, 'SIGKILL', 'the process the open started was ended by the run');
  assert.equal(alive(child.pid!), false);
});
