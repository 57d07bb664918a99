/**
 * The editor: the toolbar, palette, canvas, side panel and dialogs around one graph. This
 * file only wires them: the document and its edits live in use-graph, files in
 * use-graph-file, runs in use-run, shortcuts in use-shortcuts.
 */
import { LiveView } from './components/LiveView.tsx';
import { isLiveParam } from './live-params.ts';
import { sendLiveParam, useLiveCamera } from './use-live-camera.ts';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { api } from './api.ts';
import { nodesAccepting } from './connection-rules.ts';
import { EditorContext, type EditorView } from './editor-context.ts';
import { downloadJson, readJsonFile } from './files.ts';
import { addNodeEdit } from './graph-actions.ts';
import { emptyDocument, type FfEdge, type FfNode } from './graph-model.ts';
import { liveNodes } from './live-state.ts';
import { useGraph } from './use-graph.ts';
import { setUrlGraph, useGraphFile } from './use-graph-file.ts';
import { useFileDrop } from './use-file-drop.ts';
import { MissingModels } from './components/MissingModels.tsx';
import { useModelPulls } from './use-model-pulls.ts';
import { useRun } from './use-run.ts';
import { useServerLists } from './use-server-lists.ts';
import { useShortcuts } from './use-shortcuts.ts';
import { useToasts } from './use-toasts.ts';
import { useValidation } from './use-validation.ts';
import { Canvas, type QuickAddAt } from './components/Canvas.tsx';
import { PanelToggles } from './components/PanelToggles.tsx';
import { GraphTabs } from './components/GraphTabs.tsx';
import { useGraphTabs } from './use-graph-tabs.ts';
import { usePanels } from './use-panels.ts';
import { useFitView } from './use-fit-view.ts';
import { selectionActions } from './node-actions.ts';
import { CanvasMenu, type MenuAt, type PromptRequest } from './components/CanvasMenu.tsx';
import { CommandPalette } from './components/CommandPalette.tsx';
import { PromptDialog } from './components/PromptDialog.tsx';
import { setNoteTextEdit, updateGroupEdit } from './annotations.ts';
import { pasteEdit } from './clipboard.ts';
import { offsetTo, readClipboard } from './shared-clipboard.ts';
import { NameDialog } from './components/NameDialog.tsx';
import { OpenDialog } from './components/OpenDialog.tsx';
import { Palette } from './components/Palette.tsx';
import { QuickAdd } from './components/QuickAdd.tsx';
import { SidePanel, type SideTab } from './components/SidePanel.tsx';
import { Toasts } from './components/Toasts.tsx';
import { Toolbar } from './components/Toolbar.tsx';
import type { GraphDocument, NodeCatalog, RunRecord } from './types.ts';

