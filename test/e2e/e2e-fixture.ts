/**
 * A server for the browser tests: the test nodes plus the built-in ones, a fresh data
 * folder with one graph, and helpers to read what the page shows.
 *
 *   src (TestSource) ──frames──▶ enc (Encoder, outputs/e2e.mp4)
 *        └──────────frames──▶ t (TestTransform) ──frames──▶ sink (TestChecksum)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/create-server.js';
import { testRegistry } from '../helpers.js';
import type { GraphDocument } from '../../src/model/document.js';

export const E2E_GRAPH: GraphDocument = {
  schemaVersion: 1,
  name: 'e2e',
  nodes: [
    { id: 'src', type: 'TestSource', version: 1, params: { frames: 48, width: 160, height: 96, chunk: 4, delayMs: 60 }, position: { x: 0, y: 120 } },
    { id: 't', type: 'TestTransform', version: 1, params: {}, position: { x: 320, y: 0 } },
    { id: 'sink', type: 'TestChecksum', version: 1, params: {}, position: { x: 640, y: 0 } },
    { id: 'enc', type: 'Encoder', version: 1, params: { path: 'outputs/e2e.mp4', preset: 'ultrafast' }, position: { x: 320, y: 260 } },
  ],
  edges: [
    { from: { node: 'src', port: 'frames' }, to: { node: 't', port: 'frames' } },
    { from: { node: 't', port: 'frames' }, to: { node: 'sink', port: 'frames' } },
    { from: { node: 'src', port: 'frames' }, to: { node: 'enc', port: 'frames' } },
  ],
  metadata: {},
};

export interface E2eServer {
  server: RunningServer;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startE2eServer(): Promise<E2eServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'framefuse-e2e-'));
  mkdirSync(join(dataDir, 'graphs'));
  writeFileSync(join(dataDir, 'graphs', 'e2e.json'), `${JSON.stringify(E2E_GRAPH, null, 2)}\n`);
  const server = await startServer({ port: 0, dataDir, registry: await testRegistry(), progressIntervalMs: 200, previewIntervalMs: 300 });
  return {
    server,
    dataDir,
    stop: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
