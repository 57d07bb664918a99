/**
 * How a framefuse command ends, so that nothing is left behind and the process never
 * aborts from inside onnxruntime:
 *   - `endProcessNow` (a second Ctrl-C, or a cancel whose cleanup ran past its limit):
 *     kills every ffmpeg child and removes every partial file, synchronously; then waits
 *     for the native calls in flight (a model run in a worker thread takes at most about
 *     one batch) and exits with the code. If a native call is still running after the
 *     wait, exiting would abort the process through N-API, so the process ends by SIGKILL
 *     instead (its files are already cleaned up).
 *   - `settleBeforeExit` (a command that ended by itself): closes the native gate and
 *     waits, because Node stops worker threads as the process exits, and a worker whose
 *     stop was abandoned (busy past its dispose grace) may still be inside a run.
 */
import { killLiveFfmpegProcesses } from '../media/ffmpeg-process.js';
import { removeTrackedPartFilesSync } from '../files/part-files.js';
import { closeNativeGate } from '../runtime/native-gate.js';

/** How long an exit waits for a native call (one model run) to return. */
const NATIVE_WAIT_MS = 10_000;

export function endProcessNow(code: number): never {
  killLiveFfmpegProcesses();
  removeTrackedPartFilesSync();
  if (!closeNativeGate(NATIVE_WAIT_MS)) process.kill(process.pid, 'SIGKILL');
  process.exit(code);
}

export function settleBeforeExit(): void {
  closeNativeGate(NATIVE_WAIT_MS);
}

/** Exit status for a run stopped by a signal: 128 + its number, as shells report it. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130;
}
