/**
 * The planner asks the fusion family whether it would compose a stage, so `plan` never
 * shows a composed model that the run then refuses (issue 13, step 3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

function plan(...args: string[]): string {
  const result = spawnSync(process.execPath, ['bin/framefuse.js', 'plan', 'graphs/faceswap.json', ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test('face mode: the swapper and enhancer stage is composed by face-crop-chain', () => {
  const out = plan();
  assert.match(out, /yes \(face-crop-chain\)/);
  assert.match(out, /fused: swapper -> enhancer composed into one model by face-crop-chain/);
});

test('frame mode: the plan shows the stage run node by node, and says why it is not composed', () => {
  const out = plan('--set', 'enhancer.mode=frame');
  assert.doesNotMatch(out, /face-crop-chain:|yes \(face-crop-chain\)|composed into one model/);
  assert.match(out, /swapper -> enhancer run as one batched call chain in one worker \(s\d+; not composed: face-crop-chain declines: enhancer runs in frame mode\)/);
});
