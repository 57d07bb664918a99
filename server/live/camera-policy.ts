/**
 * Which Cameras a server runs: a Camera that opens a URL (a device, a stream, a file) runs
 * only when the server was started allowing that kind (`serve --camera-schemes`), and only
 * for a client on this machine unless `--camera-remote` says otherwise. Browser cameras are
 * always allowed: their frames come from the page itself.
 */
import { cameraSourceKind } from '../../src/media/live-input.js';
import type { ResolvedGraph } from '../../src/graph/resolved-graph.js';
import { liveInputKind } from '../../src/media/live-input.js';
import { ApiError } from '../api-error.js';

export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Throws a 403 naming the node and the setting when the graph opens a URL this server may not. */
export function checkCameraPolicy(graph: ResolvedGraph, policy: { schemes: readonly string[]; remote: boolean }, clientAddress: string | undefined): void {
  for (const [id, node] of graph.nodes) {
    if (node.definition.type !== 'Camera') continue;
    const params = node.params as { source: string; url: string };
    if (cameraSourceKind(params) !== 'url') continue;
    const kind = liveInputKind(params.url);
    if (!policy.schemes.includes(kind)) {
      throw new ApiError(403, 'FF_CAMERA_SCHEME_REFUSED', `${id}: this server does not open ${kind} camera URLs (allowed: ${policy.schemes.length > 0 ? policy.schemes.join(', ') : 'none'}); start it with --camera-schemes ${kind}, or use the browser camera (source "browser")`);
    }
    if (!policy.remote && !isLoopback(clientAddress)) {
      throw new ApiError(403, 'FF_CAMERA_REMOTE_REFUSED', `${id}: a Camera that opens a URL on the server runs only for clients on the server's machine; start the server with --camera-remote to allow others, or use the browser camera (source "browser")`);
    }
  }
}