export function Editor({ catalog }: { catalog: NodeCatalog }) {
  const flow = useReactFlow<FfNode, FfEdge>();
  const { toasts, notify, dismiss } = useToasts();
  const graph = useGraph(useCallback((message: string) => notify('error', `Not done: ${message}`), [notify]));
  // Callbacks depend on the parts of `graph` they use: `graph` itself changes with every view change (each frame of a drag).
  const { apply } = graph;
  const { fit, fitNow } = useFitView();
  const panels = usePanels();
  const file = useGraphFile(graph, notify, fit);
  const onTabSwitched = useCallback((name: string | null) => {
    setUrlGraph(name);
    fit();
  }, [fit]);
  const tabs = useGraphTabs(graph, onTabSwitched, file.ready);
  const validation = useValidation(graph.document, file.ready);
  const runner = useRun(notify);
  const liveCamera = useLiveCamera(runner.run, graph.document);
  const lists = useServerLists();
  const pulls = useModelPulls(notify, lists.refreshModels);
  const [tab, setTab] = useState<SideTab>('node');
  const [quickAdd, setQuickAdd] = useState<QuickAddAt | null>(null);
  const [dialog, setDialog] = useState<'open' | 'commands' | null>(null);
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const [prompt, setPrompt] = useState<PromptRequest | null>(null);
  const byType = useMemo(() => new Map(catalog.nodes.map((n) => [n.type, n])), [catalog]);

  const addNode = useCallback((type: string, at?: { x: number; y: number }, pending: QuickAddAt['pending'] = null) => {
    const def = byType.get(type);
    if (!def) return;
    const center = flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
    const { edit, id } = addNodeEdit(graph.document, def, at ?? { x: center.x - 110 + Math.random() * 40, y: center.y - 60 + Math.random() * 40 }, pending);
    apply(edit, { select: [id] });
    setTab('node');
  }, [byType, flow, graph.document, apply]);

  const setParam = useCallback((nodeId: string, key: string, value: unknown) => {
    apply({ type: 'setParam', id: nodeId, param: key, ...(value === undefined ? {} : { value }) }, { mergeKey: `param:${nodeId}:${key}` });
    // While a live run goes, a live-editable parameter also changes in the running graph.
    if (liveCamera.running && runner.run && isLiveParam(catalog, graph.document, nodeId, key)) {
      void sendLiveParam(runner.run.id, nodeId, key, value).then((answer) => {
        if (!answer.ok) notify('error', `Not changed live: ${answer.error?.message ?? 'no answer'}`);
      });
    }
  }, [apply, liveCamera.running, runner.run, catalog, graph.document, notify]);

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

  const openDocument = useCallback((doc: GraphDocument) => {
    graph.load(doc, null, false);
    setUrlGraph(null);
    fit();
  }, [graph, fit]);
  const reportError = useCallback((message: string) => notify('error', message), [notify]);
  const openRunGraph = useCallback(async (run: RunRecord) => {
    if (!file.confirmDiscard()) return;
    try {
      const { document } = await api.runGraph(run.id);
      openDocument(document);
      notify('ok', `Opened the graph of the run of ${new Date(run.createdAt).toLocaleTimeString()} (not saved to a file)`);
    } catch (e) {
      notify('error', `Cannot open that run's graph: ${(e as Error).message}`);
    }
  }, [file, openDocument, notify]);
  const importFile = useCallback(async (f: File) => {
    if (!file.confirmDiscard()) return;
    try {
      openDocument(await readJsonFile(f));
    } catch (err) {
      notify('error', (err as Error).message);
    }
  }, [file, openDocument, notify]);

  const openCarriedGraph = useCallback((doc: GraphDocument, from: string) => {
    if (!file.confirmDiscard()) return;
    openDocument(doc);
    notify('ok', `Opened the graph ${from} was made with (not saved to a file)`);
  }, [file, openDocument, notify]);
  const dropFiles = useFileDrop({ document: graph.document, byType, apply, importFile, openDocument, confirmDiscard: file.confirmDiscard, notify, refreshUploads: lists.refreshUploads });

  const actions = useMemo(() => ({
    save: () => void file.save(),
    saveAs: () => file.setSaveAsOpen(true),
    open: () => file.confirmDiscard() && setDialog('open'),
    newGraph: () => file.confirmDiscard() && (graph.load(emptyDocument(), null, true), setUrlGraph(null)),
    run: () => void run(),
    cancel: () => void runner.cancel(),
    exportJson: () => downloadJson(graph.document, graph.fileName ?? `${graph.document.name}.json`),
    quickAdd: () => {
      const screen = { x: window.innerWidth / 2 - 150, y: window.innerHeight / 3 };
      setQuickAdd({ screen, flow: flow.screenToFlowPosition(screen), pending: null });
    },
    fitView: fitNow,
    undo: graph.undo,
    redo: graph.redo,
    commandPalette: () => setDialog('commands'),
    togglePalette: panels.togglePalette,
    toggleSide: panels.toggleSide,
    newTab: tabs.newTab,
    ...selectionActions(graph),
  }), [file, graph, run, runner, flow, fitNow, panels.togglePalette, panels.toggleSide, tabs.newTab]);
  useShortcuts(graph, actions);

  const live = useMemo(() => liveNodes(runner.run, graph.document.nodes.map((n) => n.id)), [runner.run, graph.document.nodes]);
  const plan = runner.run?.plan && runner.active ? runner.run.plan : validation.plan;
  const docRef = useRef(graph.document);
  docRef.current = graph.document;
  const editNote = useCallback((id: string, text: string) => apply(setNoteTextEdit(docRef.current, id, text), { mergeKey: `note:${id}` }), [apply]);
  const renameGroup = useCallback((id: string) => {
    const group = (docRef.current.groups ?? []).find((g) => g.id === id);
    setPrompt({ title: 'Rename group', label: 'Group title', initial: group?.title ?? '', onOk: (title) => apply(updateGroupEdit(docRef.current, id, { title })) });
  }, [apply]);
  const inspect = useCallback((id: string) => {
    graph.select([id]);
    setTab('node');
  }, [graph.select]);
  const view: EditorView = useMemo(
    () => ({ catalog, problemsByNode: validation.problemsByNode, plan, run: runner.run, live, setParam, editNote, renameGroup, inspect }),
    [catalog, validation.problemsByNode, plan, runner.run, live, setParam, editNote, renameGroup, inspect],
  );
  const focusNode = useCallback((id: string) => {
    graph.select([id]);
    const node = graph.nodes.find((n) => n.id === id);
    if (node) void flow.setCenter(node.position.x + 110, node.position.y + 60, { zoom: 1.1, duration: 300 });
    setTab('node');
  }, [graph, flow]);

  return (
    <EditorContext.Provider value={view}>
      <div className={`ff-app${panels.className}`}>
        <Toolbar
          graph={graph}
          problems={validation.problems}
          checking={validation.checking}
          connected={runner.connected}
          active={runner.active}
          provider={provider}
          onProvider={chooseProvider}
          onNew={actions.newGraph}
          onOpen={actions.open}
          onSave={actions.save}
          onSaveAs={actions.saveAs}
          onExport={actions.exportJson}
          onImport={(f) => void importFile(f)}
          onRun={actions.run}
          onCancel={actions.cancel}
        />
        <Palette catalog={catalog} onAdd={(type) => addNode(type)} />
        <Canvas
          catalog={catalog}
          graph={graph}
          plan={plan}
          metrics={runner.run?.metrics ?? null}
          live={live}
          ready={file.ready}
          notify={notify}
          onAdd={addNode}
          onQuickAdd={setQuickAdd}
          onNodeClick={() => setTab('node')}
          onMenu={setMenu}
          onDropFiles={(files, at) => void dropFiles(files, at)}
        >
          <PanelToggles palette={panels.palette} side={panels.side} onPalette={panels.togglePalette} onSide={panels.toggleSide} />
          <GraphTabs tabs={tabs.tabs} active={tabs.active} onSwitch={tabs.switchTo} onClose={tabs.closeTab} onNew={tabs.newTab} />
        </Canvas>
        {liveCamera.running && runner.run && <LiveView run={runner.run} image={liveCamera.image} figures={liveCamera.figures} hasCamera={liveCamera.hasCamera} />}
        <SidePanel
          tab={tab}
          onTab={setTab}
          catalog={catalog}
          graph={graph}
          validation={validation}
          plan={plan}
          runner={runner}
          lists={lists}
          pulls={pulls}
          onFocusNode={focusNode}
          onParam={setParam}
          onOpenRunGraph={openRunGraph}
          onError={reportError}
          notify={notify}
          onOpenGraph={openCarriedGraph}
        />
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
        {menu && (
          <CanvasMenu
            at={menu}
            graph={graph}
            onQuickAdd={(screen, at) => setQuickAdd({ screen, flow: at, pending: null })}
            onPaste={(at) => {
              const copied = readClipboard();
              if (!copied) return notify('error', 'Nothing to paste: copy nodes first (Ctrl+C).');
              const { edit, ids } = pasteEdit(copied.content, graph.document, offsetTo(copied.content, at));
              apply(edit, { select: ids });
            }}
            onPrompt={setPrompt}
            onClose={() => setMenu(null)}
          />
        )}
        {prompt && (
          <PromptDialog
            {...prompt}
            onOk={(value) => {
              setPrompt(null);
              prompt.onOk(value);
            }}
            onClose={() => setPrompt(null)}
          />
        )}
        <MissingModels document={graph.document} catalog={catalog} models={lists.models} progress={pulls.progress} onPull={pulls.pull} />
        {dialog === 'open' && <OpenDialog onOpen={(name) => (setDialog(null), void file.openGraph(name))} onClose={() => setDialog(null)} />}
        {dialog === 'commands' && <CommandPalette actions={actions} onClose={() => setDialog(null)} />}
        {file.saveAsOpen && (
          <NameDialog
            initial={graph.fileName ?? `${graph.document.name}.json`}
            onSave={(name) => {
              file.setSaveAsOpen(false);
              void file.save(name);
            }}
            onClose={() => file.setSaveAsOpen(false)}
          />
        )}
        <Toasts toasts={toasts} onDismiss={dismiss} />
      </div>
    </EditorContext.Provider>
  );
}

export type EditorActions = Record<'save' | 'saveAs' | 'open' | 'newGraph' | 'run' | 'cancel' | 'exportJson' | 'quickAdd' | 'fitView' | 'undo' | 'redo' | 'commandPalette' | 'togglePalette' | 'toggleSide' | 'newTab' | 'bypass' | 'duplicate' | 'collapse' | 'group', () => void>;
