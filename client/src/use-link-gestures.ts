/**
 * How links are drawn on the canvas: a connection is checked as it is dragged (refused with
 * its reason); dropped on a node's body it takes that node's first compatible port (a free
 * one first); dropped on empty canvas it opens the node search for its type; and a drag that
 * starts at an input already connected lifts that link: dropped elsewhere, the link is gone
 * (one edit), dropped on an output, the input is fed from there instead.
 */
import { useCallback, useRef } from 'react';
import { useReactFlow, type Connection, type FinalConnectionState, type IsValidConnection, type OnConnectStart } from '@xyflow/react';
import type { GraphEdit } from '../../src/model/graph-edits.ts';
import { checkConnection, firstCompatiblePort, portOf } from './connection-rules.ts';
import { connectEdit } from './graph-actions.ts';
import type { FfEdge, FfNode } from './graph-model.ts';
import type { GraphState } from './use-graph.ts';
import type { Notify } from './use-toasts.ts';
import type { QuickAddAt } from './components/Canvas.tsx';
import type { CatalogNode, GraphDocument, GraphEdge, PortRef } from './types.ts';

/** The edit that connects a link dropped on `target`'s body, or why it cannot. */
export function linkDropEdit(doc: GraphDocument, def: CatalogNode | undefined, target: string, from: PortRef, side: 'out' | 'in', type: string): { edit: GraphEdit } | { reason: string } {
  if (!def) return { reason: 'that node has an unknown type' };
  if (target === from.node) return { reason: 'a node cannot feed itself' };
  const want = side === 'out' ? 'in' : 'out';
  const fed = (port: string) => doc.edges.some((e) => e.to.node === target && e.to.port === port);
  const free = side === 'out' ? def.inputs.filter((p) => !fed(p.name)) : def.outputs;
  const port = firstCompatiblePort({ ...def, inputs: free }, want, type) ?? firstCompatiblePort(def, want, type);
  if (!port) return { reason: `${def.title} has no ${want === 'in' ? 'input' : 'output'} that ${want === 'in' ? `takes ${type}` : `gives ${type}`}` };
  const edit = side === 'out' ? connectEdit(doc, from, { node: target, port: port.name }) : connectEdit(doc, { node: target, port: port.name }, from);
  return { edit };
}

export function useLinkGestures(graph: GraphState, byType: Map<string, CatalogNode>, notify: Notify, onQuickAdd: (at: QuickAddAt) => void) {
  const flow = useReactFlow<FfNode, FfEdge>();
  /** The link a drag from a connected input lifted, until the drag ends. */
  const lifted = useRef<GraphEdge | null>(null);

  const portFor = useCallback((nodeId: string | null | undefined, side: 'in' | 'out', handle: string | null | undefined) => {
    const node = graph.document.nodes.find((n) => n.id === nodeId);
    return portOf(node ? byType.get(node.type) : undefined, side, handle);
  }, [graph.document, byType]);

  const isValidConnection: IsValidConnection<FfEdge> = useCallback(
    (c) => checkConnection(portFor(c.source, 'out', c.sourceHandle), portFor(c.target, 'in', c.targetHandle), c.source === c.target).ok,
    [portFor],
  );

  const onConnect = useCallback((c: Connection) => {
    lifted.current = null;
    graph.apply(connectEdit(graph.document, { node: c.source, port: c.sourceHandle ?? '' }, { node: c.target, port: c.targetHandle ?? '' }));
  }, [graph.document, graph.apply]);

  const onConnectStart: OnConnectStart = useCallback((_event, { nodeId, handleId, handleType }) => {
    lifted.current = handleType === 'target' ? (graph.document.edges.find((e) => e.to.node === nodeId && e.to.port === handleId) ?? null) : null;
  }, [graph.document]);

  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    const link = lifted.current;
    lifted.current = null;
    if (state.isValid || !state.fromHandle || !state.fromNode) return;
    const fromSide = state.fromHandle.type === 'source' ? 'out' : 'in';
    if (state.toHandle && state.toNode) {
      const a = portFor(state.fromNode.id, fromSide, state.fromHandle.id);
      const b = portFor(state.toNode.id, fromSide === 'out' ? 'in' : 'out', state.toHandle.id);
      const same = state.fromNode.id === state.toNode.id;
      const check = fromSide === 'out' ? checkConnection(a, b, same) : checkConnection(b, a, same);
      notify('error', `Connection refused: ${check.reason ?? 'incompatible ports'}`);
      return;
    }
    if (link) {
      graph.apply({ type: 'disconnect', from: link.from, to: link.to });
      return;
    }
    const target = event.target as HTMLElement | null;
    const port = portFor(state.fromNode.id, fromSide, state.fromHandle.id);
    if (!port) return;
    const from = { node: state.fromNode.id, port: state.fromHandle.id ?? '' };
    const body = target?.closest<HTMLElement>('.react-flow__node-ff');
    const bodyId = body?.dataset['id'];
    if (bodyId) {
      const node = graph.document.nodes.find((n) => n.id === bodyId);
      const drop = linkDropEdit(graph.document, node && byType.get(node.type), bodyId, from, fromSide, port.type);
      if ('edit' in drop) graph.apply(drop.edit);
      else notify('error', `Connection refused: ${drop.reason}`);
      return;
    }
    if (!target?.classList.contains('react-flow__pane')) return;
    const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
    onQuickAdd({
      screen: { x: point.clientX, y: point.clientY },
      flow: flow.screenToFlowPosition({ x: point.clientX, y: point.clientY }),
      pending: { nodeId: state.fromNode.id, handleId: state.fromHandle.id ?? '', side: state.fromHandle.type, portType: port.type },
    });
  }, [flow, notify, portFor, onQuickAdd, graph, byType]);

  return { portFor, isValidConnection, onConnect, onConnectStart, onConnectEnd };
}
