/** Ctrl/Cmd+Shift+P: every editor action by name, with its shortcut; type to filter, Enter runs. */
import { useMemo, useState } from 'react';
import { fuzzyFilter } from '../fuzzy.ts';
import type { EditorActions } from '../Editor.tsx';

const COMMANDS: { id: keyof EditorActions; title: string; keys: string }[] = [
  { id: 'run', title: 'Run the graph', keys: 'Ctrl+Enter' },
  { id: 'cancel', title: 'Cancel the run', keys: '' },
  { id: 'save', title: 'Save', keys: 'Ctrl+S' },
  { id: 'saveAs', title: 'Save as…', keys: 'Ctrl+Shift+S' },
  { id: 'open', title: 'Open a graph…', keys: 'Ctrl+O' },
  { id: 'newGraph', title: 'New graph', keys: '' },
  { id: 'newTab', title: 'New graph in a new tab', keys: '' },
  { id: 'exportJson', title: 'Export the graph as JSON', keys: '' },
  { id: 'quickAdd', title: 'Add a node…', keys: 'Tab' },
  { id: 'undo', title: 'Undo', keys: 'Ctrl+Z' },
  { id: 'redo', title: 'Redo', keys: 'Ctrl+Shift+Z' },
  { id: 'fitView', title: 'Fit the view', keys: 'F' },
  { id: 'bypass', title: 'Bypass the selected nodes (or remove the bypass)', keys: 'Ctrl+B' },
  { id: 'duplicate', title: 'Duplicate the selected nodes', keys: 'Ctrl+D' },
  { id: 'collapse', title: 'Collapse or expand the selected nodes', keys: 'Alt+C' },
  { id: 'group', title: 'Group the selected nodes', keys: 'Ctrl+G' },
  { id: 'togglePalette', title: 'Show or hide the node palette', keys: '' },
  { id: 'toggleSide', title: 'Show or hide the side panel', keys: '' },
];

export function CommandPalette({ actions, onClose }: { actions: EditorActions; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const shown = useMemo(() => (query ? fuzzyFilter(COMMANDS, query, (c) => c.title) : COMMANDS), [query]);
  const runCommand = (id: keyof EditorActions) => {
    onClose();
    actions[id]();
  };
  return (
    <div className="ff-modal-backdrop" onMouseDown={onClose}>
      <div className="ff-modal ff-commands" role="dialog" aria-label="Commands" data-testid="command-palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          autoFocus
          placeholder="Type a command"
          value={query}
          aria-label="Command"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onClose();
            else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, shown.length - 1));
            else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            else if (e.key === 'Enter' && shown[active]) runCommand(shown[active]!.id);
          }}
        />
        <ul>
          {shown.map((c, i) => (
            <li key={c.id} className={i === active ? 'active' : ''} onMouseDown={() => runCommand(c.id)}>
              {c.title} {c.keys && <kbd>{c.keys}</kbd>}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
