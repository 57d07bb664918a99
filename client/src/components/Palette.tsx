/** The node palette: every catalog node, grouped by category, fuzzy-searchable; drag onto the canvas or double-click to add. */
import { useMemo, useState } from 'react';
import { fuzzyFilter } from '../fuzzy.ts';
import type { CatalogNode, NodeCatalog } from '../types.ts';

export const DRAG_MIME = 'application/x-framefuse-node';

interface Props {
  catalog: NodeCatalog;
  onAdd: (type: string) => void;
}

function PortDots({ node, catalog }: { node: CatalogNode; catalog: NodeCatalog }) {
  const dot = (type: string, key: string) => <span key={key} className="ff-dot" title={type} style={{ background: catalog.portTypes[type]?.color ?? '#888' }} />;
  return (
    <span className="ff-dots">
      {node.inputs.map((p) => dot(p.type, `i${p.name}`))}
      {node.inputs.length > 0 && node.outputs.length > 0 && <span className="ff-arrow">→</span>}
      {node.outputs.map((p) => dot(p.type, `o${p.name}`))}
    </span>
  );
}

export function Palette({ catalog, onAdd }: Props) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const matches = fuzzyFilter(catalog.nodes, query, (n) => `${n.title} ${n.type} ${n.category}`);
    const byCategory = new Map<string, CatalogNode[]>();
    for (const n of matches) byCategory.set(n.category, [...(byCategory.get(n.category) ?? []), n]);
    return query ? [...byCategory.entries()] : [...byCategory.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [catalog, query]);
  return (
    <aside className="ff-palette" aria-label="Node palette">
      <input className="ff-search" type="search" placeholder="Search nodes…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search nodes" />
      <div className="ff-palette-list">
        {groups.map(([category, nodes]) => (
          <section key={category}>
            <h3>{category}</h3>
            {nodes.map((n) => (
              <div
                key={n.type}
                className={`ff-palette-item kind-${n.kind}`}
                draggable
                data-type={n.type}
                title={`${n.description}\nDouble-click or drag to add.`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_MIME, n.type);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onDoubleClick={() => onAdd(n.type)}
              >
                <span className="ff-palette-title">{n.title}</span>
                <PortDots node={n} catalog={catalog} />
              </div>
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className="ff-hint">No node matches “{query}”.</p>}
      </div>
    </aside>
  );
}
