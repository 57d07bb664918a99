/**
 * Who may talk to the server, told by the Host and Origin headers:
 *   - Host must name the address the server is bound to (DNS rebinding: a page on
 *     evil.example whose name now resolves to 127.0.0.1 still sends `Host: evil.example`).
 *     Loopback binds accept 127.0.0.1, localhost and [::1] on the bound port; a wildcard
 *     bind (0.0.0.0, ::) accepts any name, since it cannot know its names (it needs a token).
 *   - Origin, when a browser sends one, must be the server's own (the page it served):
 *     `http(s)://<the Host of the request>`. Any other origin, and `null`, is refused.
 * One check for REST and socket.io.
 */
import { isLoopbackHost } from '../auth.js';

export interface HostPolicy {
  /** `host:port` values a request may name; null accepts any (wildcard bind). */
  hosts: Set<string> | null;
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

export function hostPolicy(bindHost: string, port: number, extraHosts: readonly string[] = []): HostPolicy {
  if (WILDCARD.has(bindHost)) return { hosts: null };
  const names = isLoopbackHost(bindHost) ? ['127.0.0.1', 'localhost', '[::1]', bindHost.includes(':') ? `[${bindHost}]` : bindHost] : [bindHost.includes(':') ? `[${bindHost}]` : bindHost];
  const hosts = new Set<string>();
  for (const name of [...names, ...extraHosts]) {
    const lower = name.toLowerCase();
    hosts.add(/:\d+$/.test(lower) && !lower.endsWith(']') ? lower : `${lower}:${port}`);
    if (port === 80) hosts.add(lower);
  }
  return { hosts };
}

export type Refusal = { status: number; code: string; message: string };

export function checkHostAndOrigin(policy: HostPolicy, host: string | undefined, origin: string | undefined): Refusal | null {
  const name = (host ?? '').toLowerCase();
  if (policy.hosts !== null && !policy.hosts.has(name)) {
    return { status: 421, code: 'FF_BAD_HOST', message: `this server does not answer to the host "${name.slice(0, 100)}": open it as http://127.0.0.1:<port> (or the address it is bound to; --allow-host adds names)` };
  }
  if (origin !== undefined && origin !== `http://${name}` && origin !== `https://${name}`) {
    return { status: 403, code: 'FF_BAD_ORIGIN', message: `requests from ${origin.slice(0, 100)} are refused: only the editor this server serves may call it` };
  }
  return null;
}
