/**
 * The WebGPU tests run on whatever adapter this machine has: in CI, Mesa's lavapipe (a
 * software Vulkan driver, `mesa-vulkan-drivers` from Debian's bookworm-backports: slow,
 * exact); on a developer's machine, its GPU. Without any adapter they fail with the fix,
 * since a skipped GPU test would pass for the wrong reason.
 */
import ort from 'onnxruntime-node';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { gpuReport } from '../../src/runtime/gpu-adapter.js';

let checked: Promise<void> | undefined;

/** Resolves when a WebGPU session can be created here; rejects with how to get one. */
export function requireWebGpu(): Promise<void> {
  checked ??= (async () => {
    const g = new GraphBuilder('webgpu_check', { opset: 17 });
    g.output(g.node('Relu', [g.input('x', 'float32', [1])]), 'y', 'float32', [1]);
    try {
      const session = await ort.InferenceSession.create(g.toBytes(), { executionProviders: [{ name: 'webgpu' }], logSeverityLevel: 4 });
      await session.release();
    } catch (error) {
      throw new Error(
        `the WebGPU tests need a Vulkan adapter and found none (${gpuReport().summary}; ${(error as Error).message.split('\n')[0]}). ` +
          'On Debian bookworm: add the bookworm-backports suite and apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1 (as .ci/run does).',
      );
    }
  })();
  return checked;
}
