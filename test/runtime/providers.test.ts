import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createSessionWithFallback, parseProviderChoice, parseProviders, probeProviders } from '../../src/runtime/providers.js';
import { openModel } from '../../src/runtime/model-session.js';
import { sessionOptions } from '../../src/runtime/session-options.js';
import { modelsFolder } from './fixtures.js';

describe('execution providers', () => {
  test('probeProviders reports cpu available and says why cuda and tensorrt are not', async () => {
    const reports = await probeProviders();
    assert.deepEqual(reports.map((r) => r.name), ['tensorrt', 'cuda', 'webgpu', 'cpu']);
    const cpu = reports.find((r) => r.name === 'cpu');
    assert.equal(cpu?.available, true);
    // This machine has no CUDA libraries: the reason must say so rather than be empty.
    for (const name of ['cuda', 'tensorrt']) {
      const report = reports.find((r) => r.name === name);
      assert.equal(report?.available, false);
      assert.match(report?.reason ?? '', /librar/i);
    }
  });

  test('asking for cuda then cpu falls back to cpu with a warning that names why', async () => {
    const { fixed } = await modelsFolder();
    const warnings: string[] = [];
    const opened = await createSessionWithFallback(fixed, ['tensorrt', 'cuda', 'cpu'], sessionOptions({ threads: 1 }), (m) => warnings.push(m));
    assert.equal(opened.provider, 'cpu');
    assert.deepEqual(opened.attempts.map((a) => a.provider), ['tensorrt', 'cuda']);
    assert.equal(warnings.length, 2);
    assert.match(warnings[1] ?? '', /cuda failed, trying cpu: .*librar/i);
    assert.match(opened.reason, /fell back to cpu/);
    await opened.session.release();
  });

  test('openModel says which provider it landed on', async () => {
    const { fixed, dir } = await modelsFolder();
    const warnings: string[] = [];
    const session = await openModel(fixed, { providers: ['cuda', 'cpu'], threads: 1, modelsDir: dir, log: { info: () => {}, warn: (m) => warnings.push(m) } });
    assert.equal(session.provider, 'cpu');
    assert.match(session.providerReason, /cuda failed/);
    assert.equal(warnings.length, 1);
    await session.dispose();
  });

  test('only cuda asked for on a machine without it: the load error, not a silent cpu', async () => {
    const { fixed, dir } = await modelsFolder();
    await assert.rejects(openModel(fixed, { providers: ['cuda'], modelsDir: dir }), /FF_MODEL_LOAD_FAILED|could not load/);
  });

  test('an unknown provider name is a user error listing the known ones', () => {
    assert.throws(() => parseProviders(['cpu', 'gpu']), (e: Error & { code?: string; kind?: string; fix?: string }) => {
      assert.equal(e.code, 'FF_PROVIDER_UNKNOWN');
      assert.equal(e.kind, 'user');
      assert.match(e.message, /"gpu"/);
      assert.match(e.fix ?? '', /tensorrt, cuda, webgpu, cpu/);
      return true;
    });
    assert.deepEqual(parseProviders(['CUDA', ' cpu']), ['cuda', 'cpu']);
  });

  test('a user\'s choice: auto by default and alone, or a list that ends with cpu', () => {
    assert.deepEqual(parseProviderChoice(undefined), ['auto']);
    assert.deepEqual(parseProviderChoice(['auto']), ['auto']);
    assert.deepEqual(parseProviderChoice(['webgpu']), ['webgpu', 'cpu']);
    assert.deepEqual(parseProviderChoice(['cuda,webgpu', 'cuda']), ['cuda', 'webgpu', 'cpu']);
    assert.throws(() => parseProviderChoice(['auto', 'cpu']), /"auto" cannot be combined/);
  });
});
