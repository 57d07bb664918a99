/**
 * The editor: palette, canvas, inspector and run panel around one graph. The catalog from
 * the server drives the palette, the ports and the forms; the server validates as you
 * edit and draws the plan; runs stream their progress over the socket.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type FinalConnectionState,
  type IsValidConnection,
} from '@xyflow/react';
import { api, ApiError } from './api.ts';
import { checkConnection, firstCompatiblePort, nodesAccepting, portOf } from './connection-rules.ts';
import { copySelection, pasteContent, type ClipboardContent } from './clipboard.ts';
import { EditorContext, type EditorView } from './editor-context.ts';
import { downloadJson, readJsonFile } from './files.ts';
import { edgeId, emptyDocument, freshNodeId, type FfEdge, type FfNode } from './graph-model.ts';
import { liveNodes } from './live-state.ts';
import { liveSocket } from './live.ts';
import { stageGroups } from './stage-groups.ts';
import { useGraph } from './use-graph.ts';
import { useRun } from './use-run.ts';
import { EXECUTION_PROVIDERS, PROVIDER_LABELS } from '../../src/model/providers.ts';
import { useModelPulls } from './use-model-pulls.ts';
import { useValidation } from './use-validation.ts';
import { nodeTypes } from './components/node-types.ts';
import { Palette, DRAG_MIME } from './components/Palette.tsx';
import { QuickAdd } from './components/QuickAdd.tsx';
import { RunPanel } from './components/RunPanel.tsx';
import { OpenDialog } from './components/OpenDialog.tsx';
import { NameDialog } from './components/NameDialog.tsx';
import { Toasts, type Toast } from './components/Toasts.tsx';
import { ParamForm } from './form/ParamForm.tsx';

const PROVIDER_CHOICES = ['auto', ...EXECUTION_PROVIDERS] as const;
import type { CatalogNode, ModelListing, NodeCatalog, UploadListing } from './types.ts';

interface PendingConnection {
  nodeId: string;
  handleId: string;
  /** 'source': dragged from an output; 'target': from an input. */
  side: 'source' | 'target';
  portType: string;
}

