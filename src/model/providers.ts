/**
 * Execution provider names: where ONNX models run. The runtime, the planner, the CLI's flags
 * and the editor's provider picker all read the names from here.
 */
import { z } from 'zod';

/** Providers framefuse knows, fastest first. */
export const EXECUTION_PROVIDERS = ['tensorrt', 'cuda', 'webgpu', 'cpu'] as const;

/** Where ONNX models run: NVIDIA's TensorRT or CUDA (their libraries installed separately), any Vulkan GPU through the bundled WebGPU provider, or the CPU. */
export const zExecutionProvider = z.enum(EXECUTION_PROVIDERS);
export type ExecutionProvider = z.infer<typeof zExecutionProvider>;

/** What a user may ask for: providers in order of preference, or `auto` (the fastest that loads, measured). */
export const zProviderChoice = z.union([zExecutionProvider, z.literal('auto')]);
export type ProviderChoice = z.infer<typeof zProviderChoice>;

/** A short description of each provider, for pickers and help text. */
export const PROVIDER_LABELS: Record<ExecutionProvider | 'auto', string> = {
  auto: 'auto (fastest measured)',
  tensorrt: 'tensorrt (NVIDIA, TensorRT installed)',
  cuda: 'cuda (NVIDIA, CUDA installed)',
  webgpu: 'webgpu (any Vulkan GPU)',
  cpu: 'cpu',
};

export function isExecutionProvider(name: string): name is ExecutionProvider {
  return (EXECUTION_PROVIDERS as readonly string[]).includes(name);
}
