/**
 * The editor's user actions as graph edits: adding a node (wired to a dragged port when
 * there is one) and connecting two ports. Each is one edit, so one undo step.
 */
import type { GraphEdit } from '../../src/model/graph-edits.ts';
import { firstCompatiblePort } from './connection-rules.ts';
import { freshNodeId } from './graph-model.ts';
import type { CatalogNode, GraphDocument, PortRef } from './types.ts';

/** A connection dragged from a port and dropped on empty canvas, waiting for the node to take it. */
export interface PendingConnection {
  nodeId: string;
  handleId: string;
  /** 'source': dragged from an output; 'target': from an input. */
  side: 'source' | 'target';
  portType: string;
}

/** Connects `from` to `to`; an input takes one edge, so the edge already into `to` goes (as in ComfyUI). */
export function connectEdit(doc: GraphDocument, from: PortRef, to: PortRef): GraphEdit {
  const replaced = doc.edges.filter((e) => e.to.node === to.node && e.to.port === to.port);
  return {
    type: 'batch',
    edits: [...replaced.map((e): GraphEdit => ({ type: 'disconnect', from: e.from, to: e.to })), { type: 'connect', edge: { from, to } }],
  };
}

/** Adds a node of `def` at `at`, connected to `pending` when one of its ports fits. */
export function addNodeEdit(doc: GraphDocument, def: CatalogNode, at: { x: number; y: number }, pending: PendingConnection | null): { edit: GraphEdit; id: string } {
  const id = freshNodeId(def.type, doc.nodes.map((n) => n.id));
  const edits: GraphEdit[] = [{ type: 'addNode', node: { id, type: def.type, version: def.version, params: {}, position: { x: Math.round(at.x), y: Math.round(at.y) } } }];
  if (pending) {
    const port = firstCompatiblePort(def, pending.side === 'source' ? 'in' : 'out', pending.portType);
    if (port) {
      const from = pending.side === 'source' ? { node: pending.nodeId, port: pending.handleId } : { node: id, port: port.name };
      const to = pending.side === 'source' ? { node: id, port: port.name } : { node: pending.nodeId, port: pending.handleId };
      const wire = connectEdit(doc, from, to);
      edits.push(...(wire.type === 'batch' ? wire.edits : [wire]));
    }
  }
  return { edit: { type: 'batch', edits }, id };
}
