/**
 * Typed edits of a graph document (after React Flow's changes and tldraw's store): a tagged
 * union of plain JSON messages, applied by one pure function. `applyEdit` never mutates the
 * document it is given; it returns the new document and the edit that undoes this one, so
 * an undo stack is a list of inverse edits and the same messages can travel over a socket.
 *
 * A `batch` groups edits into one step (a paste, a delete of a selection): its inverse is
 * the batch of inverses in reverse order. An edit that does not fit the document (an
 * unknown node, a taken id, an edge that is already there) throws a GraphEditError and
 * changes nothing. Edits check the document's structure only; whether a connection's port
 * types match is validation's business (it needs the catalog). Groups and notes are document
 * fields (`setField` of `groups` or `notes`: the whole list, one step).
 */
import { z } from 'zod';
import { zGraphDocument, zGraphEdge, zGraphNode, zNodeId, zPortRef, zPosition, type GraphDocument, type GraphEdge, type GraphNode, type PortRef } from './document.js';
import { portKey } from './port-key.js';

/** Document fields other than nodes and edges that an edit may set. */
export const zDocumentField = z.enum(['name', 'description', 'providers', 'metadata', 'groups', 'notes']);

/** Node fields other than id, type, params and position that an edit may set (editor and bypass flags). */
export const zNodeField = z.enum(['bypass', 'collapsed', 'color']);

export const zGraphEdit: z.ZodType<GraphEdit> = z.lazy(() =>
  z.discriminatedUnion('type', [
    /** Adds a node, at `index` in the node list (default: last). */
    z.object({ type: z.literal('addNode'), node: zGraphNode, index: z.number().int().min(0).optional() }),
    /** Removes a node and every edge into or out of it. */
    z.object({ type: z.literal('removeNode'), id: z.string() }),
    /** Moves a node on the canvas; null removes its position. */
    z.object({ type: z.literal('moveNode'), id: z.string(), position: zPosition.nullable() }),
    /** Gives a node a new id; its edges follow. */
    z.object({ type: z.literal('renameNode'), id: z.string(), to: zNodeId }),
    /** Sets one parameter; without `value`, removes it (the node's default applies). */
    z.object({ type: z.literal('setParam'), id: z.string(), param: z.string().min(1), value: z.unknown().optional() }),
    /** Sets one node field (bypass, collapsed, color); without `value`, removes it. */
    z.object({ type: z.literal('setNodeField'), id: z.string(), field: zNodeField, value: z.unknown().optional() }),
    /** Adds an edge, at `index` in the edge list (default: last). */
    z.object({ type: z.literal('connect'), edge: zGraphEdge, index: z.number().int().min(0).optional() }),
    /** Removes the edge between two ports. */
    z.object({ type: z.literal('disconnect'), from: zPortRef, to: zPortRef }),
    /** Sets a document field; without `value`, removes it (name and metadata cannot be removed). */
    z.object({ type: z.literal('setField'), field: zDocumentField, value: z.unknown().optional() }),
    /** Several edits as one step. */
    z.object({ type: z.literal('batch'), edits: z.array(zGraphEdit) }),
    /** The whole document at once (the editor's JSON view applying what was typed), one step. */
    z.object({ type: z.literal('replaceDocument'), doc: zGraphDocument }),
  ]),
);

export type GraphEdit =
  | { type: 'addNode'; node: GraphNode; index?: number }
  | { type: 'removeNode'; id: string }
  | { type: 'moveNode'; id: string; position: GraphNode['position'] | null }
  | { type: 'renameNode'; id: string; to: string }
  | { type: 'setParam'; id: string; param: string; value?: unknown }
  | { type: 'setNodeField'; id: string; field: z.infer<typeof zNodeField>; value?: unknown }
  | { type: 'connect'; edge: GraphEdge; index?: number }
  | { type: 'disconnect'; from: PortRef; to: PortRef }
  | { type: 'setField'; field: z.infer<typeof zDocumentField>; value?: unknown }
  | { type: 'batch'; edits: GraphEdit[] }
  | { type: 'replaceDocument'; doc: GraphDocument };

