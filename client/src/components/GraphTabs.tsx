/** The tab bar of the open graphs: each with its name and a ● when it has unsaved changes; + opens a new one. */
import type { TabInfo } from '../use-graph-tabs.ts';

interface Props {
  tabs: TabInfo[];
  active: number;
  onSwitch: (key: number) => void;
  onClose: (key: number) => void;
  onNew: () => void;
}

export function GraphTabs({ tabs, active, onSwitch, onClose, onNew }: Props) {
  return (
    <div className="ff-graph-tabs" role="tablist" aria-label="Open graphs">
      {tabs.map((t) => (
        <div key={t.key} role="tab" aria-selected={t.key === active} className={`ff-graph-tab${t.key === active ? ' active' : ''}`} data-testid="graph-tab" onMouseDown={() => onSwitch(t.key)}>
          {t.dirty && <span className="ff-tab-dirty" data-testid="tab-dirty">●</span>}
          <span className="ff-tab-title">{t.title}</span>
          {tabs.length > 1 && (
            <button
              type="button"
              className="ff-tab-close"
              aria-label={`Close ${t.title}`}
              onMouseDown={(e) => e.stopPropagation()}
              onClick={() => onClose(t.key)}
            >
              ×
            </button>
          )}
        </div>
      ))}
      <button type="button" className="ff-tab-new" onClick={onNew} data-testid="new-tab" title="A new graph in a new tab">
        +
      </button>
    </div>
  );
}