interface QuickAddState {
  screen: { x: number; y: number };
  flow: { x: number; y: number };
  pending: PendingConnection | null;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

function setUrlGraph(name: string | null): void {
  const url = new URL(window.location.href);
  url.searchParams.delete('token'); // kept for the tab in sessionStorage; not left in the address bar
  if (name) url.searchParams.set('graph', name);
  else url.searchParams.delete('graph');
  window.history.replaceState(null, '', url);
}

function Editor({ catalog }: { catalog: NodeCatalog }) {
  const flow = useReactFlow<FfNode, FfEdge>();
  const graph = useGraph();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const toastId = useRef(0);
  const notify = useCallback((kind: Toast['kind'], text: string) => {
    const id = ++toastId.current;
    setToasts((ts) => [...ts.slice(-3), { id, kind, text }]);
    setTimeout(() => setToasts((ts) => ts.filter((t) => t.id !== id)), kind === 'error' ? 7000 : 3500);
  }, []);
  const [ready, setReady] = useState(false);
  const validation = useValidation(graph.document, ready);
  const runner = useRun(notify);
  const [tab, setTab] = useState<'node' | 'run'>('node');
  const [quickAdd, setQuickAdd] = useState<QuickAddState | null>(null);
  const [dialog, setDialog] = useState<'open' | 'saveAs' | null>(null);
  const [uploads, setUploads] = useState<UploadListing[]>([]);
  const [models, setModels] = useState<ModelListing[]>([]);
  const clipboard = useRef<ClipboardContent | null>(null);
  const importInput = useRef<HTMLInputElement>(null);
  const byType = useMemo(() => new Map(catalog.nodes.map((n) => [n.type, n])), [catalog]);

  const refreshUploads = useCallback(() => void api.uploads().then((r) => setUploads(r.uploads), () => undefined), []);
  const refreshModels = useCallback(() => void api.models().then((r) => setModels(r.models), () => setModels([])), []);
  const pulls = useModelPulls(notify, refreshModels);

  const openGraph = useCallback(
    async (name: string) => {
      try {
        const read = await api.readGraph(name);
        if (!read.document) {
          notify('error', `${name}: ${read.problems.map((p) => p.message).join('; ')}`);
          return;
        }
        graph.load(read.document, read.name, true);
        setUrlGraph(read.name);
        setTimeout(() => flow.fitView({ padding: 0.2, duration: 200, maxZoom: 1.1 }), 50);
      } catch (e) {
        notify('error', `Cannot open ${name}: ${(e as Error).message}`);
      }
    },
    [graph, flow, notify],
  );

  // Start: open ?graph=..., else the server's default graph.
  useEffect(() => {
    const wanted = new URLSearchParams(window.location.search).get('graph');
    refreshUploads();
    refreshModels();
    api
      .info()
      .then(async (info) => {
        const name = wanted ?? info.defaultGraph;
        if (name) await openGraph(name);
      })
      .catch((e: Error) => notify('error', e.message))
      .finally(() => setReady(true));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Unsaved changes: the tab title says so, and leaving asks first.
  useEffect(() => {
    document.title = `${graph.dirty ? '● ' : ''}${graph.fileName ?? graph.document.name} — framefuse`;
    if (!graph.dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [graph.dirty, graph.fileName, graph.document.name]);

  const addNode = useCallback(
    (type: string, position?: { x: number; y: number }, pending?: PendingConnection | null) => {
      const def = byType.get(type);
      if (!def) return;
      const center = flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
      const at = position ?? { x: center.x - 110 + Math.random() * 40, y: center.y - 60 + Math.random() * 40 };
      graph.edit((s) => {
        const id = freshNodeId(type, s.nodes.map((n) => n.id));
        const node: FfNode = { id, type: 'ff', position: at, selected: true, data: { type, version: def.version, params: {}, extra: {} } };
        let edges = s.edges;
        if (pending) {
          const port = firstCompatiblePort(def, pending.side === 'source' ? 'in' : 'out', pending.portType);
          if (port) {
            const from = pending.side === 'source' ? { node: pending.nodeId, port: pending.handleId } : { node: id, port: port.name };
            const to = pending.side === 'source' ? { node: id, port: port.name } : { node: pending.nodeId, port: pending.handleId };
            edges = [...edges.filter((e) => !(e.target === to.node && e.targetHandle === to.port)), { id: edgeId(from, to), source: from.node, sourceHandle: from.port, target: to.node, targetHandle: to.port, data: { extra: {} } }];
          }
        }
        return { ...s, nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), node], edges };
      });
      setTab('node');
    },
    [byType, flow, graph],
  );

  const portFor = useCallback((nodeId: string | null | undefined, side: 'in' | 'out', handle: string | null | undefined) => {
    const node = graph.nodes.find((n) => n.id === nodeId);
    return portOf(node ? byType.get(node.data.type) : undefined, side, handle);
  }, [graph.nodes, byType]);

  const isValidConnection: IsValidConnection<FfEdge> = useCallback(
    (c) => checkConnection(portFor(c.source, 'out', c.sourceHandle), portFor(c.target, 'in', c.targetHandle), c.source === c.target).ok,
    [portFor],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const from = { node: c.source, port: c.sourceHandle ?? '' };
      const to = { node: c.target, port: c.targetHandle ?? '' };
      // An input takes one edge: a new connection replaces the old one (as in ComfyUI).
      graph.edit((s) => ({ ...s, edges: [...s.edges.filter((e) => !(e.target === to.node && e.targetHandle === to.port)), { id: edgeId(from, to), source: from.node, sourceHandle: from.port, target: to.node, targetHandle: to.port, data: { extra: {} } }] }));
    },
    [graph],
  );

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromHandle || !state.fromNode) return;
      const fromSide = state.fromHandle.type === 'source' ? 'out' : 'in';
      if (state.toHandle && state.toNode) {
        const a = portFor(state.fromNode.id, fromSide, state.fromHandle.id);
        const b = portFor(state.toNode.id, fromSide === 'out' ? 'in' : 'out', state.toHandle.id);
        const check = fromSide === 'out' ? checkConnection(a, b, state.fromNode.id === state.toNode.id) : checkConnection(b, a, state.fromNode.id === state.toNode.id);
        notify('error', `Connection refused: ${check.reason ?? 'incompatible ports'}`);
        return;
      }
      const target = event.target as HTMLElement | null;
      if (!target?.classList.contains('react-flow__pane')) return;
      const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
      const port = portFor(state.fromNode.id, fromSide, state.fromHandle.id);
      if (!port) return;
      setQuickAdd({
        screen: { x: point.clientX, y: point.clientY },
        flow: flow.screenToFlowPosition({ x: point.clientX, y: point.clientY }),
        pending: { nodeId: state.fromNode.id, handleId: state.fromHandle.id ?? '', side: state.fromHandle.type, portType: port.type },
      });
    },
    [flow, notify, portFor],
  );

  const setParam = useCallback(
    (nodeId: string, key: string, value: unknown) => {
      graph.edit(
        (s) => ({
          ...s,
          nodes: s.nodes.map((n) => {
            if (n.id !== nodeId) return n;
            const { [key]: _old, ...rest } = n.data.params;
            return { ...n, data: { ...n.data, params: value === undefined ? rest : { ...rest, [key]: value } } };
          }),
        }),
        `param:${nodeId}:${key}`,
      );
    },
    [graph],
  );

  const save = useCallback(
    async (asName?: string) => {
      const name = asName ?? graph.fileName;
      if (!name) {
        setDialog('saveAs');
        return;
      }
      try {
        if (asName && asName !== graph.fileName) {
          try {
            await api.createGraph(asName, graph.document);
          } catch (e) {
            if (!(e instanceof ApiError && e.code === 'FF_EXISTS') || !window.confirm(`${asName} exists. Replace it?`)) throw e;
            await api.saveGraph(asName, graph.document);
          }
        } else {
          await api.saveGraph(name, graph.document);
        }
        graph.markSaved(name);
        setUrlGraph(name);
        notify('ok', `Saved ${name}`);
      } catch (e) {
        notify('error', `Not saved: ${(e as Error).message}`);
      }
    },
    [graph, notify],
  );

  // Run options: where the models run. 'graph' keeps the graph's own providers (else auto).
  const [provider, setProvider] = useState<string>(() => localStorage.getItem('framefuse.provider') ?? 'graph');
  const chooseProvider = useCallback((value: string) => {
    setProvider(value);
    localStorage.setItem('framefuse.provider', value);
  }, []);
  const run = useCallback(async () => {
    if (runner.active) return;
    setTab('run');
    await runner.start(graph.document, provider === 'graph' ? undefined : [provider]);
  }, [graph.document, runner, provider]);

  const confirmDiscard = useCallback(() => !graph.dirty || window.confirm('Discard unsaved changes?'), [graph.dirty]);

  // Keyboard shortcuts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        void (e.shiftKey ? setDialog('saveAs') : save());
      } else if (mod && key === 'enter') {
        e.preventDefault();
        void run();
      } else if (mod && key === 'o') {
        e.preventDefault();
        if (confirmDiscard()) setDialog('open');
      } else if (isTyping(e.target)) {
        return;
      } else if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) graph.redo();
        else graph.undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        graph.redo();
      } else if (mod && key === 'c') {
        clipboard.current = copySelection(graph.nodes, graph.edges);
      } else if (mod && key === 'x') {
        clipboard.current = copySelection(graph.nodes, graph.edges);
        if (clipboard.current) graph.edit((s) => {
          const gone = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
          return { ...s, nodes: s.nodes.filter((n) => !gone.has(n.id)), edges: s.edges.filter((x) => !gone.has(x.source) && !gone.has(x.target)) };
        });
      } else if (mod && key === 'v') {
        const content = clipboard.current;
        if (!content) return;
        graph.edit((s) => {
          const pasted = pasteContent(content, s.nodes, 40);
          clipboard.current = { nodes: pasted.nodes, edges: pasted.edges };
          return { ...s, nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), ...pasted.nodes], edges: [...s.edges, ...pasted.edges] };
        });
      } else if (mod && key === 'a') {
        e.preventDefault();
        graph.setNodes((ns) => ns.map((n) => ({ ...n, selected: true })));
      } else if (!mod && (key === 'tab' || key === ' ' || key === '/')) {
        e.preventDefault();
        const screen = { x: window.innerWidth / 2 - 150, y: window.innerHeight / 3 };
        setQuickAdd({ screen, flow: flow.screenToFlowPosition(screen), pending: null });
      } else if (!mod && key === 'f') {
        void flow.fitView({ padding: 0.2, duration: 200 });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [graph, save, run, flow, confirmDiscard]);

  const live = useMemo(() => liveNodes(runner.run, graph.nodes.map((n) => n.id)), [runner.run, graph.nodes]);
  const plan = runner.run?.plan && runner.active ? runner.run.plan : validation.plan;
  const groups = useMemo(() => stageGroups(plan, graph.nodes, runner.run?.metrics ?? null), [plan, graph.nodes, runner.run?.metrics]);
  const allNodes = useMemo(() => [...groups, ...graph.nodes] as FfNode[], [groups, graph.nodes]);
  const styledEdges = useMemo(
    () =>
      graph.edges.map((e) => {
        const port = portFor(e.source, 'out', e.sourceHandle);
        const color = catalog.portTypes[port?.type ?? '']?.color ?? '#999';
        const running = live.get(e.source)?.state === 'running';
        return { ...e, animated: running, style: { stroke: color, strokeWidth: e.selected ? 3.5 : 2.2, ...(port?.rate === 'value' ? { strokeDasharray: '6 4' } : {}) } };
      }),
    [graph.edges, portFor, catalog, live],
  );

  const view: EditorView = useMemo(() => ({ catalog, problemsByNode: validation.problemsByNode, plan, run: runner.run, live, setParam }), [catalog, validation.problemsByNode, plan, runner.run, live, setParam]);
  const selected = graph.nodes.filter((n) => n.selected);
  const selectedNode = selected.length === 1 ? selected[0]! : null;
  const selectedDef: CatalogNode | undefined = selectedNode ? byType.get(selectedNode.data.type) : undefined;
  const errors = validation.problems.filter((p) => p.severity === 'error');
  const focusNode = (id: string) => {
    graph.setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === id })));
    const node = graph.nodes.find((n) => n.id === id);
    if (node) void flow.setCenter(node.position.x + 110, node.position.y + 60, { zoom: 1.1, duration: 300 });
    setTab('node');
  };

  return (
    <EditorContext.Provider value={view}>
      <div className="ff-app">
        <header className="ff-toolbar">
          <span className="ff-logo">framefuse</span>
          <span className="ff-doc-name" data-testid="doc-name" title={graph.fileName ?? 'not saved yet'}>
            {graph.dirty && <span className="ff-dirty" data-testid="dirty" title="unsaved changes">●</span>}
            {graph.fileName ?? 'untitled (not saved)'}
          </span>
          <div className="ff-toolbar-group">
            <button type="button" onClick={() => confirmDiscard() && (graph.load(emptyDocument(), null, true), setUrlGraph(null))} title="New graph">New</button>
            <button type="button" onClick={() => confirmDiscard() && setDialog('open')} title="Open a graph from the server (Ctrl+O)">Open</button>
            <button type="button" onClick={() => void save()} title="Save (Ctrl+S)" data-testid="save">Save</button>
            <button type="button" onClick={() => setDialog('saveAs')} title="Save as (Ctrl+Shift+S)">Save as</button>
            <button type="button" onClick={() => downloadJson(graph.document, graph.fileName ?? `${graph.document.name}.json`)} title="Download the graph as a JSON file">Export</button>
            <button type="button" onClick={() => importInput.current?.click()} title="Load a graph JSON file from your computer">Import</button>
            <input
              ref={importInput}
              type="file"
              accept="application/json,.json"
              hidden
              data-testid="import-file"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file || !confirmDiscard()) return;
                try {
                  graph.load(await readJsonFile(file), null, false);
                  setUrlGraph(null);
                  setTimeout(() => flow.fitView({ padding: 0.2 }), 50);
                } catch (err) {
                  notify('error', (err as Error).message);
                }
              }}
            />
          </div>
          <div className="ff-toolbar-group">
            <button type="button" onClick={graph.undo} disabled={!graph.canUndo} title="Undo (Ctrl+Z)">↶</button>
            <button type="button" onClick={graph.redo} disabled={!graph.canRedo} title="Redo (Ctrl+Shift+Z)">↷</button>
          </div>
          <span className={`ff-validity ${errors.length ? 'bad' : 'good'}`} data-testid="validity" title={validation.problems.map((p) => `${p.node ?? ''} ${p.code}: ${p.message}`).join('\n')}>
            {validation.checking ? 'checking…' : errors.length ? `${errors.length} problem${errors.length > 1 ? 's' : ''}` : graph.nodes.length ? '✓ valid' : ''}
          </span>
          <span className={`ff-conn ${runner.connected ? 'on' : 'off'}`} title={runner.connected ? 'live connection to the server' : 'not connected'} />
          <div className="ff-toolbar-right">
            <select value={provider} onChange={(e) => chooseProvider(e.target.value)} title="Where the models run" data-testid="provider" aria-label="Execution provider">
              <option value="graph">{graph.document.providers ? `graph: ${graph.document.providers.join(', ')}` : 'auto (fastest measured)'}</option>
              {PROVIDER_CHOICES.map((p) => (
                <option key={p} value={p}>{p === 'auto' ? 'auto' : PROVIDER_LABELS[p]}</option>
              ))}
            </select>
            {runner.active ? (
              <button type="button" className="danger" onClick={() => void runner.cancel()} data-testid="cancel">
                ■ Cancel
              </button>
            ) : (
              <button type="button" className="primary" onClick={() => void run()} disabled={graph.nodes.length === 0} data-testid="run" title="Run (Ctrl+Enter)">
                ▶ Run
              </button>
            )}
          </div>
        </header>
        <Palette catalog={catalog} onAdd={(type) => addNode(type)} />
        <main
          className="ff-canvas"
          onDragOver={(e) => {
            if (e.dataTransfer.types.includes(DRAG_MIME)) {
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
            }
          }}
          onDrop={(e) => {
            const type = e.dataTransfer.getData(DRAG_MIME);
            if (!type) return;
            e.preventDefault();
            addNode(type, flow.screenToFlowPosition({ x: e.clientX - 100, y: e.clientY - 20 }));
          }}
        >
          <ReactFlow<FfNode, FfEdge>
            nodes={allNodes}
            edges={styledEdges}
            nodeTypes={nodeTypes}
            onNodesChange={graph.onNodesChange}
            onEdgesChange={graph.onEdgesChange}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            onNodeClick={(_e, node) => node.type === 'ff' && setTab('node')}
            isValidConnection={isValidConnection}
            deleteKeyCode={['Delete', 'Backspace']}
            multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
            fitView
            fitViewOptions={{ maxZoom: 1.1, padding: 0.2 }}
            minZoom={0.2}
            maxZoom={2.5}
            proOptions={{ hideAttribution: true }}
            colorMode="dark"
            defaultEdgeOptions={{ interactionWidth: 18 }}
          >
            <Background variant={BackgroundVariant.Dots} gap={22} size={1.3} />
            <MiniMap pannable zoomable nodeColor={(n) => (n.type === 'stage' ? 'transparent' : '#5a6b8c')} maskColor="rgba(10,12,18,0.7)" />
            <Controls />
          </ReactFlow>
          {graph.nodes.length === 0 && ready && (
            <div className="ff-empty-hint">
              <p>Drag a node from the palette, double-click one, or press <kbd>Tab</kbd> to search.</p>
              <p>Open a saved graph with <kbd>Ctrl</kbd>+<kbd>O</kbd>.</p>
            </div>
          )}
        </main>
        <aside className="ff-side">
          <nav className="ff-tabs">
            <button type="button" className={tab === 'node' ? 'active' : ''} onClick={() => setTab('node')}>
              {selectedNode ? 'Node' : 'Graph'}
            </button>
            <button type="button" className={tab === 'run' ? 'active' : ''} onClick={() => setTab('run')} data-testid="run-tab">
              Run {runner.active && <span className="ff-pulse" />}
            </button>
          </nav>
          <div className="ff-side-body">
            {tab === 'node' && selectedNode && selectedDef && (
              <div className="ff-inspector" data-testid="inspector">
                <h2>{selectedDef.title}</h2>
                <div className="ff-hint">
                  <code>{selectedNode.id}</code> · {selectedDef.type} v{selectedDef.version} · {selectedDef.kind}
                </div>
                <p className="ff-desc">{selectedDef.description}</p>
                {(validation.problemsByNode.get(selectedNode.id)?.problems ?? []).map((p, i) => (
                  <div key={i} className={`ff-problem ${p.severity}`}>
                    <b>{p.code}</b> {p.field ? <code>{p.field}</code> : null} {p.message}
                  </div>
                ))}
                <ParamForm
                  nodeId={selectedNode.id}
                  def={selectedDef}
                  params={selectedNode.data.params}
                  fieldProblems={validation.problemsByNode.get(selectedNode.id)?.params ?? new Map()}
                  uploads={uploads}
                  models={models}
                  modelProgress={pulls.progress}
                  onUploaded={refreshUploads}
                  onPull={pulls.pull}
                  onChange={(key, value) => setParam(selectedNode.id, key, value)}
                />
              </div>
            )}
            {tab === 'node' && !selectedNode && (
              <div className="ff-inspector">
                <h2>{graph.document.name}</h2>
                <label className="ff-field">
                  Graph name
                  <input value={graph.document.name} onChange={(e) => graph.edit((s) => ({ ...s, shell: { rest: { ...s.shell.rest, name: e.target.value } } }), 'graph:name')} />
                </label>
                <p className="ff-hint">
                  {graph.nodes.length} nodes · {graph.edges.length} connections{plan ? ` · ${plan.stages.length} stages` : ''}
                  {selected.length > 1 ? ` · ${selected.length} selected` : ''}
                </p>
                {validation.problems.length > 0 && <h3>Problems</h3>}
                {validation.problems.map((p, i) => (
                  <div key={i} className={`ff-problem ${p.severity}`}>
                    <b>{p.code}</b>{' '}
                    {p.node && (
                      <button type="button" className="ff-link" onClick={() => focusNode(p.node!)}>
                        {p.node}
                      </button>
                    )}{' '}
                    {p.message}
                  </div>
                ))}
                {plan && (
                  <>
                    <h3>Plan</h3>
                    <ol className="ff-plan">
                      {plan.stages.map((s) => (
                        <li key={s.id}>
                          <b>{s.id}</b> {s.kind} {s.fused && <span className="ff-badge fused">fused</span>} {s.batchSize > 1 && <span className="ff-badge batch">batch {s.batchSize}</span>}
                          <div className="ff-hint">{s.nodes.join(' → ')}</div>
                        </li>
                      ))}
                    </ol>
                  </>
                )}
                <h3>Shortcuts</h3>
                <ul className="ff-shortcuts">
                  <li><kbd>Tab</kbd> add node · <kbd>Del</kbd> delete · <kbd>F</kbd> fit view</li>
                  <li><kbd>Ctrl</kbd>+<kbd>Z</kbd>/<kbd>Shift</kbd>+<kbd>Z</kbd> undo/redo · <kbd>Ctrl</kbd>+<kbd>C</kbd>/<kbd>V</kbd> copy/paste</li>
                  <li><kbd>Ctrl</kbd>+<kbd>S</kbd> save · <kbd>Ctrl</kbd>+<kbd>O</kbd> open · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> run</li>
                </ul>
              </div>
            )}
            {tab === 'run' && <RunPanel run={runner.run} preview={runner.preview} onCancel={() => void runner.cancel()} onFocusNode={focusNode} />}
          </div>
        </aside>
        {quickAdd && (
          <QuickAdd
            x={Math.min(quickAdd.screen.x, window.innerWidth - 320)}
            y={Math.min(quickAdd.screen.y, window.innerHeight - 360)}
            title={quickAdd.pending ? `Nodes that take ${quickAdd.pending.portType}` : 'Add a node'}
            nodes={quickAdd.pending ? nodesAccepting(catalog.nodes, quickAdd.pending.portType, quickAdd.pending.side === 'source' ? 'out' : 'in') : catalog.nodes}
            onPick={(type) => {
              addNode(type, quickAdd.flow, quickAdd.pending);
              setQuickAdd(null);
            }}
            onClose={() => setQuickAdd(null)}
          />
        )}
        {dialog === 'open' && (
          <OpenDialog
            onOpen={(name) => {
              setDialog(null);
              void openGraph(name);
            }}
            onClose={() => setDialog(null)}
          />
        )}
        {dialog === 'saveAs' && (
          <NameDialog
            initial={graph.fileName ?? `${graph.document.name}.json`}
            onSave={(name) => {
              setDialog(null);
              void save(name);
            }}
            onClose={() => setDialog(null)}
          />
        )}
        <Toasts toasts={toasts} onDismiss={(id) => setToasts((ts) => ts.filter((t) => t.id !== id))} />
      </div>
    </EditorContext.Provider>
  );
}

export function App() {
  const [catalog, setCatalog] = useState<NodeCatalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.catalog().then(setCatalog, (e: Error) => setError(e.message));
  }, []);
  if (error) return <div className="ff-fatal">Cannot reach the framefuse server: {error}</div>;
  if (!catalog) return <div className="ff-fatal">Loading the node catalog…</div>;
  return (
    <ReactFlowProvider>
      <Editor catalog={catalog} />
    </ReactFlowProvider>
  );
}