export interface AppliedEdit {
  doc: GraphDocument;
  /** The edit that takes `doc` back to the document the edit was applied to. */
  inverse: GraphEdit;
}

/** An edit that does not fit the document; `code` is stable, the message names what is wrong. */
export class GraphEditError extends Error {
  constructor(
    readonly code: 'FF_EDIT_NO_NODE' | 'FF_EDIT_ID_TAKEN' | 'FF_EDIT_BAD_ID' | 'FF_EDIT_NO_EDGE' | 'FF_EDIT_EDGE_EXISTS' | 'FF_EDIT_INDEX' | 'FF_EDIT_REQUIRED',
    message: string,
  ) {
    super(message);
    this.name = 'GraphEditError';
  }
}

const samePort = (a: PortRef, b: PortRef) => a.node === b.node && a.port === b.port;
const isEdge = (from: PortRef, to: PortRef) => (e: GraphEdge) => samePort(e.from, from) && samePort(e.to, to);
const touches = (id: string) => (e: GraphEdge) => e.from.node === id || e.to.node === id;

function nodeIndex(doc: GraphDocument, id: string): number {
  const index = doc.nodes.findIndex((n) => n.id === id);
  if (index < 0) throw new GraphEditError('FF_EDIT_NO_NODE', `no node "${id}" in the graph`);
  return index;
}

function insertAt<T>(list: readonly T[], item: T, index: number | undefined, what: string): T[] {
  const at = index ?? list.length;
  if (at > list.length) throw new GraphEditError('FF_EDIT_INDEX', `cannot insert the ${what} at ${at}: the list has ${list.length}`);
  return [...list.slice(0, at), item, ...list.slice(at)];
}

function replaceNode(doc: GraphDocument, index: number, node: GraphNode): GraphDocument {
  return { ...doc, nodes: doc.nodes.map((n, i) => (i === index ? node : n)) };
}

/** A copy of `record` with `key` set to `value`, or without `key` when `has` is false. */
function withKey<T extends object>(record: T, key: string, has: boolean, value: unknown): T {
  const { [key]: _old, ...rest } = record as Record<string, unknown>;
  return (has ? { ...rest, [key]: value } : rest) as T;
}

/** The setter edit that restores `key` of `record` as it is now. */
const restoreValue = (record: object, key: string) => (Object.hasOwn(record, key) ? { value: (record as Record<string, unknown>)[key] } : {});

