/**
 * `framefuse start` as a user runs it, in its own process group: the repository as the data
 * folder, graphs/ as the graphs folder, the editor built if stale, the default graph in the
 * printed URL. stop() ends the server and anything it started (ffmpeg), also when a test
 * failed half-way, and a last-resort exit hook kills the group if the test process ends first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './browser.js';

export interface CliServer {
  /** The URL `framefuse start` printed (with ?graph=<default graph>). */
  url: string;
  /** http://host:port */
  origin: string;
  stop(): Promise<void>;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

const exited = (child: ChildProcess, ms: number) =>
  new Promise<boolean>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

export async function startCli(args: string[] = [], timeoutMs = 30_000): Promise<CliServer> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'framefuse.js'), 'start', '--port', '0', ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', onExit);
  let output = '';
  const stop = async () => {
    process.off('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // the server cancels its runs and closes
      if (!(await exited(child, 8_000))) killGroup(child, 'SIGKILL');
      await exited(child, 2_000);
    }
    killGroup(child, 'SIGKILL'); // ffmpeg or anything else left in the group
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`framefuse start printed no URL in ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /framefuse editor: (http\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`framefuse start exited (${code ?? signal}) before serving:\n${output}`));
      });
      child.once('error', reject);
    });
    // Keep draining its output so a chatty server never blocks on a full pipe.
    child.stdout!.on('data', () => undefined);
    child.stderr!.on('data', () => undefined);
    return { url, origin: new URL(url).origin, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
