/** The top bar: the graph's name and unsaved mark, file actions, undo/redo, validity, where models run, Run/Cancel. */
import { useRef } from 'react';
import { EXECUTION_PROVIDERS, PROVIDER_LABELS } from '../../../src/model/providers.ts';
import type { GraphState } from '../use-graph.ts';
import type { Problem } from '../types.ts';

const PROVIDER_CHOICES = ['auto', ...EXECUTION_PROVIDERS] as const;

interface Props {
  graph: GraphState;
  problems: Problem[];
  checking: boolean;
  connected: boolean;
  active: boolean;
  provider: string;
  onProvider: (value: string) => void;
  onNew: () => void;
  onOpen: () => void;
  onSave: () => void;
  onSaveAs: () => void;
  onExport: () => void;
  onImport: (file: File) => void;
  onRun: () => void;
  onCancel: () => void;
}

export function Toolbar(p: Props) {
  const importInput = useRef<HTMLInputElement>(null);
  const { graph } = p;
  const errors = p.problems.filter((x) => x.severity === 'error');
  return (
    <header className="ff-toolbar">
      <span className="ff-logo">framefuse</span>
      <span className="ff-doc-name" data-testid="doc-name" title={graph.fileName ?? 'not saved to a file yet'}>
        {graph.dirty && <span className="ff-dirty" data-testid="dirty" title="unsaved changes">●</span>}
        {graph.fileName ?? 'untitled'}
      </span>
      <div className="ff-toolbar-group">
        <button type="button" onClick={p.onNew} title="New graph">New</button>
        <button type="button" onClick={p.onOpen} title="Open a graph from the server (Ctrl+O)">Open</button>
        <button type="button" onClick={p.onSave} title="Save (Ctrl+S)" data-testid="save">Save</button>
        <button type="button" onClick={p.onSaveAs} title="Save as (Ctrl+Shift+S)">Save as</button>
        <button type="button" onClick={p.onExport} title="Download the graph as a JSON file">Export</button>
        <button type="button" onClick={() => importInput.current?.click()} title="Load a graph JSON file from your computer">Import</button>
        <input
          ref={importInput}
          type="file"
          accept="application/json,.json"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) p.onImport(file);
          }}
        />
      </div>
      <div className="ff-toolbar-group">
        <button type="button" onClick={graph.undo} disabled={!graph.canUndo} title="Undo (Ctrl+Z)" data-testid="undo">↶</button>
        <button type="button" onClick={graph.redo} disabled={!graph.canRedo} title="Redo (Ctrl+Shift+Z)" data-testid="redo">↷</button>
      </div>
      <span className={`ff-validity ${errors.length ? 'bad' : 'good'}`} data-testid="validity" title={p.problems.map((x) => `${x.node ?? ''} ${x.code}: ${x.message}`).join('\n')}>
        {p.checking ? 'checking…' : errors.length ? `${errors.length} problem${errors.length > 1 ? 's' : ''}` : graph.nodes.length ? '✓ valid' : ''}
      </span>
      <span className={`ff-conn ${p.connected ? 'on' : 'off'}`} title={p.connected ? 'live connection to the server' : 'not connected'} />
      <div className="ff-toolbar-right">
        <select value={p.provider} onChange={(e) => p.onProvider(e.target.value)} title="Where the models run" data-testid="provider" aria-label="Execution provider">
          <option value="graph">{graph.document.providers ? `graph: ${graph.document.providers.join(', ')}` : 'auto (fastest measured)'}</option>
          {PROVIDER_CHOICES.map((x) => (
            <option key={x} value={x}>{x === 'auto' ? 'auto' : PROVIDER_LABELS[x]}</option>
          ))}
        </select>
        {p.active ? (
          <button type="button" className="danger" onClick={p.onCancel} data-testid="cancel">■ Cancel</button>
        ) : (
          <button type="button" className="primary" onClick={p.onRun} disabled={graph.nodes.length === 0} data-testid="run" title="Run (Ctrl+Enter)">▶ Run</button>
        )}
      </div>
    </header>
  );
}
