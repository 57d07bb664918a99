/**
 * `framefuse serve`: the editor and its API. `framefuse start`: the same, after building
 * the editor when its build is missing or older than its sources, with the default graph
 * opened (anonymize, else transcode, else the first graph).
 */
import { CAMERA_SCHEMES } from '../../run/live-run.js';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { operationalError, userError } from '../../errors.js';
import type { RunningServer } from '../../../server/create-server.js';
import { cliRegistry, collect, providerFlag, PROVIDER_HELP } from '../context.js';
import { endProcessNow, signalExitCode } from '../process-end.js';

/** The repository root (dist/src/cli/commands -> ../../../../). */
const PROJECT_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLIENT_DIR = join(PROJECT_ROOT, 'client');

interface ServeOptions {
  port: string;
  host: string;
  token?: string;
  data: string;
  graphs?: string;
  provider?: string[];
  concurrency: string;
  allowHost?: string[];
  farm?: string;
  segmentSeconds?: string;
  cameraSchemes?: string;
  cameraRemote?: boolean;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** True when client/dist is missing or older than anything it is built from. */
export function clientBuildIsStale(root = PROJECT_ROOT): boolean {
  const built = join(root, 'client', 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['client/src', 'client/index.html', 'client/vite.config.ts', 'src/model'].map((p) => newestMtime(join(root, p)));
  return Math.max(...sources) > statSync(built).mtimeMs;
}

function buildClient(): void {
  const vite = join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) throw operationalError('FF_CLIENT_BUILD', 'cannot build the editor: vite is not installed (run npm install)');
  process.stderr.write('building the editor (client/) ...\n');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(CLIENT_DIR, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw operationalError('FF_CLIENT_BUILD', `building the editor failed (vite exited with ${result.status ?? result.signal})`);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw userError('FF_BAD_OPTION', `--port must be a whole number from 0 to 65535, not "${text}"`);
  return port;
}

/** `--farm` checked before the server starts: a URL that is Redis and answers now, and a segment length. */
async function farmTarget(url: string, segmentSeconds: string | undefined): Promise<{ url: string; segmentSeconds: number }> {
  const { parseFarmUrl, pingRedis } = await import('../../farm/redis-connection.js');
  const seconds = segmentSeconds === undefined ? 30 : Number(segmentSeconds);
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw userError('FF_BAD_OPTION', `--segment-seconds must be a positive number of seconds, not "${segmentSeconds}"`);
  await pingRedis(parseFarmUrl(url));
  return { url, segmentSeconds: seconds };
}

function parseCameraSchemes(text: string): string[] {
  const schemes = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = schemes.filter((s) => !(CAMERA_SCHEMES as readonly string[]).includes(s));
  if (unknown.length > 0) throw userError('FF_BAD_OPTION', `--camera-schemes: unknown ${unknown.join(', ')}; choose from ${CAMERA_SCHEMES.join(', ')}`);
  return schemes;
}

async function serve(opts: ServeOptions, openDefault: boolean): Promise<void> {
  if (opts.segmentSeconds !== undefined && opts.farm === undefined) throw userError('FF_BAD_OPTION', '--segment-seconds applies with --farm only: add --farm redis://host:6379, or leave it out');
  const token = opts.token ?? process.env['FRAMEFUSE_TOKEN'];
  const concurrency = Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw userError('FF_BAD_OPTION', `--concurrency must be a whole number >= 1, not "${opts.concurrency}"`);
  // express and socket.io load here, not at every command's start-up.
  const { startServer } = await import('../../../server/create-server.js');
  const { defaultGraphName } = await import('../../../server/routes/info.js');
  const server: RunningServer = await startServer({
    host: opts.host,
    port: parsePort(opts.port),
    ...(token ? { token } : {}),
    dataDir: resolve(opts.data),
    ...(opts.graphs ? { graphsDir: opts.graphs } : {}),
    registry: await cliRegistry(),
    ...(opts.provider ? { providers: providerFlag(opts.provider) } : {}),
    concurrency,
    ...(opts.allowHost ? { allowHosts: opts.allowHost } : {}),
    ...(opts.farm !== undefined ? { farm: await farmTarget(opts.farm, opts.segmentSeconds) } : {}),
    ...(opts.cameraSchemes ? { cameraSchemes: parseCameraSchemes(opts.cameraSchemes) } : {}),
    cameraRemote: opts.cameraRemote ?? false,
  });
  const query = new URLSearchParams();
  if (openDefault) {
    const graph = defaultGraphName(server.context.folders.graphs);
    if (graph) query.set('graph', graph);
  }
  // The page reads the token from the URL once, keeps it for the tab and sends it with
  // every request: whoever opens this URL can use the editor, nobody else can.
  query.set('token', server.token);
  const url = `${server.url}/?${query.toString()}`;
  process.stdout.write(`framefuse editor: ${url}\n`);
  process.stdout.write(`data folder: ${server.context.folders.root} (graphs, uploads, outputs)\n`);
  if (opts.farm !== undefined) process.stdout.write(`runs go to the render farm at ${opts.farm} (start workers with: framefuse worker ${opts.farm})\n`);
  // Stay up until Ctrl-C / SIGTERM, then cancel runs and close cleanly (a server stopped so
  // has done its job: exit 0); a second signal ends at once.
  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) endProcessNow(signalExitCode(signal));
      stopping = true;
      process.stderr.write('stopping: cancelling runs ...\n');
      server.close().then(done, done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function withServeOptions(command: Command): Command {
  return command
    .option('--port <n>', 'port (0 picks a free one)', '8188')
    .option('--host <address>', 'address to bind; anything but loopback needs --token', '127.0.0.1')
    .option('--token <secret>', 'the token requests must carry (also FRAMEFUSE_TOKEN); default: a new random one each start. The printed URL carries it')
    .option('--allow-host <name>', 'another host name the server answers to (repeatable), e.g. behind a proxy; others are refused (DNS rebinding)', collect)
    .option('--data <dir>', 'data folder: graphs/, uploads/ and outputs/ live in it; runs resolve relative paths against it', '.')
    .option('--graphs <dir>', 'graphs folder, relative to the data folder (default graphs)')
    .option('--provider <name>', `${PROVIDER_HELP}; for graphs that name none`, collect)
    .option('--concurrency <n>', 'runs at a time (later runs wait in the queue)', '1')
    .option('--farm <redis-url>', 'submit every run to a render farm on this Redis (redis://host:6379[/db]) instead of running it here; the data folder must be shared with the workers (docs/farm.md)')
    .option('--segment-seconds <s>', 'with --farm: about how long each segment is, cut at keyframes (default 30)')
    .option('--camera-schemes <list>', `URL kinds a Camera node may open on this server, comma-separated (${CAMERA_SCHEMES.join(', ')}); default none: browser cameras only`)
    .option('--camera-remote', 'let clients on other machines start Cameras that open URLs here (default: local clients only)');
}

export function register(program: Command): void {
  withServeOptions(program.command('serve'))
    .description('Serve the editor and its API (REST under /api, live run events over socket.io).')
    .addHelpText('after', '\nExamples:\n  $ framefuse serve\n  $ framefuse serve --port 9000 --data ~/renders\n  $ framefuse serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"')
    .action(async (opts: ServeOptions) => serve(opts, false));

  withServeOptions(program.command('start'))
    .description('Build the editor if needed, serve it, and open the default graph on the bundled sample clip.')
    .addHelpText('after', '\nExamples:\n  $ npm start\n  $ framefuse start --port 9000')
    .action(async (opts: ServeOptions) => {
      if (clientBuildIsStale()) buildClient();
      await serve(opts, true);
    });
}
