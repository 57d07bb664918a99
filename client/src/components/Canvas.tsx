/**
 * The canvas: the document's nodes and edges drawn by React Flow, the plan's stages behind
 * them, connections checked as they are drawn, nodes dropped from the palette, and the node
 * search opened by a connection dropped on empty canvas or a double-click.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Background, BackgroundVariant, ControlButton, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import { GROUP_PREFIX, NOTE_PREFIX } from '../annotations.ts';
import type { PendingConnection } from '../graph-actions.ts';
import { canvasPointer } from '../shared-clipboard.ts';
import { useLinkGestures } from '../use-link-gestures.ts';
import type { MenuAt, MenuTarget } from './CanvasMenu.tsx';
import type { FfEdge, FfNode } from '../graph-model.ts';
import { stageGroups } from '../stage-groups.ts';
import type { GraphState } from '../use-graph.ts';
import type { Notify } from '../use-toasts.ts';
import type { LiveNode } from '../editor-context.ts';
import type { NodeCatalog, Plan, RunMetrics } from '../types.ts';
import { nodeTypes } from './node-types.ts';
import { DRAG_MIME } from './Palette.tsx';

/** The opening zoom: the whole graph, but never so small that the nodes cannot be read (0.6). */
/** Fitting shows the whole graph: it zooms out as far as the canvas's own limit if it must. */
export const FIT_VIEW = { maxZoom: 1.1, minZoom: 0.2, padding: 0.15 } as const;

/** The canvas below the graph tabs' bar (29 px). */
const FLOW_BOX = { position: 'absolute', top: 29, left: 0, right: 0, bottom: 0, width: 'auto', height: 'auto' } as const;

export interface QuickAddAt {
  screen: { x: number; y: number };
  flow: { x: number; y: number };
  pending: PendingConnection | null;
}

interface Props {
  catalog: NodeCatalog;
  graph: GraphState;
  plan: Plan | null;
  metrics: RunMetrics | null;
  live: Map<string, LiveNode>;
  ready: boolean;
  notify: Notify;
  onAdd: (type: string, at: { x: number; y: number }) => void;
  onQuickAdd: (at: QuickAddAt) => void;
  onNodeClick: () => void;
  onDropFiles: (files: File[], at: { x: number; y: number }) => void;
  onMenu: (at: MenuAt) => void;
  children?: React.ReactNode;
}

/** While a shift-drag selects on the canvas, the page's text is not selected with it. */
function useNoTextSelectionWhileSelecting(): (e: React.MouseEvent) => void {
  useEffect(() => () => document.body.classList.remove('ff-selecting'), []);
  return useCallback((e: React.MouseEvent) => {
    if (!e.shiftKey) return;
    document.body.classList.add('ff-selecting');
    window.addEventListener('mouseup', () => document.body.classList.remove('ff-selecting'), { once: true });
  }, []);
}

