/**
 * Data loss: an output that is one of the run's inputs. Validation refuses it with
 * FF_OUTPUT_IS_INPUT however the path is spelled (the same name, `./a/../b`, a symbolic
 * link, a hard link), in the CLI and over the API; and at run time, even with overwrite on
 * and validation skipped, no file a node of the run reads is ever replaced.
 *
 *   decoder (in.mp4) ──frames──▶ encoder (out = in.mp4, by some other name)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateGraph } from '../../src/graph/validate.js';
import { runPlan } from '../../src/run/run-plan.js';
import { planStages } from '../../src/plan/plan-stages.js';
import { isFramefuseError } from '../../src/errors.js';
import { testRegistry } from '../helpers.js';
import { tempDir } from '../media/media-helpers.js';
import { startTestServer, type TestServer } from '../server/server-fixture.js';
import { cli, sha256, smallClip, transcodeGraph } from './safety-helpers.js';

const env = (cwd: string) => ({ cwd, models: 'models', providers: ['cpu' as const] });

describe('an output that is an input of the same run', () => {
  const dir = tempDir('framefuse-safety-io-');
  const input = smallClip(join(dir, 'in.mp4'), 0.4);
  mkdirSync(join(dir, 'sub'));
  symlinkSync(input, join(dir, 'link.mp4'));
  linkSync(input, join(dir, 'hard.mp4'));
  const original = sha256(input);

  test('validation refuses it by real path: the same name, ./sub/../in.mp4, a symlink, a hard link', async () => {
    for (const output of ['in.mp4', './sub/../in.mp4', 'link.mp4', 'hard.mp4', input]) {
      const { problems } = await validateGraph(transcodeGraph('in.mp4', output), await testRegistry(), { checkEnv: env(dir) });
      const found = problems.find((p) => p.code === 'FF_OUTPUT_IS_INPUT');
      assert.ok(found, `${output}: ${JSON.stringify(problems)}`);
      assert.deepEqual([found.node, found.field], ['encoder', 'path']);
      assert.match(found.message, /decoder\.path/);
    }
    const fine = await validateGraph(transcodeGraph('in.mp4', 'out.mp4'), await testRegistry(), { checkEnv: env(dir) });
    assert.deepEqual(fine.problems, []);
  });

  test('the CLI refuses it before running (exit 2) and the input is untouched', () => {
    const graphFile = join(dir, 'same.json');
    writeFileSync(graphFile, JSON.stringify(transcodeGraph(input, join(dir, 'hard.mp4'))));
    const r = cli(['run', graphFile, '--overwrite']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /FF_OUTPUT_IS_INPUT encoder\.path/);
    assert.equal(sha256(input), original);
  });

  test('at run time, with overwrite on and validation skipped, the run fails and the input is untouched', async () => {
    const registry = await testRegistry();
    const { graph } = await validateGraph(transcodeGraph('in.mp4', 'hard.mp4'), registry); // no file checks
    assert.ok(graph);
    const plan = planStages(graph, { providers: ['cpu'], cpuThreads: 2 });
    await assert.rejects(runPlan(graph, plan, { paths: { cwd: dir }, overwrite: true }), (e: unknown) => isFramefuseError(e) && e.code === 'FF_OUTPUT_IS_INPUT' && e.node === 'encoder');
    assert.equal(sha256(input), original);
  });

  describe('over the API', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
      copyFileSync(input, join(server.dataDir, 'uploads', 'clip.mp4'));
      linkSync(join(server.dataDir, 'uploads', 'clip.mp4'), join(server.dataDir, 'outputs', 'alias.mp4'));
    });
    after(() => server.stop());

    test('a run whose output is its input is refused with 422 FF_OUTPUT_IS_INPUT', async () => {
      for (const output of ['uploads/clip.mp4', './uploads/clip.mp4', 'outputs/alias.mp4']) {
        const res = await server.api('POST', '/api/runs', { graph: transcodeGraph('uploads/clip.mp4', output), overwrite: true });
        assert.equal(res.status, 422, output);
        assert.ok(res.body.error.problems.some((p: { code: string }) => p.code === 'FF_OUTPUT_IS_INPUT'), JSON.stringify(res.body));
      }
      assert.equal(sha256(join(server.dataDir, 'uploads', 'clip.mp4')), original);
    });
  });
});
