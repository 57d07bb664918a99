/** The side panel: the selected node's form (or the graph's overview), and the run. */
import { ROLE_KEY } from '../../../src/model/param-roles.ts';
import type { useModelPulls } from '../use-model-pulls.ts';
import type { useRun } from '../use-run.ts';
import type { useValidation } from '../use-validation.ts';
import type { GraphState } from '../use-graph.ts';
import type { ServerLists } from '../use-server-lists.ts';
import type { GraphDocument, JsonSchema, NodeCatalog, Plan, RunRecord } from '../types.ts';
import { GraphInspector } from './GraphInspector.tsx';
import { GraphJsonView } from './GraphJsonView.tsx';
import type { Notify } from '../use-toasts.ts';
import { NodeInspector } from './NodeInspector.tsx';
import { RunHistory } from './RunHistory.tsx';
import { OutputsGallery } from './OutputsGallery.tsx';
import { RunPanel } from './RunPanel.tsx';

export type SideTab = 'node' | 'run' | 'history' | 'json' | 'outputs';

/** The file node `id` of `doc` is asked to write (its output-file parameter, else that parameter's default). */
function askedOutput(catalog: NodeCatalog, doc: GraphDocument, id: string): { param: string; path: string; overwrite: boolean } | null {
  const node = doc.nodes.find((n) => n.id === id);
  const def = node && catalog.nodes.find((n) => n.type === node.type);
  if (!node || !def) return null;
  for (const [param, schema] of Object.entries(def.params.properties ?? {}) as [string, JsonSchema][]) {
    if (schema[ROLE_KEY]?.role !== 'output-file') continue;
    const path = node.params?.[param] ?? schema.default;
    return typeof path === 'string' ? { param, path, overwrite: node.params?.['overwrite'] === true } : null;
  }
  return null;
}

interface Props {
  tab: SideTab;
  onTab: (tab: SideTab) => void;
  catalog: NodeCatalog;
  graph: GraphState;
  validation: ReturnType<typeof useValidation>;
  plan: Plan | null;
  runner: ReturnType<typeof useRun>;
  lists: ServerLists;
  pulls: ReturnType<typeof useModelPulls>;
  onFocusNode: (id: string) => void;
  onParam: (node: string, key: string, value: unknown) => void;
  onOpenRunGraph: (run: RunRecord) => void;
  /** Opens a graph an output carries (the outputs gallery). */
  onOpenGraph: (document: GraphDocument, from: string) => void;
  onError: (message: string) => void;
  notify: Notify;
}

export function SidePanel({ tab, onTab, catalog, graph, validation, plan, runner, lists, pulls, onFocusNode, onParam, onOpenRunGraph, onOpenGraph, onError, notify }: Props) {
  const selected = [...graph.view.selectedNodes];
  const node = selected.length === 1 ? graph.document.nodes.find((n) => n.id === selected[0]) : undefined;
  const def = node ? catalog.nodes.find((n) => n.type === node.type) : undefined;
  return (
    <aside className="ff-side">
      <nav className="ff-tabs">
        <button type="button" className={tab === 'node' ? 'active' : ''} onClick={() => onTab('node')}>
          {node ? 'Node' : 'Graph'}
        </button>
        <button type="button" className={tab === 'run' ? 'active' : ''} onClick={() => onTab('run')} data-testid="run-tab">
          Run {runner.active && <span className="ff-pulse" />}
        </button>
        <button type="button" className={tab === 'history' ? 'active' : ''} onClick={() => onTab('history')} data-testid="history-tab">
          Queue
        </button>
        <button type="button" className={tab === 'json' ? 'active' : ''} onClick={() => onTab('json')} data-testid="json-tab">
          JSON
        </button>
        <button type="button" className={tab === 'outputs' ? 'active' : ''} onClick={() => onTab('outputs')} data-testid="outputs-tab">
          Outputs
        </button>
      </nav>
      <div className="ff-side-body">
        {tab === 'node' && node && def && (
          <NodeInspector
            node={node}
            def={def}
            issues={validation.problemsByNode.get(node.id)}
            uploads={lists.uploads}
            models={lists.models}
            modelProgress={pulls.progress}
            onUploaded={lists.refreshUploads}
            onPull={pulls.pull}
            onChange={(key, value) => onParam(node.id, key, value)}
          />
        )}
        {tab === 'node' && !(node && def) && <GraphInspector graph={graph} problems={validation.problems} plan={plan} onFocusNode={onFocusNode} />}
        {tab === 'json' && <GraphJsonView graph={graph} notify={notify} />}
        {tab === 'outputs' && <OutputsGallery onOpenGraph={onOpenGraph} onError={onError} />}
        {tab === 'history' && <RunHistory onOpenGraph={onOpenRunGraph} onError={onError} />}
        {tab === 'run' && (
          <RunPanel
            run={runner.run}
            preview={runner.preview}
            onCancel={() => void runner.cancel()}
            onFocusNode={onFocusNode}
            askedOutput={(id) => askedOutput(catalog, graph.document, id)}
            onOverwrite={(id) => onParam(id, 'overwrite', true)}
          />
        )}
      </div>
    </aside>
  );
}