/** Applies one edit; see the file comment. */
export function applyEdit(doc: GraphDocument, edit: GraphEdit): AppliedEdit {
  switch (edit.type) {
    case 'addNode': {
      if (!zNodeId.safeParse(edit.node.id).success) throw new GraphEditError('FF_EDIT_BAD_ID', `"${edit.node.id}" is not a node id: start with a letter or _, then letters, digits, _ and -`);
      if (doc.nodes.some((n) => n.id === edit.node.id)) throw new GraphEditError('FF_EDIT_ID_TAKEN', `a node "${edit.node.id}" is already in the graph`);
      return { doc: { ...doc, nodes: insertAt(doc.nodes, edit.node, edit.index, 'node') }, inverse: { type: 'removeNode', id: edit.node.id } };
    }
    case 'removeNode': {
      const index = nodeIndex(doc, edit.id);
      // Restored in ascending order, each edge lands back at its own index.
      const edges = doc.edges.flatMap((edge, i) => (touches(edit.id)(edge) ? [{ edge, index: i }] : []));
      return {
        doc: { ...doc, nodes: doc.nodes.filter((_, i) => i !== index), edges: doc.edges.filter((e) => !touches(edit.id)(e)) },
        inverse: { type: 'batch', edits: [{ type: 'addNode', node: doc.nodes[index]!, index }, ...edges.map(({ edge, index: at }): GraphEdit => ({ type: 'connect', edge, index: at }))] },
      };
    }
    case 'moveNode': {
      const index = nodeIndex(doc, edit.id);
      const node = doc.nodes[index]!;
      return {
        doc: replaceNode(doc, index, withKey(node, 'position', edit.position !== null, edit.position)),
        inverse: { type: 'moveNode', id: edit.id, position: node.position ?? null },
      };
    }
    case 'renameNode': {
      const index = nodeIndex(doc, edit.id);
      if (!zNodeId.safeParse(edit.to).success) throw new GraphEditError('FF_EDIT_BAD_ID', `"${edit.to}" is not a node id: start with a letter or _, then letters, digits, _ and -`);
      if (edit.to !== edit.id && doc.nodes.some((n) => n.id === edit.to)) throw new GraphEditError('FF_EDIT_ID_TAKEN', `a node "${edit.to}" is already in the graph`);
      const move = (ref: PortRef): PortRef => (ref.node === edit.id ? { ...ref, node: edit.to } : ref);
      const renamed = replaceNode(doc, index, { ...doc.nodes[index]!, id: edit.to });
      return {
        doc: { ...renamed, edges: doc.edges.map((e) => (touches(edit.id)(e) ? { ...e, from: move(e.from), to: move(e.to) } : e)) },
        inverse: { type: 'renameNode', id: edit.to, to: edit.id },
      };
    }
    case 'setParam': {
      const index = nodeIndex(doc, edit.id);
      const node = doc.nodes[index]!;
      return {
        doc: replaceNode(doc, index, { ...node, params: withKey(node.params, edit.param, Object.hasOwn(edit, 'value'), edit.value) }),
        inverse: { type: 'setParam', id: edit.id, param: edit.param, ...restoreValue(node.params, edit.param) },
      };
    }
    case 'setNodeField': {
      const index = nodeIndex(doc, edit.id);
      const node = doc.nodes[index]!;
      return {
        doc: replaceNode(doc, index, withKey(node, edit.field, Object.hasOwn(edit, 'value'), edit.value)),
        inverse: { type: 'setNodeField', id: edit.id, field: edit.field, ...restoreValue(node, edit.field) },
      };
    }
    case 'connect': {
      const { from, to } = edit.edge;
      for (const end of [from.node, to.node]) nodeIndex(doc, end);
      if (doc.edges.some(isEdge(from, to))) throw new GraphEditError('FF_EDIT_EDGE_EXISTS', `${portKey(from)} is already connected to ${portKey(to)}`);
      return { doc: { ...doc, edges: insertAt(doc.edges, edit.edge, edit.index, 'edge') }, inverse: { type: 'disconnect', from, to } };
    }
    case 'disconnect': {
      const index = doc.edges.findIndex(isEdge(edit.from, edit.to));
      if (index < 0) throw new GraphEditError('FF_EDIT_NO_EDGE', `no edge from ${portKey(edit.from)} to ${portKey(edit.to)}`);
      return { doc: { ...doc, edges: doc.edges.filter((_, i) => i !== index) }, inverse: { type: 'connect', edge: doc.edges[index]!, index } };
    }
    case 'setField':
      if (!Object.hasOwn(edit, 'value') && (edit.field === 'name' || edit.field === 'metadata')) {
        throw new GraphEditError('FF_EDIT_REQUIRED', `a graph always has a ${edit.field}: set it to another value instead of removing it`);
      }
      return {
        doc: withKey(doc, edit.field, Object.hasOwn(edit, 'value'), edit.value),
        inverse: { type: 'setField', field: edit.field, ...restoreValue(doc, edit.field) },
      };
    case 'replaceDocument':
      return { doc: edit.doc, inverse: { type: 'replaceDocument', doc } };
    case 'batch': {
      let current = doc;
      const inverses: GraphEdit[] = [];
      for (const step of edit.edits) {
        const applied = applyEdit(current, step);
        current = applied.doc;
        inverses.unshift(applied.inverse);
      }
      return { doc: current, inverse: { type: 'batch', edits: inverses } };
    }
  }
}

/** Applies edits in order, as one step: the document after all of them, and one inverse. */
export function applyEdits(doc: GraphDocument, edits: readonly GraphEdit[]): AppliedEdit {
  return applyEdit(doc, { type: 'batch', edits: [...edits] });
}
