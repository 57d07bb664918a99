/**
 * How a framefuse command ends, so that nothing is left behind and the process never
 * aborts from inside onnxruntime:
 *   - `endProcessNow` (a second Ctrl-C, or a cancel whose cleanup ran past its limit):
 *     kills every ffmpeg child and removes every partial file, synchronously; then waits
 *     for the native calls in flight (a model run in a worker thread takes at most about
 *     one batch) and exits with the code. If a native call is still running after the
 *     wait, exiting would abort the process through N-API, so the process ends by SIGKILL
 *     instead (its files are already cleaned up).
 *   - `cancelOnSignals` (a command that cancels on Ctrl-C): the first signal aborts, the
 *     second, or a cleanup past its limit, ends the process now.
 *   - `settleBeforeExit` (a command that ended by itself): closes the native gate and
 *     waits, because Node stops worker threads as the process exits, and a worker whose
 *     stop was abandoned (busy past its dispose grace) may still be inside a run.
 */
import { killLiveFfmpegProcesses } from '../media/ffmpeg-process.js';
import { removeTrackedPartFilesSync } from '../files/part-files.js';
import { closeNativeGate } from '../onnx/native-gate.js';

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

export interface SignalCancel {
  /** The exit status of the first signal (130 for Ctrl-C, 143 for SIGTERM); null while none came. */
  readonly stoppedWith: number | null;
  /** Stops listening for the signals (the command is over). */
  dispose(): void;
}

/**
 * Ctrl-C (or SIGTERM) aborts `controller`, so the command cancels cleanly; a second signal,
 * or a cleanup still running `forceExitMs` after the first, ends the process at once.
 * `notice` says what is being cancelled (null: print nothing). `claimedElsewhere`, when it
 * returns true, takes a signal for another purpose (a live run's graceful stop).
 */
export function cancelOnSignals(controller: AbortController, forceExitMs: number, notice: string | null, claimedElsewhere?: () => boolean): SignalCancel {
  let stoppedWith: number | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    // A live run's first Ctrl-C stops its stream instead (live-stop.ts).
    if (claimedElsewhere?.()) return;
    const code = stoppedWith ?? signalExitCode(signal);
    if (stoppedWith !== null) endProcessNow(code);
    stoppedWith = code;
    if (notice !== null) process.stderr.write(`\n${notice} (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit at once)\n`);
    controller.abort();
    setTimeout(() => endProcessNow(code), forceExitMs).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get stoppedWith() {
      return stoppedWith;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
