/**
 * Whether a connection may be made, and if not, why: the same rule as validation
 * (src/model/port-types.ts), imported, so the editor and the executor cannot disagree.
 */
import { canConnect, isPortType } from '../../src/model/port-types.ts';
import type { CatalogNode, CatalogPort } from './types.ts';

export interface ConnectionCheck {
  ok: boolean;
  reason?: string;
}

export function portOf(node: CatalogNode | undefined, side: 'in' | 'out', name: string | null | undefined): CatalogPort | undefined {
  return (side === 'in' ? node?.inputs : node?.outputs)?.find((p) => p.name === name);
}

export function checkConnection(from: CatalogPort | undefined, to: CatalogPort | undefined, sameNode: boolean): ConnectionCheck {
  if (!from || !to) return { ok: false, reason: 'connect an output to an input' };
  if (sameNode) return { ok: false, reason: 'a node cannot feed itself' };
  if (!isPortType(from.type) || !isPortType(to.type)) return { ok: false, reason: `unknown port type ${from.type} or ${to.type}` };
  if (!canConnect(from.type, to.type)) return { ok: false, reason: `${from.type} cannot go into ${to.type}: port types must match` };
  return { ok: true };
}

/** Nodes that have an input taking `type` (for quick-add after a dropped connection). */
export function nodesAccepting(nodes: CatalogNode[], type: string, side: 'in' | 'out'): CatalogNode[] {
  if (!isPortType(type)) return [];
  return nodes.filter((n) =>
    side === 'out'
      ? n.inputs.some((p) => isPortType(p.type) && canConnect(type, p.type))
      : n.outputs.some((p) => isPortType(p.type) && canConnect(p.type, type)),
  );
}

/** The first port of `node` on `side` that connects with a port of `type` on the other end. */
export function firstCompatiblePort(node: CatalogNode, side: 'in' | 'out', type: string): CatalogPort | undefined {
  if (!isPortType(type)) return undefined;
  return (side === 'in' ? node.inputs : node.outputs).find((p) => isPortType(p.type) && (side === 'in' ? canConnect(type, p.type) : canConnect(p.type, type)));
}
