/**
 * The search that opens where a dragged connection was dropped on empty canvas (or with
 * Tab / Space): only nodes that can take the dragged port, best match first; Enter adds.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { fuzzyFilter } from '../fuzzy.ts';
import type { CatalogNode } from '../types.ts';

interface Props {
  x: number;
  y: number;
  nodes: CatalogNode[];
  title: string;
  onPick: (type: string) => void;
  onClose: () => void;
}

export function QuickAdd({ x, y, nodes, title, onPick, onClose }: Props) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const matches = useMemo(() => fuzzyFilter(nodes, query, (n) => `${n.title} ${n.type} ${n.category}`).slice(0, 12), [nodes, query]);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => setActive(0), [query]);
  return (
    <div className="ff-quickadd" style={{ left: x, top: y }} role="dialog" aria-label="Add node" onMouseDown={(e) => e.stopPropagation()}>
      <div className="ff-quickadd-title">{title}</div>
      <input
        ref={input}
        placeholder="Type to search…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && matches[active]) onPick(matches[active].type);
          else return;
          e.preventDefault();
        }}
        onBlur={() => setTimeout(onClose, 150)}
      />
      <ul>
        {matches.map((n, i) => (
          <li key={n.type} className={i === active ? 'active' : ''} onMouseDown={() => onPick(n.type)} onMouseEnter={() => setActive(i)}>
            <span>{n.title}</span>
            <span className="ff-hint">{n.category}</span>
          </li>
        ))}
        {matches.length === 0 && <li className="ff-hint">No compatible node</li>}
      </ul>
    </div>
  );
}