export function Canvas({ catalog, graph, plan, metrics, live, ready, notify, onAdd, onQuickAdd, onNodeClick, onDropFiles, onMenu, children }: Props) {
  const flow = useReactFlow<FfNode, FfEdge>();
  const [miniMap, setMiniMap] = useState(() => localStorage.getItem('framefuse.minimap') !== 'off');
  const byType = useMemo(() => new Map(catalog.nodes.map((n) => [n.type, n])), [catalog]);
  const onShiftDown = useNoTextSelectionWhileSelecting();

  const links = useLinkGestures(graph, byType, notify, onQuickAdd);
  const { portFor } = links;
  const menuAt = useCallback((e: MouseEvent | React.MouseEvent, target: MenuTarget) => {
    e.preventDefault();
    onMenu({ target, screen: { x: e.clientX, y: e.clientY }, flow: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
  }, [flow, onMenu]);

  const groups = useMemo(() => stageGroups(plan, graph.nodes, metrics), [plan, graph.nodes, metrics]);
  const allNodes = useMemo(() => [...graph.annotations, ...groups, ...graph.nodes] as FfNode[], [graph.annotations, groups, graph.nodes]);
  const styledEdges = useMemo(() => graph.edges.map((e) => {
    const port = portFor(e.source, 'out', e.sourceHandle);
    const color = catalog.portTypes[port?.type ?? '']?.color ?? '#999';
    const running = live.get(e.source)?.state === 'running';
    return { ...e, animated: running, style: { stroke: color, strokeWidth: e.selected ? 3.5 : 2.2, ...(port?.rate === 'value' ? { strokeDasharray: '6 4' } : {}) } };
  }), [graph.edges, portFor, catalog, live]);

  return (
    <main
      className="ff-canvas"
      onMouseDownCapture={onShiftDown}
      onMouseMove={(e) => {
        canvasPointer.at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      }}
      onMouseLeave={() => {
        canvasPointer.at = null;
      }}
      onDoubleClick={(e) => {
        // A double-click on empty canvas opens the node search there; the node lands where it was asked for.
        if (!(e.target as HTMLElement).classList.contains('react-flow__pane')) return;
        onQuickAdd({ screen: { x: e.clientX, y: e.clientY }, flow: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }), pending: null });
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_MIME) || e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          e.dataTransfer.dropEffect = e.dataTransfer.types.includes('Files') ? 'copy' : 'move';
        }
      }}
      onDrop={(e) => {
        const at = flow.screenToFlowPosition({ x: e.clientX - 100, y: e.clientY - 20 });
        const type = e.dataTransfer.getData(DRAG_MIME);
        if (type) {
          e.preventDefault();
          onAdd(type, at);
        } else if (e.dataTransfer.files.length > 0) {
          e.preventDefault();
          onDropFiles([...e.dataTransfer.files], at);
        }
      }}
    >
      <ReactFlow<FfNode, FfEdge>
        nodes={allNodes}
        edges={styledEdges}
        nodeTypes={nodeTypes}
        onNodesChange={graph.onNodesChange}
        onEdgesChange={graph.onEdgesChange}
        onDelete={graph.onDelete}
        onConnect={links.onConnect}
        onConnectStart={links.onConnectStart}
        onConnectEnd={links.onConnectEnd}
        onNodeClick={(_e, node) => node.type === 'ff' && onNodeClick()}
        onNodeDragStart={(e) => graph.startDrag(e.altKey)}
        onSelectionDragStart={(e) => graph.startDrag(e.altKey)}
        onNodeContextMenu={(e, node) => {
          if (node.id.startsWith(GROUP_PREFIX)) menuAt(e, { kind: 'group', id: node.id.slice(GROUP_PREFIX.length) });
          else if (node.id.startsWith(NOTE_PREFIX)) menuAt(e, { kind: 'note', id: node.id.slice(NOTE_PREFIX.length) });
          else if (node.type === 'ff') menuAt(e, { kind: 'nodes', ids: graph.view.selectedNodes.has(node.id) ? [...graph.view.selectedNodes].filter((id) => graph.document.nodes.some((n) => n.id === id)) : [node.id] });
          else menuAt(e, { kind: 'canvas' });
        }}
        onSelectionContextMenu={(e) => menuAt(e, { kind: 'nodes', ids: [...graph.view.selectedNodes].filter((id) => graph.document.nodes.some((n) => n.id === id)) })}
        onPaneContextMenu={(e) => menuAt(e, { kind: 'canvas' })}
        isValidConnection={links.isValidConnection}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        zoomOnDoubleClick={false}
        fitView
        fitViewOptions={FIT_VIEW}
        minZoom={0.2}
        maxZoom={2.5}
        proOptions={{ hideAttribution: true }}
        colorMode="dark"
        style={FLOW_BOX}
        defaultEdgeOptions={{ interactionWidth: 18 }}
      >
        <Background variant={BackgroundVariant.Dots} gap={22} size={1.3} />
        {miniMap && <MiniMap pannable zoomable className="ff-minimap" nodeColor={(n) => (n.type === 'stage' ? 'transparent' : '#5a6b8c')} maskColor="rgba(10,12,18,0.55)" />}
        <Controls>
          <ControlButton
            onClick={() => setMiniMap((on) => (localStorage.setItem('framefuse.minimap', on ? 'off' : 'on'), !on))}
            title={miniMap ? 'Hide the minimap' : 'Show the minimap'}
            data-testid="toggle-minimap"
          >
            ▦
          </ControlButton>
        </Controls>
      </ReactFlow>
      {children}
      {graph.nodes.length === 0 && ready && (
        <div className="ff-empty-hint">
          <p>Drag a node from the palette, double-click the canvas, or press <kbd>Tab</kbd> to search.</p>
          <p>Open a saved graph with <kbd>Ctrl</kbd>+<kbd>O</kbd>, or drop a graph JSON here.</p>
        </div>
      )}
    </main>
  );
}
