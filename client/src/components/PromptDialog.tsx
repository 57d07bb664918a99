/** Asks for one line of text (a node's new id, a group's title); `check` says what is wrong with it, if anything. */
import { useState } from 'react';

interface Props {
  title: string;
  label: string;
  initial: string;
  check?: (value: string) => string | null;
  onOk: (value: string) => void;
  onClose: () => void;
}

export function PromptDialog({ title, label, initial, check, onOk, onClose }: Props) {
  const [value, setValue] = useState(initial);
  const problem = check?.(value) ?? null;
  return (
    <div className="ff-modal-backdrop" onMouseDown={onClose}>
      <form
        className="ff-modal"
        role="dialog"
        aria-label={title}
        onMouseDown={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) onOk(value);
        }}
      >
        <h2>{title}</h2>
        <label className="ff-field">
          {label}
          <input autoFocus value={value} onFocus={(e) => e.target.select()} onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && onClose()} aria-label={label} />
        </label>
        {problem && <p className="ff-field-error">{problem}</p>}
        <div className="ff-modal-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={problem !== null}>
            OK
          </button>
        </div>
      </form>
    </div>
  );
}
