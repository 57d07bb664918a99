/** Open a graph from the server's graphs folder. */
import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import type { GraphListing } from '../types.ts';

export function OpenDialog({ onOpen, onClose }: { onOpen: (name: string) => void; onClose: () => void }) {
  const [graphs, setGraphs] = useState<GraphListing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.graphs().then((r) => setGraphs(r.graphs), (e: Error) => setError(e.message));
  }, []);
  return (
    <div className="ff-modal-backdrop" onMouseDown={onClose}>
      <div className="ff-modal" role="dialog" aria-label="Open graph" onMouseDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h2>Open a graph</h2>
        {error && <p className="ff-field-error">{error}</p>}
        {graphs === null && !error && <p className="ff-hint">Loading…</p>}
        {graphs?.length === 0 && <p className="ff-hint">No graphs in the graphs folder yet.</p>}
        <ul className="ff-graph-list">
          {graphs?.map((g) => (
            <li key={g.name}>
              <button type="button" data-graph={g.name} onClick={() => onOpen(g.name)} disabled={!g.valid}>
                <b>{g.title}</b> <span className="ff-hint">{g.name}</span>
                <span className="ff-hint">
                  {g.valid ? `${g.nodes} nodes` : 'not a valid graph'} · {new Date(g.modified).toLocaleString()}
                </span>
                {g.description && <span className="ff-graph-desc">{g.description}</span>}
              </button>
            </li>
          ))}
        </ul>
        <div className="ff-modal-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
