/** The side panel when no single node is selected: the graph's name, its problems, the plan, the shortcuts. */
import type { GraphState } from '../use-graph.ts';
import type { Plan, Problem } from '../types.ts';

interface Props {
  graph: GraphState;
  problems: Problem[];
  plan: Plan | null;
  onFocusNode: (id: string) => void;
}

export function GraphInspector({ graph, problems, plan, onFocusNode }: Props) {
  const selected = graph.view.selectedNodes.size;
  return (
    <div className="ff-inspector">
      <h2>{graph.document.name}</h2>
      <label className="ff-field">
        Graph name
        <input value={graph.document.name} onChange={(e) => graph.apply({ type: 'setField', field: 'name', value: e.target.value }, { mergeKey: 'graph:name' })} />
      </label>
      <p className="ff-hint">
        {graph.document.nodes.length} nodes · {graph.document.edges.length} connections{plan ? ` · ${plan.stages.length} stages` : ''}
        {selected > 1 ? ` · ${selected} selected` : ''}
      </p>
      {problems.length > 0 && <h3>Problems</h3>}
      {problems.map((p, i) => (
        <div key={i} className={`ff-problem ${p.severity}`}>
          <b>{p.code}</b>{' '}
          {p.node && (
            <button type="button" className="ff-link" onClick={() => onFocusNode(p.node!)}>
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
        <li><kbd>Tab</kbd> or double-click add node · <kbd>Del</kbd> delete · <kbd>F</kbd> fit view</li>
        <li><kbd>Ctrl</kbd>+<kbd>Z</kbd>/<kbd>Shift</kbd>+<kbd>Z</kbd> undo/redo · <kbd>Ctrl</kbd>+<kbd>C</kbd>/<kbd>V</kbd> copy/paste</li>
        <li><kbd>Ctrl</kbd>+<kbd>S</kbd> save · <kbd>Ctrl</kbd>+<kbd>O</kbd> open · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> run · <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>P</kbd> commands</li>
      </ul>
    </div>
  );
}
