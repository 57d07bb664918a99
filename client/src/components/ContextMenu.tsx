/**
 * The right-click menu: a list of actions at the pointer, each with its shortcut, and an
 * optional row of colour swatches. Closes on Escape, a click outside, or after an action.
 */
import { useEffect, useRef } from 'react';

export interface MenuItem {
  label: string;
  keys?: string;
  run: () => void;
  danger?: boolean;
}

export interface MenuSwatches {
  label: string;
  colors: readonly { name: string; value: string }[];
  pick: (value: string | null) => void;
}

interface Props {
  x: number;
  y: number;
  title: string;
  items: (MenuItem | 'separator')[];
  swatches?: MenuSwatches;
  onClose: () => void;
}

export function ContextMenu({ x, y, title, items, swatches, onClose }: Props) {
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !menu.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('keydown', close);
    window.addEventListener('mousedown', close);
    return () => {
      window.removeEventListener('keydown', close);
      window.removeEventListener('mousedown', close);
    };
  }, [onClose]);
  const act = (run: () => void) => () => {
    onClose();
    run();
  };
  const height = items.length * 28 + (swatches ? 60 : 0) + 30;
  return (
    <div
      ref={menu}
      className="ff-menu"
      role="menu"
      aria-label={title}
      data-testid="context-menu"
      style={{ left: Math.min(x, window.innerWidth - 230), top: Math.min(y, window.innerHeight - height) }}
      onContextMenu={(e) => e.preventDefault()}
    >
      <div className="ff-menu-title">{title}</div>
      {items.map((item, i) =>
        item === 'separator' ? (
          <hr key={`sep${i}`} />
        ) : (
          <button key={item.label} type="button" role="menuitem" className={item.danger ? 'danger' : ''} onClick={act(item.run)}>
            <span>{item.label}</span>
            {item.keys && <kbd>{item.keys}</kbd>}
          </button>
        ),
      )}
      {swatches && (
        <div className="ff-menu-swatches" aria-label={swatches.label}>
          <span>{swatches.label}</span>
          <div>
            <button type="button" className="ff-swatch none" title="default colour" aria-label="colour default" onClick={act(() => swatches.pick(null))} />
            {swatches.colors.map((c) => (
              <button key={c.value} type="button" className="ff-swatch" style={{ background: c.value }} title={c.name} aria-label={`colour ${c.name}`} onClick={act(() => swatches.pick(c.value))} />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
