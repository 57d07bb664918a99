/** Asks for a graph file name (Save as). */
import { useState } from 'react';

export function NameDialog({ initial, onSave, onClose }: { initial: string; onSave: (name: string) => void; onClose: () => void }) {
  const [name, setName] = useState(initial);
  const valid = /^[A-Za-z0-9][A-Za-z0-9 _.()-]*$/.test(name);
  return (
    <div className="ff-modal-backdrop" onMouseDown={onClose}>
      <form
        className="ff-modal"
        role="dialog"
        aria-label="Save as"
        onMouseDown={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) onSave(name.endsWith('.json') ? name : `${name}.json`);
        }}
      >
        <h2>Save as</h2>
        <label className="ff-field">
          File name in the graphs folder
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && onClose()} aria-label="Graph file name" />
        </label>
        {!valid && <p className="ff-field-error">Letters, digits, spaces and _ . ( ) -, starting with a letter or digit.</p>}
        <div className="ff-modal-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!valid}>
            Save
          </button>
        </div>
      </form>
    </div>
  );
}
