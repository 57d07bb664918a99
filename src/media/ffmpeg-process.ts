/**
 * One running ffmpeg (or ffprobe) child process, owned by whoever started it. It keeps
 * the last lines of stderr for error messages, exposes its exit as a promise, and can be
 * stopped with SIGTERM then SIGKILL after a grace period. Every live process is also
 * killed when the Node process exits, so a crash never leaves an orphan ffmpeg behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface FfmpegProcessOptions {
  /** Pipe stdin (for encoders); otherwise it is closed so ffmpeg never waits on the terminal. */
  stdin?: boolean;
  /** Pipe stdout (for decoders); otherwise it is ignored. */
  stdout?: boolean;
  /** How many stderr lines to keep (default 40). */
  stderrLines?: number;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killLiveFfmpegProcesses);
}

/** Kills every ffmpeg this process started that is still running (SIGKILL, synchronous: for a hard exit). */
export function killLiveFfmpegProcesses(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** Number of ffmpeg processes this Node process started that have not exited yet. */
export function liveProcessCount(): number {
  return live.size;
}

export class FfmpegProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<ProcessExit>;
  private readonly stderrTail: string[] = [];
  private partialLine = '';
  private readonly maxLines: number;
  private exitInfo: ProcessExit | null = null;
  private spawnError: Error | null = null;

  constructor(
    readonly binary: string,
    readonly args: readonly string[],
    options: FfmpegProcessOptions = {},
  ) {
    this.maxLines = options.stderrLines ?? 40;
    installExitHook();
    this.child = spawn(binary, args, {
      stdio: [options.stdin ? 'pipe' : 'ignore', options.stdout ? 'pipe' : 'ignore', 'pipe'],
      windowsHide: true,
      // Its own process group: a Ctrl-C in the terminal reaches framefuse only, which decides
      // (a live run ends its stream and lets the Encoder finish the file; a file run
      // cancels) and stops its ffmpegs itself. The exit hook below still kills them all.
      detached: process.platform !== 'win32',
    });
    live.add(this.child);
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (text: string) => this.collect(text));
    // Without these listeners an EPIPE on a pipe would be an uncaught exception; the
    // exit status and stderr tell the real story.
    this.child.stdin?.on('error', () => {});
    this.child.stdout?.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.spawnError = error;
        live.delete(this.child);
        this.exitInfo = { code: null, signal: null };
        resolve(this.exitInfo);
      });
      this.child.once('close', (code, signal) => {
        live.delete(this.child);
        if (this.partialLine) this.pushLine(this.partialLine);
        this.partialLine = '';
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stdin(): Writable {
    if (!this.child.stdin) throw new Error('ffmpeg was started without a stdin pipe');
    return this.child.stdin;
  }

  get stdout(): Readable {
    if (!this.child.stdout) throw new Error('ffmpeg was started without a stdout pipe');
    return this.child.stdout;
  }

  /** The exit status once the process has ended, else null. */
  get exit(): ProcessExit | null {
    return this.exitInfo;
  }

  /** Set when the binary could not be started at all (ENOENT, EACCES). */
  get startError(): Error | null {
    return this.spawnError;
  }

  /** The last stderr lines, oldest first. */
  stderr(lines = this.maxLines): string[] {
    const all = this.partialLine ? [...this.stderrTail, this.partialLine] : [...this.stderrTail];
    return all.slice(-lines);
  }

  /** Stops the process: SIGTERM, then SIGKILL if it is still there after `graceMs`. Resolves when it is gone. */
  async stop(graceMs = 500): Promise<ProcessExit> {
    if (this.exitInfo) return this.exitInfo;
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private collect(text: string): void {
    const parts = (this.partialLine + text).split(/\r\n|\r|\n/);
    this.partialLine = parts.pop() ?? '';
    for (const line of parts) this.pushLine(line);
  }

  private pushLine(line: string): void {
    const trimmed = line.trimEnd();
    if (trimmed === '') return;
    this.stderrTail.push(trimmed);
    if (this.stderrTail.length > this.maxLines) this.stderrTail.shift();
  }
}

/** Runs a command to completion and returns its stdout, stderr tail and exit status. */
export async function runToCompletion(
  binary: string,
  args: readonly string[],
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string[]; exit: ProcessExit; startError: Error | null }> {
  const proc = new FfmpegProcess(binary, args, { stdout: true, stderrLines: 200 });
  const chunks: Buffer[] = [];
  proc.child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const onAbort = () => void proc.stop(200);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = options.timeoutMs === undefined ? null : setTimeout(onAbort, options.timeoutMs);
  try {
    const exit = await proc.exited;
    return { stdout: Buffer.concat(chunks).toString('utf8'), stderr: proc.stderr(), exit, startError: proc.startError };
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
