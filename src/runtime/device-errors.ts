/**
 * What a failed session run means. A GPU that disappears mid-run (a driver reset, a
 * removed or hung adapter: WebGPU's "device lost", CUDA's launch failures) is not the
 * model's fault: it gets its own code, so the run's error names the stage and says what
 * to do, and the scheduler stops every stage before anything is written under the final
 * name.
 */
import { operationalError, type FramefuseError } from '../errors.js';

const DEVICE_LOST = /device (was |is )?lost|DeviceLost|lost the device|VK_ERROR_DEVICE_LOST|CUDA failure 999|unspecified launch failure|an illegal memory access|GPU has fallen off the bus/i;

export function isDeviceLost(message: string): boolean {
  return DEVICE_LOST.test(message);
}

/** The error to throw for a failed `session.run` while doing `what` ("running x.onnx on webgpu"). */
export function deviceFailure(error: unknown, what: string): FramefuseError {
  const line = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  if (isDeviceLost(line)) {
    return operationalError('FF_GPU_LOST', `the GPU was lost while ${what}: ${line}`, {
      cause: error,
      fix: 'check the GPU and its driver (dmesg, nvidia-smi), then run again; --provider cpu runs without it',
    });
  }
  return operationalError('FF_INFERENCE_FAILED', `${what} failed: ${line}`, { cause: error });
}
