/**
 * A model with an operator WebGPU has no kernel for still runs: onnxruntime moves that node
 * to the CPU. The run log must say which nodes left the GPU (read from onnxruntime's
 * profile of the first run), once, and leave shape arithmetic out of the complaint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { openModel } from '../../src/runtime/model-session.js';
import { SessionChain } from '../../src/runtime/session-chain.js';
import { placementFromProfile } from '../../src/runtime/placement.js';
import { requireWebGpu } from './webgpu.js';

/** x [N,4,4] -> Relu -> Det (no WebGPU kernel) -> Relu. */
async function withDet(): Promise<string> {
  const g = new GraphBuilder('with_det', { opset: 17 });
  const x = g.input('x', 'float32', ['N', 4, 4]);
  const det = g.node('Det', [g.node('Relu', [x], {}, { name: 'relu_in' })], {}, { name: 'det_node' });
  g.output(g.node('Relu', [det], {}, { name: 'relu_out' }), 'y', 'float32', ['N']);
  const dir = await mkdtemp(join(tmpdir(), 'ff-placement-'));
  const file = join(dir, 'with_det.onnx');
  await writeFile(file, g.toBytes());
  return file;
}

const feeds = () => ({ x: { data: Float32Array.from({ length: 32 }, (_, i) => (i % 5 === 0 ? 2 : 0.1)), dims: [2, 4, 4] } });

test('the profile tells device nodes, CPU nodes that cost copies, and shape arithmetic apart', () => {
  const node = (name: string, op: string, provider: string, type = 'float') => ({ cat: 'Node', name: `${name}_kernel_time`, args: { op_name: op, provider, input_type_shape: [{ [type]: [2] }], output_type_shape: [{ [type]: [2] }] } });
  const p = placementFromProfile([node('a', 'Conv', 'WebGpuExecutionProvider'), node('b', 'Det', 'CPUExecutionProvider'), node('c', 'Gather', 'CPUExecutionProvider', 'int64'), node('m', 'MemcpyToHost', 'WebGpuExecutionProvider'), { cat: 'Session', name: 'x' }]);
  assert.deepEqual(p, { onDevice: 1, leftDevice: [{ name: 'b', op: 'Det' }], shapeOnCpu: 1 });
});

test('a model session on webgpu says after its first run which nodes left the GPU, once', async () => {
  await requireWebGpu();
  const file = await withDet();
  const logs: { level: string; message: string }[] = [];
  const session = await openModel(file, { providers: ['webgpu'], log: { info: (m) => logs.push({ level: 'info', message: m }), warn: (m) => logs.push({ level: 'warn', message: m }) } });
  try {
    assert.equal(session.provider, 'webgpu');
    const first = await session.run(feeds());
    assert.equal(first['y']!.dims[0], 2);
    const warnings = logs.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1, JSON.stringify(logs));
    assert.match(warnings[0]!.message, /1 of 3 nodes left webgpu for the CPU \(no webgpu kernel\): Det \(det_node\); their data crosses to the host/);
    await session.run(feeds());
    assert.equal(logs.filter((l) => l.level === 'warn').length, 1, 'said once');
  } finally {
    await session.dispose();
  }
});

test('a session chain says it for each of its models', async () => {
  await requireWebGpu();
  const file = await withDet();
  const logs: string[] = [];
  const chain = await SessionChain.open([{ name: 'det', file }], { providers: ['webgpu'], log: { info: (m) => logs.push(m), warn: (m) => logs.push(m) } });
  try {
    await chain.run(feeds(), ['y']);
    assert.ok(logs.some((m) => /^det: 1 of 3 nodes left webgpu for the CPU/.test(m)), logs.join('\n'));
  } finally {
    await chain.dispose();
  }
});
