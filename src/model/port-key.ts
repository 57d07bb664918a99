/**
 * One key for "this node's port": `node.port`. The scheduler names streams by their
 * producer's key (queues, stage inputs and outputs, stream values), the planner names a
 * fused member's inputs by it. Built and read only here, never by hand.
 */

/** `node.port`: a node id, a dot, a port name. */
export type PortKey = `${string}.${string}`;

export interface PortRef {
  node: string;
  port: string;
}

export function portKey(ref: PortRef): PortKey {
  return `${ref.node}.${ref.port}`;
}

/** The node of a key (node ids hold no dot; the port name is what follows the first one). */
export function nodeOfKey(key: PortKey): string {
  return key.slice(0, key.indexOf('.'));
}

export function portOfKey(key: PortKey): string {
  return key.slice(key.indexOf('.') + 1);
}

/** True when the key names a port of `node`. */
export function isPortOf(key: PortKey, node: string): boolean {
  return nodeOfKey(key) === node;
}
