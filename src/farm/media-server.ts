/**
 * Stream mode's endpoint on the submitter: workers without a shared folder download their
 * segment's input and upload the rendered segment over HTTP. It trusts nothing it did not
 * check: every request carries the run's token (compared in constant time), the run id and
 * segment index come from the URL and are checked against the run, and file paths are
 * never taken from a request. An upload is written beside its final name and renamed when
 * complete, and is refused past a size limit.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { timingSafeEqual } from 'node:crypto';
import type { RunRecord } from './farm-queue.js';
import { cutName } from './segment-cut.js';

/** The largest segment a worker may upload (a 30 s segment of 8K ProRes is about 5 GB). */
export const MAX_UPLOAD_BYTES = 32 * 2 ** 30;

export interface MediaServerOptions {
  host: string;
  port: number;
  token: string;
  run: RunRecord;
  /** Where segment k's upload goes (the path the join reads). */
  segmentPath: (index: number) => string;
}

export interface MediaServer {
  port: number;
  close(): Promise<void>;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export async function startMediaServer(options: MediaServerOptions): Promise<MediaServer> {
  const route = /^\/farm\/([0-9a-f]{16})\/(input|output)\/(\d{1,6})$/;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${text}\n`);
    };
    if (!tokenMatches(req.headers.authorization, options.token)) return reply(401, 'a farm token is required');
    const match = route.exec(new URL(req.url ?? '/', 'http://farm').pathname);
    const index = match ? Number(match[3]) : -1;
    if (!match || match[1] !== options.run.runId || index >= options.run.segments.length) return reply(404, 'no such segment of this run');
    if (match[2] === 'input' && req.method === 'GET') {
      const file = join(options.run.segmentDir, 'input', cutName(index));
      const size = (await stat(file)).size;
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(size) });
      await pipeline(createReadStream(file), res);
      return;
    }
    if (match[2] === 'output' && req.method === 'PUT') {
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (!(declared >= 0) || declared > MAX_UPLOAD_BYTES) return reply(413, `give a content-length up to ${MAX_UPLOAD_BYTES} bytes`);
      const target = options.segmentPath(index);
      const part = `${target}.upload-${process.pid}`;
      await mkdir(dirname(target), { recursive: true });
      let received = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > declared) req.destroy(new Error('more bytes than the content-length said'));
      });
      try {
        await pipeline(req, createWriteStream(part));
        if (received !== declared) throw new Error(`received ${received} of ${declared} bytes`);
        await rename(part, target);
      } catch (error) {
        await rm(part, { force: true });
        return reply(400, `upload failed: ${(error as Error).message}`);
      }
      return reply(200, 'stored');
    }
    return reply(405, 'GET input or PUT output');
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`${(error as Error).message}\n`);
    });
  });
  server.requestTimeout = 0; // segments can take long to send; the token and size limit guard it
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
