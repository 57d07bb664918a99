import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { chainParts, linkChain, type ChainSpec } from '../../src/onnx/model-chain.js';
import { encodeModel } from '../../src/onnx/model-io.js';
import { linearChain, SessionChain } from '../../src/runtime/session-chain.js';
import { filled, maxAbsDiff, runModel } from '../onnx/helpers.js';
import { requireWebGpu } from './webgpu.js';

/**
 * ```
 *   x ─> [ a: conv ] ─ a/y ─> [ b: relu * 2 ] ─ b/z ─┐
 *           └────────── a/y ─────────────────────> [ c: add ] ─> out
 * ```
 */
function conv(): GraphBuilder {
  const g = new GraphBuilder('a', { opset: 17 });
  const x = g.input('x', 'float32', ['N', 3, 16, 16]);
  const w = g.initializer('w', filled(8 * 3 * 9, 3).map((v) => v - 0.5), [8, 3, 3, 3]);
  g.output(g.node('Conv', [x, w], { pads: [1, 1, 1, 1] }), 'y', 'float32', ['N', 8, 16, 16]);
  return g;
}
function twiceRelu(): GraphBuilder {
  const g = new GraphBuilder('b', { opset: 17 });
  g.output(g.node('Mul', [g.node('Relu', [g.input('v', 'float32', ['N', 8, 16, 16])]), g.scalar('two', 2)]), 'z', 'float32', ['N', 8, 16, 16]);
  return g;
}
function add(): GraphBuilder {
  const g = new GraphBuilder('c', { opset: 17 });
  g.output(g.node('Add', [g.input('p', 'float32', ['N', 8, 16, 16]), g.input('q', 'float32', ['N', 8, 16, 16])]), 'sum', 'float32', ['N', 8, 16, 16]);
  return g;
}

const spec = (): ChainSpec => ({
  name: 'abc',
  parts: [
    { name: 'a', model: conv().toModel() },
    { name: 'b', model: twiceRelu().toModel(), from: { v: 'a/y' } },
    { name: 'c', model: add().toModel(), from: { p: 'a/y', q: 'b/z' } },
  ],
  outputs: { out: 'c/sum' },
});

async function chainFiles(dir: string): Promise<{ name: string; file: string; inputs: string[]; outputs: string[] }[]> {
  return Promise.all(
    chainParts(spec()).map(async (part) => {
      const file = join(dir, `${part.name}.onnx`);
      await writeFile(file, encodeModel(part.model));
      return { name: part.name, file, inputs: part.inputs, outputs: part.outputs };
    }),
  );
}

describe('model chains: linked into one model, or sessions kept on the device', () => {
  const x = { data: filled(2 * 3 * 16 * 16, 7), dims: [2, 3, 16, 16] };
  let expected: Float32Array;

  before(async () => {
    // The reference: each part on its own on the CPU, values copied through the host.
    const y = (await runModel(conv().toModel(), { x })).y!;
    const z = (await runModel(twiceRelu().toModel(), { v: y })).z!;
    expected = (await runModel(add().toModel(), { p: y, q: z })).sum!.data;
  });

  test('the linked model gives what the parts give one by one', async () => {
    const linked = await runModel(linkChain(spec()), { x });
    assert.deepEqual(Object.keys(linked), ['out']);
    assert.ok(maxAbsDiff(linked.out!.data, expected) < 1e-5);
  });

  test('a reference to a value no earlier part writes is refused with the part named', () => {
    const broken = spec();
    broken.parts[1]!.from = { v: 'c/sum' };
    assert.throws(() => chainParts(broken), /FF_COMPOSE_REFUSED|b\.v reads c\/sum/);
  });

  test('on webgpu the intermediates stay on the device and the result matches the CPU', async () => {
    await requireWebGpu();
    const dir = await mkdtemp(join(tmpdir(), 'ff-chain-'));
    const links = await chainFiles(dir);
    const chain = await SessionChain.open(linearChain(links, ['out']), { providers: ['webgpu'] });
    try {
      assert.equal(chain.provider, 'webgpu');
      assert.equal(chain.onDevice, true);
      const first = await chain.run({ x }, ['out']);
      const second = await chain.run({ x }, ['out']);
      assert.ok(maxAbsDiff(first.out!.data as Float32Array, expected) < 1e-4, `max diff ${maxAbsDiff(first.out!.data as Float32Array, expected)}`);
      assert.deepEqual([...second.out!.data], [...first.out!.data]);
      assert.equal(chain.runs, 2);
    } finally {
      await chain.dispose();
    }
  });

  test('the same chain on the cpu provider copies through the host and agrees', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-chain-'));
    const chain = await SessionChain.open(linearChain(await chainFiles(dir), ['out']), { providers: ['cpu'], threads: 1 });
    try {
      assert.equal(chain.onDevice, false);
      assert.ok(maxAbsDiff((await chain.run({ x }, ['out'])).out!.data as Float32Array, expected) < 1e-5);
    } finally {
      await chain.dispose();
    }
  });

  test('reading a device tensor on the host is refused with an error, not a crash of the process', async () => {
    await requireWebGpu();
    // In a child: if the guard failed, onnxruntime would abort that process, not this one.
    const script = `
      import ort from 'onnxruntime-node';
      import { GraphBuilder } from ${JSON.stringify(new URL('../../src/onnx/builder.js', import.meta.url).href)};
      import { fromOrtTensor } from ${JSON.stringify(new URL('../../src/runtime/tensors.js', import.meta.url).href)};
      const g = new GraphBuilder('t', { opset: 17 });
      g.output(g.node('Relu', [g.input('x', 'float32', [2])]), 'y', 'float32', [2]);
      const s = await ort.InferenceSession.create(g.toBytes(), { executionProviders: [{ name: 'webgpu' }], preferredOutputLocation: 'gpu-buffer', logSeverityLevel: 4 });
      const r = await s.run({ x: new ort.Tensor('float32', Float32Array.from([-1, 2]), [2]) });
      try { fromOrtTensor(r.y); console.log('read'); } catch (e) { console.log('refused: ' + e.message); }
      r.y.dispose(); await s.release();`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /refused: an output stayed on the device \(gpu-buffer\)/);
  });
});
