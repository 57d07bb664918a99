/**
 * Stream mode on the worker: downloads its segment's input from the submitter's endpoint
 * into a private temporary folder, and uploads the rendered segment back. The endpoint
 * and its token come from the run's record in Redis (a re-attached submitter publishes
 * its new address there).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request } from 'node:http';
import { farmOperationalError } from './farm-errors.js';

export interface MediaEndpoint {
  url: string;
  token: string;
}

function failure(what: string, endpoint: MediaEndpoint, reason: string) {
  return farmOperationalError('FF_FARM_MEDIA_NOT_SHARED', `${what} from the submitter at ${endpoint.url} failed: ${reason}.`, {
    fix: 'The submitter must be reachable from the workers at that address (set it with --media-host and --media-port), or use --media shared with a folder every worker mounts.',
  });
}

export async function downloadInput(endpoint: MediaEndpoint, runId: string, index: number, target: string, signal: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${endpoint.url}/farm/${runId}/input/${index}`, { headers: { authorization: `Bearer ${endpoint.token}` }, signal });
  } catch (error) {
    throw failure(`Downloading segment ${index + 1}'s input`, endpoint, (error as Error).message);
  }
  if (!response.ok || !response.body) throw failure(`Downloading segment ${index + 1}'s input`, endpoint, `HTTP ${response.status} ${(await response.text()).trim()}`);
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(target), { signal });
}

export async function uploadOutput(endpoint: MediaEndpoint, runId: string, index: number, file: string, signal: AbortSignal): Promise<void> {
  const size = (await stat(file)).size;
  const url = new URL(`${endpoint.url}/farm/${runId}/output/${index}`);
  const status = await new Promise<{ code: number; text: string }>((resolve, reject) => {
    const req = request(url, { method: 'PUT', signal, headers: { authorization: `Bearer ${endpoint.token}`, 'content-length': String(size), 'content-type': 'video/mp4' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    pipeline(createReadStream(file), req).catch(reject);
  }).catch((error: unknown) => {
    throw failure(`Uploading segment ${index + 1}`, endpoint, (error as Error).message);
  });
  if (status.code !== 200) throw failure(`Uploading segment ${index + 1}`, endpoint, `HTTP ${status.code} ${status.text.trim()}`);
}
